package org.adminconsole.ui.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javafx.beans.property.SimpleStringProperty;
import javafx.scene.control.SelectionMode;
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
 * columns built from names, cells shown as text (NULL, truncated previews), cell selection, and copying
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

    /** Replaces the columns (if the names changed) and the rows. */
    static <R extends List<?>> void show(TableView<R> grid, List<String> columns, List<R> rows, boolean sortable) {
        List<String> current = grid.getColumns().stream().map(TableColumn::getText).toList();
        if (!current.equals(columns)) {
            grid.getSortOrder().clear();
            grid.getColumns().clear();
            for (int i = 0; i < columns.size(); i++) {
                int index = i;
                TableColumn<R, String> col = new TableColumn<>(columns.get(i));
                col.setId("col-" + columns.get(i));
                col.setSortable(sortable);
                col.setPrefWidth(Math.max(80, Math.min(260, columns.get(i).length() * 10 + 40)));
                col.setCellValueFactory(cd -> new SimpleStringProperty(
                        index < cd.getValue().size() ? CellFormat.display(cd.getValue().get(index)) : ""));
                grid.getColumns().add(col);
            }
        }
        grid.getItems().setAll(rows);
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
