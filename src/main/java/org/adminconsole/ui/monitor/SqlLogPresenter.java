package org.adminconsole.ui.monitor;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import org.adminconsole.persistence.monitor.SqlEvent;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.monitor.ExplainService;
import org.adminconsole.service.monitor.SqlLogService;
import org.adminconsole.ui.TaskRunner;

/**
 * The live SQL log: the SQL monitor's statements (and the SQL tab's queries), newest first, drained every 300 ms;
 * slow ones highlighted by the current threshold; the slow threshold editable; EXPLAIN for the selected SELECT.
 */
public class SqlLogPresenter {

    static final int MAX_ROWS = 1000;

    private final SqlLogService sql;
    private final ExplainService explain;
    private final TaskRunner runner;
    private final ObservableList<SqlEvent> rows = FXCollections.observableArrayList();
    private long lastSeq;

    @FXML private TableView<SqlEvent> sqlTable;
    @FXML private TableColumn<SqlEvent, Long> seqColumn;
    @FXML private TableColumn<SqlEvent, String> timeColumn;
    @FXML private TableColumn<SqlEvent, String> operationColumn;
    @FXML private TableColumn<SqlEvent, String> durationColumn;
    @FXML private TableColumn<SqlEvent, Long> rowsColumn;
    @FXML private TableColumn<SqlEvent, Integer> batchColumn;
    @FXML private TableColumn<SqlEvent, String> sqlColumn;
    @FXML private TableColumn<SqlEvent, String> paramsColumn;
    @FXML private TextField slowThresholdField;
    @FXML private Label slowThresholdError;
    @FXML private Label slowThresholdLabel;
    @FXML private CheckBox pauseCheck;
    @FXML private Button explainButton;
    @FXML private TextArea planArea;

    public SqlLogPresenter(SqlLogService sql, ExplainService explain, TaskRunner runner) {
        this.sql = sql;
        this.explain = explain;
        this.runner = runner;
    }

    @FXML
    private void initialize() {
        Columns.bind(seqColumn, SqlEvent::seq);
        Columns.bind(timeColumn, e -> Columns.time(e.at()));
        Columns.bind(operationColumn, e -> e.operationId() == 0 ? e.operationName() : e.operationName() + "#" + e.operationId());
        Columns.bind(durationColumn, e -> Columns.millis(e.durationMillis()));
        Columns.bind(rowsColumn, SqlEvent::rows);
        Columns.bind(batchColumn, SqlEvent::batchSize);
        Columns.bind(sqlColumn, e -> Columns.oneLine(e.sql(), 300));
        Columns.bind(paramsColumn, e -> e.success() ? e.parameterText() : "FAILED: " + e.error() + " " + e.parameterText());
        sqlTable.setItems(rows);
        sqlTable.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(SqlEvent item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("slow-row", "failed-row");
                if (item != null && !empty) {
                    if (!item.success()) {
                        getStyleClass().add("failed-row");
                    } else if (sql.isSlow(item)) {
                        getStyleClass().add("slow-row");
                    }
                }
            }
        });
        sqlTable.getSelectionModel().selectedItemProperty().addListener((o, a, e) -> {
            if (e != null) {
                planArea.setText(e.sql() + "\n" + e.parameterText() + "\n\n" + (ExplainService.refusal(e) == null
                        ? "Press EXPLAIN to see the database's plan." : ExplainService.refusal(e)));
            }
        });
        explainButton.disableProperty().bind(sqlTable.getSelectionModel().selectedItemProperty().isNull());
        showThreshold();
        Fields.clearError(slowThresholdField, slowThresholdError);
        lastSeq = sql.lastSeq() > MAX_ROWS ? sql.lastSeq() - MAX_ROWS : 0;
        Drain.every(Drain.LIVE, sqlTable, this::drain);
    }

    /** Adds what ran since the last tick, newest on top, keeping at most {@link #MAX_ROWS}. */
    void drain() {
        if (pauseCheck.isSelected()) {
            return;
        }
        lastSeq = Drain.newestOnTop(sql.since(lastSeq, MAX_ROWS), rows, MAX_ROWS, SqlEvent::seq, lastSeq);
    }

    private void showThreshold() {
        slowThresholdLabel.setText("highlighting statements from " + SqlLogService.format(sql.slowThreshold()));
        slowThresholdField.setText(SqlLogService.format(sql.slowThreshold()).replace(" ms", "").replace("off", "0"));
    }

    @FXML
    void applySlowThreshold() {
        try {
            sql.setSlowThreshold(slowThresholdField.getText());
            Fields.clearError(slowThresholdField, slowThresholdError);
            showThreshold();
            sqlTable.refresh(); // the highlight follows the new threshold at once, on the rows already shown too
        } catch (ValidationException e) {
            Fields.showError(slowThresholdField, slowThresholdError, e.fieldErrors().get("slowThreshold"));
        }
    }

    @FXML
    void clear() {
        rows.clear();
        planArea.clear();
    }

    @FXML
    void explainSelected() {
        SqlEvent e = sqlTable.getSelectionModel().getSelectedItem();
        String refusal = ExplainService.refusal(e);
        if (refusal != null) {
            planArea.setText(refusal);
            return;
        }
        planArea.setText("Running EXPLAIN…");
        runner.run("EXPLAIN", () -> explain.explain(e),
                plan -> planArea.setText(plan.command() + "\n" + e.parameterText() + "\n\n" + plan.text()),
                message -> planArea.setText("EXPLAIN failed: " + message));
    }
}
