package org.adminconsole.ui.users;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ProgressBar;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.BulkAction;
import org.adminconsole.service.users.UserBulk;
import org.adminconsole.ui.Dialogs;
import org.adminconsole.ui.TaskRunner;

/**
 * The bulk panel of the Users view (included from Users.fxml): an action, its department, the scope (selected
 * rows or everything matching the filter); a dry run first, then a confirmation, then the action with its
 * progress and a Cancel that rolls everything back. Gets the rows and the query from its {@link UsersHost}.
 */
public class BulkPresenter {

    static final long TYPED_CONFIRMATION_ABOVE = 100;
    static final List<String> SCOPES = List.of("Selected rows", "All matching the filter");

    private final UserBulk bulk;
    private final TaskRunner runner;
    private UsersHost view;
    private Task<Long> bulkTask;

    @FXML ComboBox<BulkAction.Kind> bulkKind;
    @FXML ComboBox<DepartmentView> bulkDepartment;
    @FXML ComboBox<String> bulkScope;
    @FXML Button bulkButton, bulkCancelButton;
    @FXML ProgressBar bulkProgress;

    public BulkPresenter(UserBulk bulk, TaskRunner runner) {
        this.bulk = bulk;
        this.runner = runner;
    }

    @FXML
    private void initialize() {
        bulkKind.getItems().setAll(BulkAction.Kind.values());
        bulkKind.getSelectionModel().selectFirst();
        bulkScope.getItems().setAll(SCOPES);
        bulkScope.getSelectionModel().selectFirst();
        bulkDepartment.disableProperty().bind(bulkKind.valueProperty().isNotEqualTo(BulkAction.Kind.MOVE_TO_DEPARTMENT));
    }

    /** The view whose rows and query the actions apply to (called once by the including view). */
    void attach(UsersHost host) {
        this.view = host;
    }

    /** Bulk actions now apply to every user matching the filter (the "Select all N matching" link). */
    void useAllMatching(boolean all) {
        bulkScope.getSelectionModel().select(all ? 1 : 0);
    }

    /** Whether bulk actions apply to every user matching the filter. */
    boolean usesAllMatching() {
        return SCOPES.indexOf(bulkScope.getValue()) == 1;
    }

    /** Calls {@code changed} whenever the scope changes. */
    void onScopeChanged(Runnable changed) {
        bulkScope.valueProperty().addListener(o -> changed.run());
    }

    void setDepartments(List<DepartmentView> departments) {
        bulkDepartment.getItems().setAll(departments);
    }

    @FXML
    void bulk() {
        BulkAction.Kind kind = bulkKind.getValue();
        DepartmentView dep = bulkDepartment.getValue();
        if (kind == BulkAction.Kind.MOVE_TO_DEPARTMENT && dep == null) {
            view.message("Choose the department to move the users to.");
            return;
        }
        Long depId = dep == null ? null : dep.id();
        boolean selectedOnly = SCOPES.indexOf(bulkScope.getValue()) == 0;
        List<Long> ids = view.selected().stream().map(UserView::id).toList();
        if (selectedOnly && ids.isEmpty()) {
            view.message("Select rows first, or choose \"All matching the filter\".");
            return;
        }
        BulkAction action = selectedOnly ? BulkAction.onIds(kind, depId, ids) : BulkAction.onQuery(kind, depId, view.query());
        String what = kind + (dep != null && kind == BulkAction.Kind.MOVE_TO_DEPARTMENT ? " " + dep.name() : "")
                + (selectedOnly ? " (selected rows)" : " (all matching the filter)");
        startBulk("Dry run: " + what, () -> bulk.dryRun(action), false, count -> {
            if (count == 0) {
                view.message("Dry run: " + what + " would change no user.");
                return;
            }
            BulkPreviewList list = new BulkPreviewList(bulk, runner, action, count);
            list.start(() -> Dialogs.bulkConfirm(view.owner(), what, count, TYPED_CONFIRMATION_ABOVE, list.node(),
                    () -> startBulk(what, () -> bulk.apply(action), true, changed -> {
                        view.message(what + ": changed " + org.adminconsole.support.Counts.of(changed, "user", "users") + ".");
                        view.reload();
                    })));
        });
    }

    /**
     * Runs a dry run or an apply with its progress (rows done / total) on the bar and Cancel enabled; a cancelled
     * one rolls back and says so.
     */
    private void startBulk(String what, Callable<Long> work, boolean write, Consumer<Long> done) {
        bulkButton.setDisable(true);
        bulkCancelButton.setDisable(false);
        bulkProgress.setVisible(true);
        var job = runner.job(what, work)
                .onSuccess(n -> {
                    endBulk();
                    done.accept(n);
                })
                .onFailure(m -> {
                    endBulk();
                    view.message(what + " failed; nothing was changed: " + m);
                })
                .onCancelled(() -> {
                    endBulk();
                    view.message(what + " cancelled; nothing was changed.");
                });
        bulkTask = (write ? job.write() : job).start();
        bulkProgress.progressProperty().bind(bulkTask.progressProperty());
    }

    @FXML
    void cancelBulk() {
        if (bulkTask != null) {
            bulkTask.cancel();
        }
    }

    private void endBulk() {
        bulkTask = null;
        bulkProgress.progressProperty().unbind();
        bulkProgress.setVisible(false);
        bulkButton.setDisable(false);
        bulkCancelButton.setDisable(true);
    }
}
