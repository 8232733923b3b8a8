package org.adminconsole.ui.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import org.adminconsole.service.inspect.CellFormat;

/**
 * A grid of result rows (each row a list of cell values) shared by the table browser and the SQL console:
 * columns built from names, cells shown as text (NULL in grey italics, an empty text as a faint "(empty)",
 * truncated previews), cell selection, and copying
 * cells or whole rows to the clipboard as tab-separated text (Ctrl+C copies the selected cells).
 */
final class ResultGrid {

    private ResultGrid() {
    }

    static <R extends List<?>> void setUp(TableView<R> grid) {
        grid.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        grid.getSelectionModel().setCellSelectionEnabled(true);
        grid.setOnKeyPressed(e -> {
            if (new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN).match(e)) {
                copy(selectedCells(grid));
                e.consume();
            }
        });
    }

    /** Style classes of cells that hold NULL, an empty text, or a link (a foreign-key value). */
    static final String NULL_CELL = "null-cell";
    static final String EMPTY_CELL = "empty-cell";
    static final String LINK_CELL = "fk-link";
    /** What an empty text shows (greyed, with {@link #EMPTY_CELL}), so that it differs from NULL and from blanks. */
    static final String EMPTY_TEXT = "(empty)";
    private static final String LINK_PROPERTY = "resultGrid.link";

    /** Replaces the columns (if the names changed) and the rows. */
    static <R extends List<?>> void show(TableView<R> grid, List<String> columns, List<R> rows, boolean sortable) {
        show(grid, columns, rows, sortable, java.util.Set.of());
    }

    /**
     * Replaces the columns (if the names changed) and the rows; cells of {@code linkColumns} that hold a value
     * are shown as links (style class {@link #LINK_CELL}).
     */
    static <R extends List<?>> void show(TableView<R> grid, List<String> columns, List<R> rows, boolean sortable,
                                         java.util.Set<String> linkColumns) {
        List<String> current = grid.getColumns().stream().map(TableColumn::getText).toList();
        if (!current.equals(columns)) {
            grid.getSortOrder().clear();
            grid.getColumns().clear();
            for (int i = 0; i < columns.size(); i++) {
                int index = i;
                TableColumn<R, Object> col = new TableColumn<>(columns.get(i));
                col.setId("col-" + columns.get(i));
                col.setSortable(sortable);
                col.setPrefWidth(Math.max(80, Math.min(260, columns.get(i).length() * 10 + 40)));
                col.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(
                        index < cd.getValue().size() ? cd.getValue().get(index) : ""));
                col.setCellFactory(c -> new ValueCell<>());
                grid.getColumns().add(col);
            }
        }
        for (TableColumn<R, ?> col : grid.getColumns()) {
            col.getProperties().put(LINK_PROPERTY, linkColumns.contains(col.getText()));
        }
        grid.getItems().setAll(rows);
    }

    /** Whether a column's cells are shown as links. */
    static boolean isLink(TableColumn<?, ?> col) {
        return col != null && Boolean.TRUE.equals(col.getProperties().get(LINK_PROPERTY));
    }

    /** A cell: NULL in grey italics, an empty text as a faint "(empty)", anything else as its display text. */
    private static final class ValueCell<R> extends TableCell<R, Object> {
        @Override
        protected void updateItem(Object v, boolean empty) {
            super.updateItem(v, empty);
            getStyleClass().removeAll(NULL_CELL, EMPTY_CELL, LINK_CELL);
            if (empty) {
                setText(null);
                return;
            }
            if (v == null) {
                setText("NULL");
                getStyleClass().add(NULL_CELL);
                return;
            }
            String text = CellFormat.display(v);
            if (text.isEmpty()) {
                setText(EMPTY_TEXT);
                getStyleClass().add(EMPTY_CELL);
                return;
            }
            setText(text);
            if (isLink(getTableColumn())) {
                getStyleClass().add(LINK_CELL);
            }
        }
    }

    /** The text of the selected cells, row by row (in grid order). */
    static <R extends List<?>> List<List<String>> selectedCells(TableView<R> grid) {
        TreeMap<Integer, TreeMap<Integer, String>> byRow = new TreeMap<>();
        for (TablePosition<?, ?> pos : grid.getSelectionModel().getSelectedCells()) {
            int col = pos.getColumn();
            R row = grid.getItems().get(pos.getRow());
            String text = col >= 0 && col < row.size() ? text(row.get(col)) : "";
            if (col < 0) {
                for (int c = 0; c < row.size(); c++) {
                    byRow.computeIfAbsent(pos.getRow(), k -> new TreeMap<>()).put(c, text(row.get(c)));
                }
            } else {
                byRow.computeIfAbsent(pos.getRow(), k -> new TreeMap<>()).put(col, text);
            }
        }
        List<List<String>> out = new ArrayList<>();
        byRow.values().forEach(m -> out.add(new ArrayList<>(m.values())));
        return out;
    }

    /** The text of every cell of the rows that have a selected cell. */
    static <R extends List<?>> List<List<String>> selectedRows(TableView<R> grid) {
        TreeMap<Integer, List<String>> rows = new TreeMap<>();
        for (TablePosition<?, ?> pos : grid.getSelectionModel().getSelectedCells()) {
            R row = grid.getItems().get(pos.getRow());
            rows.computeIfAbsent(pos.getRow(), k -> row.stream().map(ResultGrid::text).toList());
        }
        return new ArrayList<>(rows.values());
    }

    private static String text(Object v) {
        return v == null ? "" : CellFormat.display(v);
    }

    static void copy(List<List<String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        ClipboardContent content = new ClipboardContent();
        content.putString(CellFormat.tsv(rows));
        Clipboard.getSystemClipboard().setContent(content);
    }
}
