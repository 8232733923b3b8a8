package org.adminconsole.ui.inspect;

import org.adminconsole.ui.TaskRunner;
import java.util.ArrayList;
import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.IndexRange;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.application.Platform;
import javafx.concurrent.Task;
import org.adminconsole.config.Settings;
import org.adminconsole.service.inspect.CsvExporter;
import org.adminconsole.service.inspect.EditorTabs;
import org.adminconsole.service.inspect.SqlCompletion;
import org.adminconsole.service.inspect.SqlConsoleService;
import org.adminconsole.service.inspect.SqlCursor;
import org.adminconsole.service.inspect.SqlResultExport;
import org.adminconsole.service.inspect.SqlStatements;
import org.adminconsole.ui.inspect.sql.SqlEditor;
import org.adminconsole.ui.inspect.sql.SqlExportAction;
import org.adminconsole.ui.inspect.sql.SqlTabs;

/**
 * The read-only SQL console: editor tabs ({@link SqlTabs}: highlighting, completion, kept across restarts), run the
 * statement under the cursor or the selection (Ctrl+Enter) or the whole text (Run all), fetch more rows, cancel,
 * explain, history, export the last query to CSV. Every run goes through {@link SqlConsoleService} (the query gate and
 * the reader connection). The presenter owns the open result ({@link SqlCursor}): it closes it before the next query,
 * and shows why when the console closed it (idle too long, low memory).
 */
public class SqlConsolePresenter {

    private static final KeyCombination RUN_STATEMENT = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination NEW_TAB = new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN);

    private final SqlConsoleService console;
    private final TaskRunner runner;
    private final SqlResultExport export;
    private final EditorTabs store;
    private Task<?> running;
    private boolean more;
    /** The open result of the last query, if it has more rows (FX thread only). */
    private SqlCursor cursor;
    /** The last query that ran without error: what Export writes. */
    private String lastQuery;
    private SqlCompletion.Catalog catalog = SqlCompletion.Catalog.EMPTY;
    private Task<?> catalogTask;
    private boolean catalogRead;
    private SqlTabs tabs;
    private SqlExportAction exportAction;

    @FXML private TabPane editorTabs;
    @FXML private Label sqlMessage;
    @FXML private Label resultInfo;
    @FXML private Label namesInfo;
    @FXML private Button runButton;
    @FXML private Button runStatementButton;
    @FXML private Button explainButton;
    @FXML private Button cancelButton;
    @FXML private Button fetchMoreButton;
    @FXML private ComboBox<String> historyBox;
    @FXML private TableView<List<String>> resultGrid;
    @FXML private TabPane outputTabs;
    @FXML private TextArea planText;
    @FXML private TextField sqlExportPath;
    @FXML private Button sqlExportButton;
    @FXML private Button cancelSqlExportButton;
    @FXML private Label sqlExportMessage;

    private final org.adminconsole.service.inspect.InspectTargets targets;
    private final org.adminconsole.service.connections.ProfileConnections profiles;
    @FXML private javafx.scene.layout.VBox targetHolder;

    public SqlConsolePresenter(SqlConsoleService console, TaskRunner runner, org.adminconsole.service.inspect.InspectTargets targets,
                               org.adminconsole.service.connections.ProfileConnections profiles, CsvExporter exporter,
                               Settings settings) {
        this.console = console;
        this.runner = runner;
        this.targets = targets;
        this.profiles = profiles;
        this.export = new SqlResultExport(exporter, targets::readers);
        this.store = new EditorTabs(settings.dataDir().resolve(EditorTabs.FILE_NAME));
    }

    @FXML
    private void initialize() {
        ResultGrid.setUp(resultGrid);
        tabs = new SqlTabs(editorTabs, store, () -> catalog, this::wantCatalog, sqlMessage::setText);
        tabs.load();
        exportAction = new SqlExportAction(export, runner, sqlExportPath, sqlExportButton, cancelSqlExportButton,
                sqlExportMessage, () -> lastQuery);
        editorTabs.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (RUN_STATEMENT.match(e)) {
                runStatement();
                e.consume();
            } else if (NEW_TAB.match(e)) {
                newTab();
                e.consume();
            }
        });
        historyBox.getItems().setAll(console.history().entries());
        historyBox.setOnAction(e -> {
            if (historyBox.getValue() != null) {
                tabs.current().setText(historyBox.getValue());
            }
        });
        namesInfo.setText("Completion (Ctrl+Space): names are read when the editor is first used");
        targetHolder.getChildren().add(new org.adminconsole.ui.connections.TargetBar(targets, profiles, runner, "sql").node());
        targets.onSwitch(t -> Platform.runLater(this::targetSwitched));
    }

    /** Another database is inspected now: its names for completion, no result of the previous one. */
    private void targetSwitched() {
        ResultGrid.show(resultGrid, List.of(), List.of(), false);
        resultInfo.setText("");
        sqlMessage.setText("");
        lastQuery = null;
        exportAction.update();
        catalog = SqlCompletion.Catalog.EMPTY;
        catalogRead = false;
        namesInfo.setText("Completion (Ctrl+Space): names are read when the editor is first used");
        tabs.catalogChanged();
    }

    /**
     * The editor wants names (first focus, Ctrl+Space): read them once. Not at start-up: opening a reader connection
     * then would compete with the first start's migrations and seeding.
     */
    private void wantCatalog() {
        if (!catalogRead) {
            loadCatalog();
        }
    }

    /** Reads the names for completion in the background (Reload names reads them again). */
    private void loadCatalog() {
        if (catalogTask != null) {
            return;
        }
        namesInfo.setText("Reading names…");
        Task<?>[] self = new Task<?>[1];
        self[0] = runner.job("Reading table and column names", () -> SqlCompletion.load(targets.readers())).quiet()
                .onSuccess(c -> {
                    catalogTask = null;
                    catalogRead = true;
                    catalog = c;
                    namesInfo.setText(String.format("Completion (Ctrl+Space): %,d tables and views, %,d columns",
                            c.tables().size(), c.columnCount()));
                    tabs.catalogChanged();
                })
                .onFailure(m -> {
                    catalogTask = null;
                    namesInfo.setText("Names for completion could not be read: " + m);
                })
                .onCancelled(() -> catalogTask = null)
                .start();
        catalogTask = self[0];
    }

    @FXML
    void reloadNames() {
        loadCatalog();
    }

    @FXML
    void newTab() {
        tabs.newTab();
    }

    /** Run all: the whole text of the tab, as one query (several statements are refused, as always). */
    @FXML
    void run() {
        runSql(tabs.current().text());
    }

    /** Ctrl+Enter: the selection, or else the statement under the cursor. */
    @FXML
    void runStatement() {
        String sql = toRun();
        if (sql.isBlank()) {
            sqlMessage.setText("Nothing to run here: put the cursor in a statement or select one.");
            return;
        }
        runSql(sql);
    }

    private String toRun() {
        SqlEditor editor = tabs.current();
        IndexRange sel = editor.area().getSelection();
        return SqlStatements.toRun(editor.text(), editor.area().getCaretPosition(), sel.getStart(), sel.getEnd());
    }

    private void runSql(String sql) {
        SqlCursor previous = takeCursor();
        start("Running…", "Running SQL", () -> {
            if (previous != null) {
                previous.close(); // its transaction ends before the next query starts
            }
            return console.run(sql);
        }, r -> {
            outputTabs.getSelectionModel().select(0);
            ResultGrid.show(resultGrid, r.columns(), r.rows(), false);
            own(r.cursor());
            showInfo(r);
            lastQuery = sql;
            exportAction.update();
        });
    }

    @FXML
    void fetchMore() {
        SqlCursor from = cursor;
        if (from == null) {
            return;
        }
        start("Fetching more…", "Fetching more rows", from::fetchMore, r -> {
            List<List<String>> all = new ArrayList<>(resultGrid.getItems());
            all.addAll(r.rows());
            ResultGrid.show(resultGrid, r.columns(), all, false);
            own(r.cursor());
            showInfo(r);
        });
    }

    private SqlCursor takeCursor() {
        SqlCursor c = cursor;
        cursor = null;
        more = false;
        return c;
    }

    /** Keeps the open result (null: complete) and listens for the console closing it. */
    private void own(SqlCursor c) {
        cursor = c;
        if (c != null) {
            c.onClosedByConsole(reason -> Platform.runLater(() -> closedByConsole(c, reason)));
        }
    }

    private void closedByConsole(SqlCursor c, String reason) {
        if (cursor != c) {
            return;
        }
        cursor = null;
        more = false;
        fetchMoreButton.setDisable(true);
        sqlMessage.setText(reason);
        resultInfo.setText(resultInfo.getText().replace(" — more available", "") + " — result closed");
    }

    /** The plan of the selection, or else of the statement under the cursor. */
    @FXML
    void explain() {
        String sql = toRun();
        start("Explaining…", "Explaining SQL", () -> console.explain(sql), plan -> {
            planText.setText(plan);
            outputTabs.getSelectionModel().select(1);
            resultInfo.setText("Plan shown");
        });
    }

    /** Stops the running statement in the database; the controls come back at once. */
    @FXML
    void cancel() {
        if (running != null) {
            Task<?> task = running;
            task.cancel();
            ended(task, "Query cancelled.", "Cancelled", false);
        }
    }

    @FXML
    void browseExport() {
        exportAction.browse();
    }

    @FXML
    void export() {
        exportAction.export();
    }

    @FXML
    void cancelExport() {
        exportAction.cancel();
    }

    private <T> void start(String info, String description, java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> shown) {
        if (running != null) {
            running.cancel();
        }
        sqlMessage.setText("");
        tabs.editors().forEach(e -> e.area().getStyleClass().remove("invalid"));
        resultInfo.setText(info);
        setBusy(true);
        Task<?>[] self = new Task<?>[1];
        self[0] = runner.job(description, work)
                .onSuccess(v -> {
                    if (finish(self[0])) {
                        shown.accept(v);
                    }
                })
                .onFailure(m -> ended(self[0], m, "Failed", true))
                .onCancelled(() -> ended(self[0], "Query cancelled.", "Cancelled", false))
                .start();
        running = self[0];
    }

    private boolean finish(Task<?> task) {
        if (running != task) {
            return false;
        }
        running = null;
        setBusy(false);
        historyBox.getItems().setAll(console.history().entries());
        return true;
    }

    private void ended(Task<?> task, String message, String info, boolean invalid) {
        if (finish(task)) {
            more = false;
            fetchMoreButton.setDisable(true);
            sqlMessage.setText(message);
            resultInfo.setText(info);
            if (invalid) {
                tabs.current().area().getStyleClass().add("invalid");
            }
        }
    }

    private void showInfo(SqlConsoleService.Result r) {
        more = r.more();
        fetchMoreButton.setDisable(!more);
        String rows = String.format("%,d row%s in %,d ms", r.totalRows(), r.totalRows() == 1 ? "" : "s", r.elapsedMillis());
        if (r.capped()) {
            rows += String.format(" — row cap of %,d reached: narrow the query or export", console.rowCap());
        } else if (r.more()) {
            rows += " — more available";
        }
        resultInfo.setText(rows);
    }

    private void setBusy(boolean busy) {
        runButton.setDisable(busy);
        runStatementButton.setDisable(busy);
        explainButton.setDisable(busy);
        cancelButton.setDisable(!busy);
        fetchMoreButton.setDisable(busy || !more);
    }
}
