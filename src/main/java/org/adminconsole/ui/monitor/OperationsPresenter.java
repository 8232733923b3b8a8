package org.adminconsole.ui.monitor;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import java.util.List;
import org.adminconsole.persistence.monitor.SqlEvent;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.monitor.OperationEntry;
import org.adminconsole.service.monitor.OperationsLog;

/**
 * The operations log: the running operations on top, then one row per finished operation, latest started first
 * (drained every 300 ms); each row styled by what it is (dry runs and cancellations are not failures); the selected
 * operation's statements and warnings below, following the selection as rows come and go; and the runtime "too many
 * statements" threshold.
 */
public class OperationsPresenter {

    static final int MAX_ROWS = 1000;
    private static final List<String> STATUS_STYLES = java.util.Arrays.stream(OperationEntry.Status.values())
            .map(OperationEntry.Status::styleClass).toList();

    private final OperationsLog log;
    private final ObservableList<OperationEntry> rows = FXCollections.observableArrayList();
    private long lastSeq;
    /** How many rows at the top are running operations (replaced at every tick). */
    private int runningShown;

    @FXML private TableView<OperationEntry> operationsTable;
    @FXML private TableColumn<OperationEntry, Long> idColumn;
    @FXML private TableColumn<OperationEntry, String> nameColumn;
    @FXML private TableColumn<OperationEntry, String> startColumn;
    @FXML private TableColumn<OperationEntry, String> durationColumn;
    @FXML private TableColumn<OperationEntry, String> outcomeColumn;
    @FXML private TableColumn<OperationEntry, Long> statementsColumn;
    @FXML private TableColumn<OperationEntry, Long> loadedColumn;
    @FXML private TableColumn<OperationEntry, Long> insertedColumn;
    @FXML private TableColumn<OperationEntry, Long> updatedColumn;
    @FXML private TableColumn<OperationEntry, Long> rowsWrittenColumn;
    @FXML private TableColumn<OperationEntry, Long> l1HitsColumn;
    @FXML private TableColumn<OperationEntry, Long> l1MissesColumn;
    @FXML private TableColumn<OperationEntry, Long> l2HitsColumn;
    @FXML private TableColumn<OperationEntry, Long> l2MissesColumn;
    @FXML private TableColumn<OperationEntry, Long> l2PutsColumn;
    @FXML private TableColumn<OperationEntry, Long> flushesColumn;
    @FXML private TableColumn<OperationEntry, String> warningColumn;
    @FXML private Label warningLabel;
    @FXML private TableView<SqlEvent> statementsTable;
    @FXML private TableColumn<SqlEvent, String> stmtDurationColumn;
    @FXML private TableColumn<SqlEvent, Long> stmtRowsColumn;
    @FXML private TableColumn<SqlEvent, String> stmtSqlColumn;
    @FXML private TableColumn<SqlEvent, String> stmtParamsColumn;
    @FXML private TextField statementThresholdField;
    @FXML private Label statementThresholdError;

    public OperationsPresenter(OperationsLog log) {
        this.log = log;
    }

    @FXML
    private void initialize() {
        Columns.bind(idColumn, OperationEntry::id);
        Columns.bind(nameColumn, OperationEntry::name);
        Columns.bind(startColumn, e -> Columns.time(e.record().startedAt()));
        Columns.bind(durationColumn, e -> Columns.millis(e.durationMillis()));
        Columns.bind(outcomeColumn, OperationEntry::outcomeText);
        Columns.bind(statementsColumn, e -> e.stats().statements());
        Columns.bind(loadedColumn, e -> e.stats().entitiesLoaded());
        Columns.bind(insertedColumn, e -> e.stats().entitiesInserted());
        Columns.bind(updatedColumn, e -> e.stats().entitiesUpdated());
        Columns.bind(rowsWrittenColumn, e -> e.stats().rowsWritten());
        Columns.bind(l1HitsColumn, e -> e.stats().l1Hits());
        Columns.bind(l1MissesColumn, e -> e.stats().l1Misses());
        Columns.bind(l2HitsColumn, e -> e.stats().l2Hits());
        Columns.bind(l2MissesColumn, e -> e.stats().l2Misses());
        Columns.bind(l2PutsColumn, e -> e.stats().l2Puts());
        Columns.bind(flushesColumn, e -> e.stats().flushes());
        Columns.bind(warningColumn, e -> e.warnings().stream().map(w -> "⚠ " + label(w.kind())).reduce((a, b) -> a + ", " + b).orElse(""));
        Columns.bind(stmtDurationColumn, e -> Columns.millis(e.durationMillis()));
        Columns.bind(stmtRowsColumn, SqlEvent::rows);
        Columns.bind(stmtSqlColumn, e -> Columns.oneLine(e.sql(), 300));
        Columns.bind(stmtParamsColumn, SqlEvent::parameterText);
        operationsTable.setItems(rows);
        operationsTable.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(OperationEntry item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll(STATUS_STYLES);
                getStyleClass().removeAll("flagged-row", "failed-row");
                if (item != null && !empty) {
                    OperationEntry.Status status = item.status();
                    getStyleClass().add(status.styleClass());
                    if (status == OperationEntry.Status.FAILED || status == OperationEntry.Status.ROLLED_BACK) {
                        getStyleClass().add("failed-row");
                    } else if (item.flagged()) {
                        getStyleClass().add("flagged-row");
                    }
                }
            }
        });
        operationsTable.getSelectionModel().selectedItemProperty().addListener((o, a, e) -> show(e));
        statementThresholdField.setText(String.valueOf(log.analyzer().statementThreshold()));
        Drain.every(Drain.LIVE, operationsTable, this::drain);
    }

    private static String label(OperationEntry.WarningKind kind) {
        return switch (kind) {
            case TOO_MANY_STATEMENTS -> "statements";
            case N_PLUS_ONE -> "N+1";
            case CONNECTION_WAIT -> "connection wait";
        };
    }

    /**
     * Puts the running operations on top (as they stand now) and what finished since the last tick in its place by
     * start time, keeping at most {@link #MAX_ROWS} finished rows; the selection stays on the same operation (a
     * running one that finished is selected as finished) and the detail pane follows it.
     */
    void drain() {
        List<OperationEntry> fresh = log.since(lastSeq, MAX_ROWS);
        List<OperationEntry> running = log.running();
        if (fresh.isEmpty() && running.isEmpty() && runningShown == 0) {
            return;
        }
        OperationEntry selected = operationsTable.getSelectionModel().getSelectedItem();
        if (runningShown > 0) {
            rows.remove(0, Math.min(runningShown, rows.size()));
        }
        if (!fresh.isEmpty()) {
            lastSeq = fresh.get(fresh.size() - 1).seq();
            insertByStart(fresh);
        }
        if (rows.size() > MAX_ROWS) {
            rows.remove(MAX_ROWS, rows.size());
        }
        rows.addAll(0, running);
        runningShown = running.size();
        if (selected != null) {
            OperationEntry now = rows.stream().filter(e -> e.id() == selected.id()).findFirst().orElse(null);
            if (now == null) {
                operationsTable.getSelectionModel().clearSelection();
            } else if (now != operationsTable.getSelectionModel().getSelectedItem()) {
                operationsTable.getSelectionModel().select(now);
            } else if (now.running()) {
                show(now);
            }
        }
    }

    /** Merges {@code fresh} into the finished rows, which are sorted by start, latest first; only the top moves. */
    private void insertByStart(List<OperationEntry> fresh) {
        java.util.Comparator<OperationEntry> latestFirst = java.util.Comparator
                .comparing((OperationEntry e) -> e.record().startedAt()).thenComparingLong(OperationEntry::id).reversed();
        List<OperationEntry> incoming = new java.util.ArrayList<>(fresh);
        incoming.sort(latestFirst);
        OperationEntry oldest = incoming.get(incoming.size() - 1);
        int head = 0;
        while (head < rows.size() && latestFirst.compare(rows.get(head), oldest) < 0) {
            head++;
        }
        List<OperationEntry> merged = new java.util.ArrayList<>(rows.subList(0, head));
        merged.addAll(incoming);
        merged.sort(latestFirst);
        if (head > 0) {
            rows.remove(0, head);
        }
        rows.addAll(0, merged);
    }

    private void show(OperationEntry e) {
        if (e == null) {
            warningLabel.setText("Select an operation to see its statements.");
            statementsTable.getItems().clear();
            return;
        }
        warningLabel.getStyleClass().remove("warning");
        if (e.running()) {
            warningLabel.setText(String.format(java.util.Locale.ROOT, "Running for %.1f s: %d statements so far. Its"
                    + " statements show here when it ends.", e.durationMillis() / 1000, e.stats().statements()));
            statementsTable.getItems().clear();
            return;
        }
        String counts = e.stats().statements() > e.statements().size()
                ? " (showing " + e.statements().size() + " of " + e.stats().statements() + " statements)" : "";
        warningLabel.setText(e.flagged() ? e.warningText() + counts : "No warnings." + counts);
        if (e.flagged()) {
            warningLabel.getStyleClass().add("warning");
        }
        statementsTable.getItems().setAll(e.statements());
    }

    @FXML
    void applyStatementThreshold() {
        try {
            int n = log.analyzer().setStatementThreshold(statementThresholdField.getText());
            statementThresholdField.setText(String.valueOf(n));
            Fields.clearError(statementThresholdField, statementThresholdError);
        } catch (ValidationException ex) {
            Fields.showError(statementThresholdField, statementThresholdError, ex.fieldErrors().get("statementThreshold"));
        }
    }
}
