package org.adminconsole.ui.users;

import org.adminconsole.ui.TaskRunner;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.stage.Window;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.audit.RevertConflictException;
import org.adminconsole.service.audit.Reverting;
import org.adminconsole.service.users.AuditEntryView;
import org.adminconsole.service.users.ConflictException;
import org.adminconsole.service.users.UserHistory;
import org.adminconsole.ui.Dialogs;

/**
 * A user's audit history (audit_log + audit_changes): number, time, operator, operation, field changes; changes made
 * outside the console are marked. Newest first. "Revert change" writes the selected change's old values as a new
 * change (the conflict dialog when a field moved since); "Revert action…" reverts the whole bulk action it belongs to
 * after a dry run and a typed confirmation.
 */
public class HistoryPresenter {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final UserHistory users;
    private final TaskRunner runner;
    private final Reverting reverting;
    private UserView user;

    @FXML private BorderPane root;
    @FXML private Label titleLabel;
    @FXML private Label historyMessage;
    @FXML private TableView<AuditEntryView> historyTable;
    @FXML private TableColumn<AuditEntryView, String> noColumn;
    @FXML private TableColumn<AuditEntryView, String> timeColumn;
    @FXML private TableColumn<AuditEntryView, String> operatorColumn;
    @FXML private TableColumn<AuditEntryView, String> operationColumn;
    @FXML private TableColumn<AuditEntryView, String> actionColumn;
    @FXML private TableColumn<AuditEntryView, String> changesColumn;
    @FXML private Button revertButton;
    @FXML private Button revertActionButton;

    public HistoryPresenter(UserHistory users, TaskRunner runner, Reverting reverting) {
        this.users = users;
        this.runner = runner;
        this.reverting = reverting;
    }

    @FXML
    private void initialize() {
        column(noColumn, e -> e.no() == 0 ? "" : "#" + e.no());
        column(timeColumn, e -> e.at() == null ? "" : TIME.format(e.at()));
        column(operatorColumn, e -> e.external() ? e.operator() + " (external)" : e.operator());
        column(operationColumn, AuditEntryView::operation);
        column(actionColumn, AuditEntryView::action);
        column(changesColumn, AuditEntryView::summary);
        var selected = historyTable.getSelectionModel().selectedItemProperty();
        revertButton.disableProperty().bind(selected.isNull());
        revertActionButton.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> selected.get() == null || selected.get().changeSet() == null || selected.get().external(), selected));
    }

    private static void column(TableColumn<AuditEntryView, String> c, Function<AuditEntryView, String> f) {
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
    }

    public void show(UserView user) {
        show(user, "");
    }

    /** Loads the user's history; {@code note} (what was just done) stays in front of the count. */
    private void show(UserView user, String note) {
        this.user = user;
        titleLabel.setText("History of " + user.email());
        historyMessage.setText("Loading…");
        runner.run("Loading history", () -> users.history(user.id()), entries -> {
            historyTable.getItems().setAll(entries);
            historyMessage.setText(note + org.adminconsole.support.Counts.of(entries.size(), "change", "changes"));
        }, message -> historyMessage.setText("History could not be loaded: " + message));
    }

    @FXML
    void revert() {
        AuditEntryView e = historyTable.getSelectionModel().getSelectedItem();
        if (e != null) {
            revert(e.no(), false);
        }
    }

    private void revert(long no, boolean overwrite) {
        historyMessage.setText("Reverting #" + no + "…");
        runner.job("Reverting change #" + no, () -> reverting.revert(no, overwrite)).write()
                .onSuccess(u -> show(u, "Reverted #" + no + ". "))
                .onFailure(m -> historyMessage.setText("Not reverted: " + m))
                .start().exceptionProperty().addListener((o, was, ex) -> {
                    if (RevertDialogs.cause(ex, ConflictException.class) instanceof ConflictException c) {
                        Dialogs.conflict(root, c.conflict(), theirs -> show(theirs), theirs -> revert(no, true));
                    }
                });
    }

    @FXML
    void revertAction() {
        AuditEntryView e = historyTable.getSelectionModel().getSelectedItem();
        if (e == null) {
            return;
        }
        historyMessage.setText("Dry run of reverting " + e.operation() + "…");
        runner.run("Dry run: revert " + e.operation(), () -> reverting.plan(e.no()), plan -> {
            historyMessage.setText("");
            RevertDialogs.confirmBulkRevert(root, plan, skip -> applyAction(e.no(), plan.revertable().size(), skip));
        }, m -> historyMessage.setText("Dry run failed: " + m));
    }

    private void applyAction(long no, int count, boolean skip) {
        historyMessage.setText("Reverting " + count + " users…");
        runner.job("Reverting an action", () -> reverting.revertChangeSet(no, count, skip)).write()
                .onSuccess(n -> show(user, "Reverted the action for " + org.adminconsole.support.Counts.of(n, "user", "users") + ". "))
                .onFailure(m -> historyMessage.setText("Not reverted: " + m))
                .start().exceptionProperty().addListener((o, was, ex) -> {
                    if (RevertDialogs.cause(ex, RevertConflictException.class) instanceof RevertConflictException rc) {
                        RevertDialogs.confirmBulkRevert(root, rc.plan(), s -> applyAction(no, rc.plan().revertable().size(), s));
                    }
                });
    }

    @FXML
    void close() {
        Window w = root.getScene() == null ? null : root.getScene().getWindow();
        if (w != null) {
            w.hide();
        }
    }
}
