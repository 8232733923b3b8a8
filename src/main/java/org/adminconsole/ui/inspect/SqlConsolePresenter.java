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
import org.adminconsole.service.inspect.CancelToken;
import org.adminconsole.service.inspect.SqlConsoleService;

/** The read-only SQL console: run a query (Ctrl+Enter), fetch more rows, cancel, explain, history. */
public class SqlConsolePresenter {

    private final SqlConsoleService console;
    private final TaskRunner runner;
    private CancelToken running;
    private boolean more;

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
        CancelToken token = start("Running…");
        runner.run("Running SQL", () -> console.run(sql, token), r -> {
            finish(token);
            outputTabs.getSelectionModel().select(0);
            ResultGrid.show(resultGrid, r.columns(), r.rows(), false);
            showInfo(r);
        }, m -> failed(token, m));
    }

    @FXML
    void fetchMore() {
        CancelToken token = start("Fetching more…");
        runner.run("Fetching more rows", () -> console.fetchMore(token), r -> {
            finish(token);
            List<List<String>> all = new ArrayList<>(resultGrid.getItems());
            all.addAll(r.rows());
            ResultGrid.show(resultGrid, r.columns(), all, false);
            showInfo(r);
        }, m -> failed(token, m));
    }

    @FXML
    void explain() {
        String sql = sqlText.getText();
        CancelToken token = start("Explaining…");
        runner.run("Explaining SQL", () -> console.explain(sql, token), plan -> {
            finish(token);
            planText.setText(plan);
            outputTabs.getSelectionModel().select(1);
            resultInfo.setText("Plan shown");
        }, m -> failed(token, m));
    }

    /** Stops the running statement ({@code Statement.cancel()}); the controls come back at once. */
    @FXML
    void cancel() {
        if (running != null) {
            CancelToken token = running;
            token.cancel();
            failed(token, "Query cancelled.");
        }
    }

    private CancelToken start(String info) {
        if (running != null) {
            running.cancel();
        }
        CancelToken token = new CancelToken();
        running = token;
        sqlMessage.setText("");
        sqlText.getStyleClass().remove("invalid");
        resultInfo.setText(info);
        setBusy(true);
        return token;
    }

    private boolean finish(CancelToken token) {
        if (running != token) {
            return false;
        }
        running = null;
        setBusy(false);
        historyBox.getItems().setAll(console.history().entries());
        return true;
    }

    private void failed(CancelToken token, String message) {
        if (finish(token)) {
            more = false;
            fetchMoreButton.setDisable(true);
            sqlMessage.setText(token.isCancelled() ? "Query cancelled." : message);
            resultInfo.setText(token.isCancelled() ? "Cancelled" : "Failed");
            if (!token.isCancelled()) {
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
