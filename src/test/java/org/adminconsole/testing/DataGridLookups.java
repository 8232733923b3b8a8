package org.adminconsole.testing;

import static org.adminconsole.testing.FxTesting.onFx;
import static org.adminconsole.testing.FxTesting.waitFor;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import org.adminconsole.service.inspect.CellFormat;
import org.testfx.api.FxRobot;

/** What the Schema & data grid shows, read the way an operator sees it (for the grid's TestFX tests). */
public final class DataGridLookups {

    private DataGridLookups() {
    }

    @SuppressWarnings("unchecked")
    public static TableView<List<Object>> grid(FxRobot robot) {
        return robot.lookup("#dataGrid").queryAs(TableView.class);
    }

    /** The displayed values of a column, row by row (a null per row when the grid has no such column). */
    public static List<String> column(FxRobot robot, String column) {
        return onFx(() -> {
            TableView<List<Object>> g = grid(robot);
            int col = g.getColumns().stream().map(c -> c.getText()).toList().indexOf(column);
            List<String> out = new ArrayList<>();
            for (List<Object> row : g.getItems()) {
                out.add(col < 0 ? null : CellFormat.display(row.get(col)));
            }
            return out;
        });
    }

    /** The filter chips' texts, as shown. */
    public static List<String> chips(FxRobot robot) {
        return onFx(() -> robot.lookup("#activeFilters").queryAs(FlowPane.class).getChildren().stream()
                .map(n -> ((Label) ((HBox) n).getChildren().get(0)).getText()).toList());
    }

    /** The rendered grid cell of a row and column, once it is rendered. */
    public static TableCell<?, ?> cellNode(FxRobot robot, int row, String column) throws Exception {
        waitFor(() -> robot.lookup("#dataGrid .table-cell").match(n -> matches(n, row, column)).tryQuery().isPresent());
        return (TableCell<?, ?>) robot.lookup("#dataGrid .table-cell").match(n -> matches(n, row, column)).query();
    }

    private static boolean matches(Node n, int row, String column) {
        return n instanceof TableCell<?, ?> c && c.getTableRow() != null && c.getTableRow().getIndex() == row
                && c.getTableColumn() != null && column.equals(c.getTableColumn().getText()) && !c.isEmpty();
    }
}
