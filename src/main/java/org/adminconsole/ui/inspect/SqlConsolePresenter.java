package org.adminconsole.ui.inspect;

import org.adminconsole.ui.TaskRunner;
import java.util.ArrayList;
import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.application.Platform;
import javafx.concurrent.Task;
import org.adminconsole.service.inspect.SqlConsoleService;
import org.adminconsole.service.inspect.SqlCursor;

/**
 * The read-only SQL console: run a query (Ctrl+Enter), fetch more rows, cancel, explain, history. The presenter owns
 * the open result ({@link SqlCursor}): it closes it before the next query, and shows why when the console closed it
 * (idle too long, low memory).
 */
public class SqlConsolePresenter {

    private final SqlConsoleService console;
    private final TaskRunner runner;
    private Task<?> running;
    private boolean more;
    /** The open result of the last query, if it has more rows (FX thread only). */
    private SqlCursor cursor;

    @FXML private TextArea sqlText;
    @FXML private Label sqlMessage;
    @FXML private Label resultInfo;
    @FXML private Button runButton;
    @FXML private Button explainButton;
    @FXML private Button cancelButton;
    @FXML private Button fetchMoreButton;
    @FXML private ComboBox<String> historyBox;
    @FXML private TableView<List<String>> resultGrid;
    @FXML private TabPane outputTabs;
    @FXML private TextArea planText;

    public SqlConsolePresenter(SqlConsoleService console, TaskRunner runner) {
        this.console = console;
        this.runner = runner;
    }

    @FXML
    private void initialize() {
        ResultGrid.setUp(resultGrid);
        sqlText.setOnKeyPressed(e -> {
            if (new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN).match(e)) {
                run();
                e.consume();
            }
        });
        historyBox.getItems().setAll(console.history().entries());
        historyBox.setOnAction(e -> {
            if (historyBox.getValue() != null) {
                sqlText.setText(historyBox.getValue());
            }
        });
    }

    @FXML
    void run() {
        String sql = sqlText.getText();
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

    @FXML
    void explain() {
        String sql = sqlText.getText();
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

    private <T> void start(String info, String description, java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> shown) {
        if (running != null) {
            running.cancel();
        }
        sqlMessage.setText("");
        sqlText.getStyleClass().remove("invalid");
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
                sqlText.getStyleClass().add("invalid");
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
        explainButton.setDisable(busy);
        cancelButton.setDisable(!busy);
        fetchMoreButton.setDisable(busy || !more);
    }
}
