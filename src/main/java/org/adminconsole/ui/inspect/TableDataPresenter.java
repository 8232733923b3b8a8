package org.adminconsole.ui.inspect;

import org.adminconsole.ui.TaskRunner;
import java.util.ArrayList;
import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.inspect.CellFormat;
import org.adminconsole.service.inspect.Filter;
import org.adminconsole.service.inspect.Page;
import org.adminconsole.service.inspect.TableBrowser;
import org.adminconsole.service.inspect.TableDataService;
import org.adminconsole.service.inspect.TableDetails;
import org.adminconsole.service.inspect.TableQuery;

/** Rows of any table: pages (keyset or offset), server-side sort by column header,
 * filters, copy, full-value viewer; the included CSV export view exports the current query. */
public class TableDataPresenter {

    private final TableDataService data;
    private final TaskRunner runner;
    private TableDetails details;
    private TableBrowser browser;
    private Page page;
    private List<Filter> filters = List.of();
    private String sortColumn;
    private boolean descending;

    @FXML private Label dataTableName;
    @FXML private Label pagingMode;
    @FXML private ComboBox<Integer> pageSize;
    @FXML private ComboBox<String> filterColumn;
    @FXML private ComboBox<Filter.Op> filterOp;
    @FXML private TextField filterValue;
    @FXML private Label filterError;
    @FXML private Label activeFilters;
    @FXML private TableView<List<Object>> dataGrid;
    @FXML private Button firstPageButton;
    @FXML private Button prevPageButton;
    @FXML private Button nextPageButton;
    @FXML private Label pageLabel;
    @FXML private CsvExportPresenter csvExportController;

    public TableDataPresenter(TableDataService data, TaskRunner runner) {
        this.data = data;
        this.runner = runner;
    }

    @FXML
    private void initialize() {
        pageSize.getItems().setAll(TableDataService.PAGE_SIZES);
        pageSize.setValue(TableDataService.PAGE_SIZES.get(0));
        pageSize.valueProperty().addListener((o, a, b) -> reload());
        filterOp.getItems().setAll(Filter.Op.values());
        filterOp.setValue(Filter.Op.EQUALS);
        ResultGrid.setUp(dataGrid);
        dataGrid.setSortPolicy(t -> {
            sortChanged();
            return true;
        });
        dataGrid.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                showFullValue();
            }
        });
        updateButtons();
    }

    /** Shows a table from its first page, without filters or sort. */
    public void open(TableDetails table) {
        details = table;
        filters = List.of();
        sortColumn = null;
        descending = false;
        page = null;
        dataGrid.getColumns().clear();
        dataTableName.setText(table.table().displayName());
        filterColumn.getItems().setAll(table.columnNames());
        filterColumn.setValue(table.columnNames().get(0));
        activeFilters.setText("");
        showFilterError(null);
        reload();
        csvExportController.open(table.table().name());
    }

    private void reload() {
        if (details == null) {
            return;
        }
        TableQuery query = new TableQuery(details, filters, sortColumn, descending);
        csvExportController.setQuery(query);
        browser = data.browse(query, pageSize.getValue());
        load("Loading " + details.table().displayName(), browser::first);
    }

    private void load(String what, java.util.concurrent.Callable<Page> work) {
        runner.runLatest("tableData.page", what, work, this::show, m -> pageLabel.setText("Could not load rows: " + m));
    }

    private void show(Page p) {
        page = p;
        ResultGrid.show(dataGrid, p.columns(), p.rows(), true);
        long last = p.firstRow() + p.rows().size() - 1;
        pageLabel.setText(p.rows().isEmpty() ? "No matching rows" : String.format("Page %,d · rows %,d–%,d%s", p.number(),
                p.firstRow(), last, p.hasNext() ? "" : " (last page)"));
        pagingMode.setText(p.modeReason());
        pagingMode.getStyleClass().remove("warning");
        if (p.mode() == Page.PagingMode.OFFSET) {
            pagingMode.getStyleClass().add("warning");
        }
        updateButtons();
    }

    private void updateButtons() {
        firstPageButton.setDisable(page == null || !page.hasPrevious());
        prevPageButton.setDisable(page == null || !page.hasPrevious());
        nextPageButton.setDisable(page == null || !page.hasNext());
    }

    @FXML void firstPage() { if (browser != null) { load("First page", browser::first); } }
    @FXML void previousPage() { if (browser != null) { load("Previous page", browser::previous); } }
    @FXML void nextPage() { if (browser != null) { load("Next page", browser::next); } }

    private void sortChanged() {
        String col = null;
        boolean desc = false;
        if (!dataGrid.getSortOrder().isEmpty()) {
            TableColumn<List<Object>, ?> c = dataGrid.getSortOrder().get(0);
            col = c.getText();
            desc = c.getSortType() == TableColumn.SortType.DESCENDING;
        }
        if (details != null && (!java.util.Objects.equals(col, sortColumn) || desc != descending)) {
            sortColumn = col;
            descending = desc;
            reload();
        }
    }

    @FXML
    void addFilter() {
        if (details == null || filterColumn.getValue() == null) {
            return;
        }
        List<Filter> next = new ArrayList<>(filters);
        next.add(new Filter(filterColumn.getValue(), filterOp.getValue(), filterValue.getText()));
        try {
            data.validate(new TableQuery(details, next, sortColumn, descending)); // parses only: nothing is sent
        } catch (ValidationException e) {
            showFilterError(e.getMessage());
            return;
        }
        showFilterError(null);
        filters = List.copyOf(next);
        filterValue.clear();
        activeFilters.setText(String.join("  AND  ", filters.stream().map(Filter::describe).toList()));
        reload();
    }

    @FXML
    void clearFilters() {
        filters = List.of();
        activeFilters.setText("");
        showFilterError(null);
        reload();
    }

    private void showFilterError(String message) {
        filterError.setText(message == null ? "" : message);
        filterError.setVisible(message != null);
        filterError.setManaged(message != null);
        filterValue.getStyleClass().remove("invalid");
        if (message != null) {
            filterValue.getStyleClass().add("invalid");
        }
    }

    @FXML
    void copyRows() {
        ResultGrid.copy(ResultGrid.selectedRows(dataGrid));
    }

    @FXML
    void showFullValue() {
        if (page == null || dataGrid.getSelectionModel().getSelectedCells().isEmpty()) {
            return;
        }
        TablePosition<?, ?> pos = dataGrid.getSelectionModel().getSelectedCells().get(0);
        if (pos.getColumn() < 0 || pos.getRow() >= page.rows().size()) {
            return;
        }
        String column = page.columns().get(pos.getColumn());
        Object shown = page.rows().get(pos.getRow()).get(pos.getColumn());
        if (!details.hasPrimaryKey()) {
            openViewer(column, CellFormat.display(shown) + "\n\n(The table has no primary key: only the shown part is available.)");
            return;
        }
        List<Object> key = page.keys().get(pos.getRow());
        TableDetails table = details;
        runner.run("Loading the full value of " + column, () -> data.fullValue(table, key, column),
                v -> openViewer(column, v == null ? "NULL" : v), m -> pageLabel.setText(m));
    }

    private void openViewer(String column, String text) {
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
