package org.adminconsole.ui.users;

import org.adminconsole.ui.Dialogs;
import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import java.util.List;
import java.util.Optional;
import javafx.scene.Scene;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.UserRules;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.BulkAction;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserBulk;
import org.adminconsole.service.users.UserEditing;

/** Row and bulk actions of the Users view: open, (de)activate, delete, history, bulk with dry run. */
final class UserActions {

    static final long TYPED_CONFIRMATION_ABOVE = 100;
    static final List<String> SCOPES = List.of("Selected rows", "All matching the filter");

    private final UsersPresenter view;
    private final ViewLoader loader;
    private UserEditing users;
    private UserBulk bulk;
    private TaskRunner runner;
    private javafx.concurrent.Task<Long> bulkTask;

    UserActions(UsersPresenter view, ViewLoader loader) {
        this.view = view;
        this.loader = loader;
    }

    void initialize() {
        users = view.editing;
        bulk = view.bulk;
        runner = view.runner;
        var noSelection = view.usersTable.getSelectionModel().selectedItemProperty().isNull();
        view.openButton.disableProperty().bind(noSelection);
        view.toggleActiveButton.disableProperty().bind(noSelection);
        view.deleteButton.disableProperty().bind(noSelection);
        view.historyButton.disableProperty().bind(noSelection);
        view.usersTable.getSelectionModel().selectedItemProperty().addListener((o, old, u) ->
                view.toggleActiveButton.setText(u != null && !u.active() ? "Reactivate" : "Deactivate"));
        view.bulkKind.getItems().setAll(BulkAction.Kind.values());
        view.bulkKind.getSelectionModel().selectFirst();
        view.bulkScope.getItems().setAll(SCOPES);
        view.bulkScope.getSelectionModel().selectFirst();
        view.bulkDepartment.disableProperty().bind(view.bulkKind.valueProperty().isNotEqualTo(BulkAction.Kind.MOVE_TO_DEPARTMENT));
        view.editorController.setOnSaved(u -> {
            view.message("Saved " + u.email() + ".");
            view.reload();
        });
        view.editorController.setOnClosed(() -> view.usersTable.requestFocus());
    }

    TableRow<UserView> row(TableRow<UserView> row) {
        row.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2 && !row.isEmpty()) {
                open();
            }
        });
        row.itemProperty().addListener((o, old, u) -> {
            row.getStyleClass().removeAll("inactive-row", "over-quota-row");
            if (u != null && !u.active()) {
                row.getStyleClass().add("inactive-row");
            }
            if (u != null && u.overQuota()) {
                row.getStyleClass().add("over-quota-row");
            }
        });
        return row;
    }

    void departmentsLoaded(List<DepartmentView> departments) {
        view.departmentFilter.getItems().setAll(UsersPresenter.ANY_DEPARTMENT);
        view.departmentFilter.getItems().addAll(departments);
        view.departmentFilter.getSelectionModel().selectFirst();
        view.bulkDepartment.getItems().setAll(departments);
        view.editorController.setDepartments(departments);
    }

    private Optional<UserView> current() {
        return Optional.ofNullable(view.usersTable.getSelectionModel().getSelectedItem());
    }

    void open() {
        current().ifPresent(row -> runner.run("Opening user", () -> users.open(row.id()), lookup -> {
            if (lookup.isEmpty()) {
                view.message(row.email() + " no longer exists (deleted meanwhile).");
                view.reload();
                return;
            }
            UserView u = lookup.get().user();
            String source = lookup.get().fromCache() ? "from the user cache" : "from the database";
            view.editorController.edit(u, "Loaded " + source);
            runner.setStatus("Opened " + u.email() + " " + source);
        }, view::message));
    }

    void toggleActive() {
        current().ifPresent(u -> {
            boolean activate = !u.active();
            String verb = activate ? "Reactivate" : "Deactivate";
            Dialogs.confirm(view.root, verb + " " + u.email() + "?",
                    activate ? "The user can sign in again." : "The user can no longer sign in. Nothing is deleted.", verb,
                    () -> runner.run(verb + " user", () -> users.setActive(u.id(), u.version(), activate), r -> {
                        if (r instanceof SaveResult.Saved s) {
                            view.message((activate ? "Reactivated " : "Deactivated ") + s.user().email() + ".");
                        } else {
                            view.message(u.email() + " was changed by someone else meanwhile; nothing was changed. The list is reloaded: check and try again.");
                        }
                        view.reload();
                    }, view::message));
        });
    }

    void delete() {
        current().ifPresent(u -> {
            Optional<String> refusal = UserRules.deleteRefusal(u);
            if (refusal.isPresent()) {
                view.message(refusal.get());
                return;
            }
            Dialogs.confirm(view.root, "Delete " + u.email() + "?", "This cannot be undone. The audit history is kept.", "Delete",
                    () -> runner.run("Deleting user", () -> {
                        users.delete(u.id(), u.version());
                        return u;
                    }, d -> {
                        view.message("Deleted " + d.email() + ".");
                        view.reload();
                    }, m -> view.message("Not deleted: " + m)));
        });
    }

    void history() {
        current().ifPresent(u -> {
            ViewLoader.View<HistoryPresenter> v = loader.load("users/History.fxml");
            Stage stage = new Stage();
            if (view.root.getScene() != null) {
                stage.initOwner(view.root.getScene().getWindow());
            }
            Scene scene = new Scene(v.root());
            scene.getStylesheets().add(UserActions.class.getResource("/fxml/console.css").toExternalForm());
            stage.setScene(scene);
            stage.setTitle("History of " + u.email());
            v.presenter().show(u);
            stage.show();
        });
    }

    void bulk() {
        BulkAction.Kind kind = view.bulkKind.getValue();
        DepartmentView dep = view.bulkDepartment.getValue();
        if (kind == BulkAction.Kind.MOVE_TO_DEPARTMENT && dep == null) {
            view.message("Choose the department to move the users to.");
            return;
        }
        Long depId = dep == null ? null : dep.id();
        boolean selectedOnly = SCOPES.indexOf(view.bulkScope.getValue()) == 0;
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
            Dialogs.bulkConfirm(view.root, what, count, TYPED_CONFIRMATION_ABOVE, () -> startBulk(what, () -> bulk.apply(action), true,
                    changed -> {
                        view.message(what + ": changed " + String.format("%,d", changed) + " users.");
                        view.reload();
                    }));
        });
    }

    /**
     * Runs a dry run or an apply with its progress (rows done / total) on the bar and Cancel enabled; a cancelled
     * one rolls back and says so.
     */
    private void startBulk(String what, java.util.concurrent.Callable<Long> work, boolean write, java.util.function.Consumer<Long> done) {
        view.bulkButton.setDisable(true);
        view.bulkCancelButton.setDisable(false);
        view.bulkProgress.setVisible(true);
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
        view.bulkProgress.progressProperty().bind(bulkTask.progressProperty());
    }

    void cancelBulk() {
        if (bulkTask != null) {
            bulkTask.cancel();
        }
    }

    private void endBulk() {
        bulkTask = null;
        view.bulkProgress.progressProperty().unbind();
        view.bulkProgress.setVisible(false);
        view.bulkButton.setDisable(false);
        view.bulkCancelButton.setDisable(true);
    }
}
