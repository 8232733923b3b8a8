package org.adminconsole.ui.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.FlowPane;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.inspect.CellFormat;
import org.adminconsole.service.inspect.Filter;
import org.adminconsole.service.inspect.ForeignKey;
import org.adminconsole.service.inspect.Page;
import org.adminconsole.service.inspect.ReferenceCount;
import org.adminconsole.service.inspect.RowCount;
import org.adminconsole.service.inspect.SchemaService;
import org.adminconsole.service.inspect.TableBrowser;
import org.adminconsole.service.inspect.TableDataService;
import org.adminconsole.service.inspect.TableDetails;
import org.adminconsole.service.inspect.TableQuery;
import org.adminconsole.ui.TaskRunner;

/**
 * Rows of any table: pages (keyset or offset) with first / previous / next / last, "page N of M" (exact or
 * estimated, marked "~") and a jump to a page; server-side sort by column header; filters shown as removable
 * chips; copy and full-value viewer; foreign-key values that open the referenced row, with Back / Forward
 * through what was opened; and the "Referenced by" counts of the selected row. The included CSV export view
 * exports the current query.
 */
public class TableDataPresenter {

    private final TableDataService data;
    private final SchemaService schema;
    private final TaskRunner runner;
    private final TableHistory history = new TableHistory();
    private TableDetails details;
    private TableBrowser browser;
    private Page page;
    private RowCount count;
    private List<Filter> filters = List.of();
    private String sortColumn;
    private boolean descending;
    private boolean applying;

    @FXML private Label dataTableName;
    @FXML private Label pagingMode;
    @FXML private ComboBox<Integer> pageSize;
    @FXML private ComboBox<String> filterColumn;
    @FXML private ComboBox<Filter.Op> filterOp;
    @FXML private TextField filterValue;
    @FXML private Label filterError;
    @FXML private FlowPane activeFilters;
    @FXML private TableView<List<Object>> dataGrid;
    @FXML private ListView<ReferenceCount> referencedBy;
    @FXML private Label referencedByNote;
    @FXML private Button backButton;
    @FXML private Button forwardButton;
    @FXML private Button firstPageButton;
    @FXML private Button prevPageButton;
    @FXML private Button nextPageButton;
    @FXML private Button lastPageButton;
    @FXML private TextField pageJump;
    @FXML private Label pageLabel;
    @FXML private CsvExportPresenter csvExportController;

    private java.util.function.Consumer<TableDetails> onTableShown = d -> { };

    /** Told whenever the view shows a table (opened, reached by a foreign key, Back / Forward). */
    public void setOnTableShown(java.util.function.Consumer<TableDetails> listener) {
        onTableShown = listener == null ? d -> { } : listener;
    }

    public TableDataPresenter(TableDataService data, SchemaService schema, TaskRunner runner) {
        this.data = data;
        this.schema = schema;
        this.runner = runner;
    }

    @FXML
    private void initialize() {
        pageSize.getItems().setAll(TableDataService.PAGE_SIZES);
        pageSize.setValue(TableDataService.PAGE_SIZES.get(0));
        pageSize.valueProperty().addListener((o, a, b) -> reload());
        filterOp.getItems().setAll(Filter.Op.values());
        filterOp.valueProperty().addListener((o, a, op) -> {
            filterValue.setPromptText(op == null ? "value" : op.hint());
            filterValue.setDisable(op != null && !op.needsValue());
        });
        filterOp.setValue(Filter.Op.EQUALS);
        ResultGrid.setUp(dataGrid);
        dataGrid.setSortPolicy(t -> {
            sortChanged();
            return true;
        });
        dataGrid.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                if (selectedForeignKey() != null) {
                    openReferencedRow();
                } else {
                    showFullValue();
                }
            }
        });
        dataGrid.getSelectionModel().getSelectedCells().addListener(
                (javafx.collections.ListChangeListener<TablePosition>) c -> selectedRowChanged());
        dataGrid.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.isAltDown() && e.getCode() == KeyCode.LEFT) {
                back();
                e.consume();
            } else if (e.isAltDown() && e.getCode() == KeyCode.RIGHT) {
                forward();
                e.consume();
            }
        });
        referencedBy.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(ReferenceCount r, boolean empty) {
                super.updateItem(r, empty);
                setText(empty || r == null ? null : r.describe());
            }
        });
        referencedBy.setOnMouseClicked(e -> openReferencing(referencedBy.getSelectionModel().getSelectedItem()));
        updateButtons();
    }

    /** Shows nothing, forgets Back / Forward (another database is inspected now). */
    public void clear() {
        history.clear();
        details = null;
        browser = null;
        page = null;
        count = null;
        filters = List.of();
        sortColumn = null;
        applying = true;
        try {
            dataGrid.getColumns().clear();
            dataGrid.getItems().clear();
        } finally {
            applying = false;
        }
        dataTableName.setText("");
        pageLabel.setText("");
        pagingMode.setText("");
        activeFilters.getChildren().clear();
        referencedBy.getItems().clear();
        filterColumn.getItems().clear();
        backButton.setDisable(true);
        forwardButton.setDisable(true);
        updateButtons();
    }

    /** Shows a table from its first page, without filters or sort (a new place in the history). */
    public void open(TableDetails table) {
        go(new TableHistory.Place(table, List.of(), null, false));
    }

    /** Shows a table filtered to some rows (a new place in the history). */
    void openFiltered(TableDetails table, List<Filter> rowFilters) {
        go(new TableHistory.Place(table, rowFilters, null, false));
    }

    private void go(TableHistory.Place place) {
        apply(history.go(details == null ? null : here(), place));
    }

    private TableHistory.Place here() {
        return new TableHistory.Place(details, filters, sortColumn, descending);
    }

    @FXML
    void back() {
        if (details != null && history.canGoBack()) {
            apply(history.back(here()));
        }
    }

    @FXML
    void forward() {
        if (details != null && history.canGoForward()) {
            apply(history.forward(here()));
        }
    }

    private void apply(TableHistory.Place place) {
        boolean sameTable = details != null && details.table().equals(place.table().table());
        details = place.table();
        filters = List.copyOf(place.filters());
        sortColumn = place.sortColumn();
        descending = place.descending();
        page = null;
        if (!sameTable) {
            applying = true; // removing sorted columns empties the sort order: not the operator's choice
            try {
                dataGrid.getColumns().clear();
            } finally {
                applying = false;
            }
            filterColumn.getItems().setAll(details.columnNames());
            filterColumn.setValue(details.columnNames().get(0));
        }
        dataTableName.setText(details.table().displayName());
        showFilters();
        showFilterError(null);
        referencedBy.getItems().clear();
        referencedByNote.setText(details.referencedBy().isEmpty() ? "No other table references this one" : "Select a row");
        reload();
        csvExportController.open(details.table().name());
        backButton.setDisable(!history.canGoBack());
        forwardButton.setDisable(!history.canGoForward());
        onTableShown.accept(details);
    }

    private void reload() {
        if (details == null) {
            return;
        }
        TableQuery query = new TableQuery(details, filters, sortColumn, descending);
        csvExportController.setQuery(query);
        TableBrowser b = data.browse(query, pageSize.getValue());
        browser = b;
        count = null;
        pageJump.getStyleClass().remove("invalid");
        load("Loading " + details.table().displayName(), b::first);
        runner.runLatest("tableData.count", "Counting rows of " + details.table().displayName(), b::count, c -> {
            if (browser == b) {
                count = c;
                showPageLabel();
                updateButtons();
            }
        }, m -> {
            if (browser == b) {
                count = RowCount.unknown(m);
                showPageLabel();
            }
        });
    }

    private void load(String what, java.util.concurrent.Callable<Page> work) {
        runner.runLatest("tableData.page", what, work, this::show, m -> pageLabel.setText("Could not load rows: " + m));
    }

    private void show(Page p) {
        if (details == null) {
            return; // a page of the database inspected before a switch
        }
        page = p;
        Set<String> links = details.foreignKeys().stream().flatMap(f -> f.columns().stream()).collect(Collectors.toSet());
        ResultGrid.show(dataGrid, p.columns(), p.rows(), true, links);
        showPageLabel();
        pagingMode.setText(p.modeReason());
        pagingMode.getStyleClass().remove("warning");
        if (p.mode() == Page.PagingMode.OFFSET) {
            pagingMode.getStyleClass().add("warning");
        }
        referencedBy.getItems().clear();
        updateButtons();
    }

    private void showPageLabel() {
        if (page != null) {
            pageLabel.setText(TableDataParts.pageLabel(page, count, browser.pageSize()));
        }
    }

    private void updateButtons() {
        firstPageButton.setDisable(page == null || !page.hasPrevious());
        prevPageButton.setDisable(page == null || !page.hasPrevious());
        nextPageButton.setDisable(page == null || !page.hasNext());
        lastPageButton.setDisable(page == null || !page.hasNext() || count == null || !count.known());
        pageJump.setDisable(page == null);
    }

    @FXML void firstPage() { if (browser != null) { load("First page", browser::first); } }
    @FXML void previousPage() { if (browser != null) { load("Previous page", browser::previous); } }
    @FXML void nextPage() { if (browser != null) { load("Next page", browser::next); } }
    @FXML void lastPage() { if (browser != null) { load("Last page", browser::last); } }

    @FXML
    void jumpToPage() {
        if (browser == null) {
            return;
        }
        String text = pageJump.getText() == null ? "" : pageJump.getText().trim().replace(",", "");
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            n = 0;
        }
        pageJump.getStyleClass().remove("invalid");
        if (n < 1) {
            pageJump.getStyleClass().add("invalid");
            pageLabel.setText("Type a page number (1 or more), then Enter.");
            return;
        }
        int target = n;
        TableBrowser b = browser;
        load("Page " + n, () -> b.jump(target));
    }

    private void sortChanged() {
        if (applying) {
            return;
        }
        String col = null;
        boolean desc = false;
        if (!dataGrid.getSortOrder().isEmpty()) {
            TableColumn<List<Object>, ?> c = dataGrid.getSortOrder().get(0);
            col = c.getText();
            desc = c.getSortType() == TableColumn.SortType.DESCENDING;
        }
        if (details != null && (!Objects.equals(col, sortColumn) || desc != descending)) {
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
        Filter.Op op = filterOp.getValue();
        next.add(new Filter(filterColumn.getValue(), op, op.needsValue() ? filterValue.getText() : ""));
        try {
            data.validate(new TableQuery(details, next, sortColumn, descending)); // parses only: nothing is sent
        } catch (ValidationException e) {
            showFilterError(e.getMessage());
            return;
        }
        showFilterError(null);
        filters = List.copyOf(next);
        filterValue.clear();
        showFilters();
        reload();
    }

    private void showFilters() {
        TableDataParts.showChips(activeFilters, filters, this::removeFilter);
    }

    private void removeFilter(int index) {
        if (index < filters.size()) {
            List<Filter> next = new ArrayList<>(filters);
            next.remove(index);
            filters = List.copyOf(next);
            showFilters();
            showFilterError(null);
            reload();
        }
    }

    @FXML
    void clearFilters() {
        filters = List.of();
        showFilters();
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

    /** The row of the first selected cell, or -1. */
    private int selectedRow() {
        if (page == null || dataGrid.getSelectionModel().getSelectedCells().isEmpty()) {
            return -1;
        }
        int row = dataGrid.getSelectionModel().getSelectedCells().get(0).getRow();
        return row >= 0 && row < page.rows().size() ? row : -1;
    }

    private void selectedRowChanged() {
        int row = selectedRow();
        if (row < 0 || details == null || details.referencedBy().isEmpty()) {
            referencedBy.getItems().clear();
            return;
        }
        TableDetails table = details;
        List<Object> values = page.rows().get(row);
        List<Object> key = page.keys().get(row);
        referencedByNote.setText("Counting…");
        runner.runLatest("tableData.references", "Counting rows that reference the selected row",
                () -> data.references(table, values, key), refs -> {
                    if (details == table) {
                        referencedBy.getItems().setAll(refs);
                    }
                }, m -> referencedByNote.setText(m));
    }

    private void openReferencing(ReferenceCount ref) {
        if (ref == null) {
            return;
        }
        runner.run("Opening " + ref.key().from().displayName(), () -> schema.details(ref.key().from()),
                d -> openFiltered(d, ref.filters()), m -> pageLabel.setText(m));
    }

    /** The foreign key of the selected cell's column when that cell holds a value, else null. */
    private ForeignKey selectedForeignKey() {
        int row = selectedRow();
        if (row < 0 || details == null) {
            return null;
        }
        TablePosition<?, ?> pos = dataGrid.getSelectionModel().getSelectedCells().get(0);
        if (pos.getColumn() < 0 || pos.getColumn() >= page.columns().size()) {
            return null;
        }
        String column = page.columns().get(pos.getColumn());
        ForeignKey fk = details.foreignKeyOf(column).orElse(null);
        return fk == null || page.rows().get(row).get(pos.getColumn()) == null ? null : fk;
    }

    /** Opens the row the selected foreign-key value points at: the referenced table, filtered to that row. */
    @FXML
    void openReferencedRow() {
        ForeignKey fk = selectedForeignKey();
        if (fk == null) {
            pageLabel.setText("Select a foreign-key value (shown in blue) to open the row it references.");
            return;
        }
        List<Filter> rowFilters = fk.filtersFor(details, page.rows().get(selectedRow()));
        if (rowFilters.isEmpty()) {
            return;
        }
        runner.run("Opening " + fk.referenced().displayName(), () -> {
            TableDetails d = schema.details(fk.referenced());
            data.validate(TableQuery.of(d).withFilters(rowFilters));
            return d;
        }, d -> openFiltered(d, rowFilters), m -> pageLabel.setText("Cannot open the referenced row: " + m));
    }

    @FXML
    void copyRows() {
        ResultGrid.copy(ResultGrid.selectedRows(dataGrid));
    }

    @FXML
    void showFullValue() {
        int row = selectedRow();
        if (row < 0) {
            return;
        }
        TablePosition<?, ?> pos = dataGrid.getSelectionModel().getSelectedCells().get(0);
        if (pos.getColumn() < 0) {
            return;
        }
        String column = page.columns().get(pos.getColumn());
        Object shown = page.rows().get(row).get(pos.getColumn());
        if (!details.hasPrimaryKey()) {
            openViewer(column, CellFormat.display(shown) + "\n\n(The table has no primary key: only the shown part is available.)");
            return;
        }
        List<Object> key = page.keys().get(row);
        TableDetails table = details;
        runner.run("Loading the full value of " + column, () -> data.fullValue(table, key, column),
                v -> openViewer(column, v == null ? "NULL" : v), m -> pageLabel.setText(m));
    }

    private void openViewer(String column, String text) {
        TableDataParts.openViewer(column, text);
    }
}
