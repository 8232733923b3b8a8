package org.adminconsole.ui.users;

import org.adminconsole.ui.TaskRunner;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.stage.Window;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.AuditEntryView;
import org.adminconsole.service.users.UserHistory;

/** A user's audit history (audit_log + audit_changes): time, operator, operation, field changes. Newest first. */
public class HistoryPresenter {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final UserHistory users;
    private final TaskRunner runner;

    @FXML private BorderPane root;
    @FXML private Label titleLabel;
    @FXML private Label historyMessage;
    @FXML private TableView<AuditEntryView> historyTable;
    @FXML private TableColumn<AuditEntryView, String> timeColumn;
    @FXML private TableColumn<AuditEntryView, String> operatorColumn;
    @FXML private TableColumn<AuditEntryView, String> operationColumn;
    @FXML private TableColumn<AuditEntryView, String> actionColumn;
    @FXML private TableColumn<AuditEntryView, String> changesColumn;

    public HistoryPresenter(UserHistory users, TaskRunner runner) {
        this.users = users;
        this.runner = runner;
    }

    @FXML
    private void initialize() {
        column(timeColumn, e -> e.at() == null ? "" : TIME.format(e.at()));
        column(operatorColumn, AuditEntryView::operator);
        column(operationColumn, AuditEntryView::operation);
        column(actionColumn, AuditEntryView::action);
        column(changesColumn, AuditEntryView::summary);
    }

    private static void column(TableColumn<AuditEntryView, String> c, Function<AuditEntryView, String> f) {
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
    }

    public void show(UserView user) {
        titleLabel.setText("History of " + user.email());
        historyMessage.setText("Loading…");
        runner.run("Loading history", () -> users.history(user.id()), entries -> {
            historyTable.getItems().setAll(entries);
            historyMessage.setText(org.adminconsole.support.Counts.of(entries.size(), "change", "changes"));
        }, message -> historyMessage.setText("History could not be loaded: " + message));
    }

    @FXML
    void close() {
        Window w = root.getScene() == null ? null : root.getScene().getWindow();
        if (w != null) {
            w.hide();
        }
    }
}
