package org.adminconsole.ui.users;

import org.adminconsole.ui.Dialogs;
import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import java.util.Optional;
import javafx.scene.Scene;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;
import org.adminconsole.domain.UserRules;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserEditing;

/** Row actions of the Users view: open (into the editor), (de)activate, delete, history. */
final class UserActions {

    private final UserEditing users;
    private final TaskRunner runner;
    private final ViewLoader loader;
    private final UsersHost view;
    private final UserEditorPresenter editor;

    UserActions(UserEditing users, TaskRunner runner, ViewLoader loader, UsersHost view, UserEditorPresenter editor) {
        this.users = users;
        this.runner = runner;
        this.loader = loader;
        this.view = view;
        this.editor = editor;
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

    void open() {
        view.current().ifPresent(row -> runner.run("Opening user", () -> users.open(row.id()), lookup -> {
            if (lookup.isEmpty()) {
                view.message(row.email() + " no longer exists (deleted meanwhile).");
                view.reload();
                return;
            }
            UserView u = lookup.get().user();
            String source = lookup.get().fromCache() ? "from the user cache" : "from the database";
            editor.edit(u, "Loaded " + source);
            runner.setStatus("Opened " + u.email() + " " + source);
        }, view::message));
    }

    void toggleActive() {
        view.current().ifPresent(u -> {
            boolean activate = !u.active();
            String verb = activate ? "Reactivate" : "Deactivate";
            Dialogs.confirm(view.owner(), verb + " " + u.email() + "?",
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
        view.current().ifPresent(u -> {
            Optional<String> refusal = UserRules.deleteRefusal(u);
            if (refusal.isPresent()) {
                view.message(refusal.get());
                return;
            }
            Dialogs.confirm(view.owner(), "Delete " + u.email() + "?", "This cannot be undone. The audit history is kept.", "Delete",
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
        view.current().ifPresent(u -> {
            ViewLoader.View<HistoryPresenter> v = loader.load("users/History.fxml");
            v.presenter().show(u);
            window(v, "History of " + u.email()).show();
        });
    }

    /** The Departments window (create, rename, delete, move users out); the Users view reloads when it closes. */
    void departments(Runnable whenClosed) {
        Stage stage = window(loader.load("users/Departments.fxml"), "Departments");
        stage.setOnHidden(e -> whenClosed.run());
        stage.show();
    }

    /** A window of its own for a view, owned by the Users view's window, with the console's style. */
    private Stage window(ViewLoader.View<?> v, String title) {
        Stage stage = new Stage();
        if (view.owner().getScene() != null) {
            stage.initOwner(view.owner().getScene().getWindow());
        }
        Scene scene = new Scene(v.root());
        scene.getStylesheets().add(UserActions.class.getResource("/fxml/console.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle(title);
        return stage;
    }
}
