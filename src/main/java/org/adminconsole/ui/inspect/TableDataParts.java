package org.adminconsole.ui.inspect;

import java.util.List;
import java.util.function.IntConsumer;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.adminconsole.service.inspect.Filter;
import org.adminconsole.service.inspect.Page;
import org.adminconsole.service.inspect.RowCount;

/** The table data view's smaller pieces: the page label's text, the filter chips, the full-value window. */
final class TableDataParts {

    private TableDataParts() {
    }

    /**
     * "Page 3 of 5 · rows 101–150"; estimates marked "~" ("Page 3 of ~1,204"), an unknown total as "?"; "…" while the
     * total is being counted ({@code count} null).
     */
    static String pageLabel(Page p, RowCount count, int pageSize) {
        if (p.rows().isEmpty()) {
            return "No matching rows";
        }
        String approx = p.positionExact() ? "" : "~";
        String total;
        String note = "";
        if (count == null) {
            total = "…";
        } else if (!count.known()) {
            total = "?";
            note = " (total unknown: " + count.reason() + ")";
        } else {
            total = (count.exact() ? "" : "~") + String.format("%,d", count.pages(pageSize));
            note = count.exact() ? "" : " (estimated from the database's statistics)";
        }
        long last = p.firstRow() + p.rows().size() - 1;
        return String.format("Page %s%,d of %s · rows %s%,d–%s%,d%s", approx, p.number(), total, approx, p.firstRow(), approx, last, note);
    }

    /** One chip per filter, each with an × that removes just that filter ({@code remove} gets its index). */
    static void showChips(FlowPane pane, List<Filter> filters, IntConsumer remove) {
        pane.getChildren().clear();
        for (int i = 0; i < filters.size(); i++) {
            Filter f = filters.get(i);
            Label text = new Label(f.describe());
            text.getStyleClass().add("filter-text");
            Button x = new Button("×");
            x.getStyleClass().add("filter-remove");
            x.setId("removeFilter" + i);
            x.setTooltip(new javafx.scene.control.Tooltip("Remove the filter " + f.describe()));
            int index = i;
            x.setOnAction(e -> remove.accept(index));
            HBox chip = new HBox(2, text, x);
            chip.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            chip.getStyleClass().add("filter-chip");
            pane.getChildren().add(chip);
        }
    }

    /** A window with the whole text of one value. */
    static void openViewer(String column, String text) {
        TextArea area = new TextArea(text);
        area.setId("fullValueText");
        area.setEditable(false);
        area.setWrapText(true);
        Stage stage = new Stage();
        stage.setTitle("Full value of " + column + " (" + String.format("%,d", text.length()) + " characters)");
        stage.setScene(new Scene(area, 700, 480));
        stage.show();
    }
}
