package org.adminconsole.ui.users;

import java.util.Map;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.users.DepartmentAdmin;
import org.adminconsole.service.users.DepartmentAdmin.DepartmentRow;
import org.adminconsole.support.Counts;
import org.adminconsole.ui.Dialogs;
import org.adminconsole.ui.TaskRunner;

/**
 * Departments: the list with user counts; create, rename (the selected one), delete. A department users belong to
 * is not deleted: the refusal says how many, and "Move users and delete" moves them to the chosen department first.
 * Every change runs in the background; a refusal shows under the field it concerns, or on the message line.
 */
public class DepartmentsPresenter {

    private final DepartmentAdmin departments;
    private final TaskRunner runner;

    @FXML private BorderPane root;
    @FXML private TableView<DepartmentRow> departmentsTable;
    @FXML private TableColumn<DepartmentRow, String> nameColumn;
    @FXML private TableColumn<DepartmentRow, String> descriptionColumn;
    @FXML private TableColumn<DepartmentRow, String> usersColumn;
    @FXML private TextField nameField;
    @FXML private Label nameError;
    @FXML private TextField descriptionField;
    @FXML private Label descriptionError;
    @FXML private Button createButton;
    @FXML private Button saveButton;
    @FXML private Button deleteButton;
    @FXML private ComboBox<DepartmentRow> targetChoice;
    @FXML private Button moveButton;
    @FXML private Label message;

    public DepartmentsPresenter(DepartmentAdmin departments, TaskRunner runner) {
        this.departments = departments;
        this.runner = runner;
    }

    @FXML
    private void initialize() {
        nameColumn.setCellValueFactory(cd -> new javafx.beans.property.ReadOnlyStringWrapper(cd.getValue().name()));
        descriptionColumn.setCellValueFactory(cd -> new javafx.beans.property.ReadOnlyStringWrapper(
                cd.getValue().description() == null ? "" : cd.getValue().description()));
        usersColumn.setCellValueFactory(cd -> new javafx.beans.property.ReadOnlyStringWrapper(String.format("%,d", cd.getValue().users())));
        targetChoice.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(DepartmentRow d) {
                return d == null ? "" : d.name();
            }

            @Override
            public DepartmentRow fromString(String s) {
                return null;
            }
        });
        var selected = departmentsTable.getSelectionModel().selectedItemProperty();
        saveButton.disableProperty().bind(selected.isNull());
        deleteButton.disableProperty().bind(selected.isNull());
        moveButton.disableProperty().bind(selected.isNull().or(targetChoice.valueProperty().isNull()));
        selected.addListener((o, was, now) -> {
            clearErrors();
            if (now != null) {
                nameField.setText(now.name());
                descriptionField.setText(now.description() == null ? "" : now.description());
                targetChoice.getItems().setAll(departmentsTable.getItems().stream().filter(d -> d.id() != now.id()).toList());
            }
        });
        nameField.setOnAction(e -> (departmentsTable.getSelectionModel().getSelectedItem() == null ? createButton : saveButton).fire());
        reload(null, null);
    }

    /** Loads the list; selects {@code selectId} when given; shows {@code done} when given. */
    private void reload(Long selectId, String done) {
        runner.run("Loading departments", departments::list, rows -> {
            departmentsTable.getItems().setAll(rows);
            if (selectId != null) {
                rows.stream().filter(r -> r.id() == selectId).findFirst().ifPresent(r -> {
                    departmentsTable.getSelectionModel().select(r);
                    departmentsTable.scrollTo(r);
                });
            }
            if (done != null) {
                message.getStyleClass().remove("warning");
                message.setText(done);
            }
        }, this::failed);
    }

    @FXML
    void create() {
        String name = nameField.getText();
        String description = descriptionField.getText();
        clearErrors();
        attempt("Creating department", () -> departments.create(name, description), row -> {
            reload(row.id(), "Created " + row.name() + ".");
            nameField.requestFocus();
        });
    }

    @FXML
    void save() {
        DepartmentRow d = departmentsTable.getSelectionModel().getSelectedItem();
        if (d == null) {
            return;
        }
        String name = nameField.getText();
        String description = descriptionField.getText();
        clearErrors();
        attempt("Saving department", () -> departments.rename(d.id(), d.version(), name, description),
                row -> reload(row.id(), "Saved " + row.name() + "."));
    }

    @FXML
    void delete() {
        DepartmentRow d = departmentsTable.getSelectionModel().getSelectedItem();
        if (d == null) {
            return;
        }
        clearErrors();
        if (d.users() > 0) {
            // the database would refuse it too; saying so at once, with the way out
            warn(Counts.of(d.users(), "user belongs", "users belong") + " to " + d.name()
                    + ": choose a department to move them to, then press Move users and delete. Nothing was deleted.");
            targetChoice.requestFocus();
            return;
        }
        Dialogs.confirm(deleteButton, "Delete " + d.name() + "?", "No user belongs to it. The deletion is recorded in the audit trail.",
                "Delete", () -> attempt("Deleting department", () -> {
                    departments.delete(d.id());
                    return d;
                }, gone -> reload(null, "Deleted " + gone.name() + ".")));
    }

    @FXML
    void moveAndDelete() {
        DepartmentRow d = departmentsTable.getSelectionModel().getSelectedItem();
        DepartmentRow target = targetChoice.getValue();
        if (d == null || target == null) {
            return;
        }
        clearErrors();
        Dialogs.confirm(moveButton, "Move users and delete " + d.name() + "?",
                "Moves " + Counts.of(d.users(), "user", "users") + " from " + d.name() + " to " + target.name()
                        + " (their other departments stay), then deletes " + d.name() + ". One transaction; each user's history records it.",
                "Move and delete", () -> attempt("Moving users", () -> departments.moveUsersAndDelete(d.id(), target.id()),
                        moved -> reload(target.id(), "Moved " + Counts.of(moved, "user", "users") + " to " + target.name()
                                + " and deleted " + d.name() + ".")));
    }

    private void failed(String text) {
        warn(text);
    }

    /** What a change came to: its value, or the refusal (shown where it belongs, not as a failure). */
    private record Attempt<T>(T value, ValidationException refusal) {
    }

    /** Runs a change in the background; a refusal goes under its field, a failure on the message line. */
    private <T> void attempt(String description, java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> ok) {
        runner.run(description, () -> {
            try {
                return new Attempt<>(work.call(), null);
            } catch (ValidationException e) {
                return new Attempt<T>(null, e);
            }
        }, a -> {
            if (a.refusal() != null) {
                showRefusal(a.refusal());
            } else {
                ok.accept(a.value());
            }
        }, this::failed);
    }

    /** A refusal: under its field when it names one, else on the message line. */
    private void showRefusal(ValidationException e) {
        Map<String, String> errors = e.fieldErrors();
        nameError.setText(errors.getOrDefault(DepartmentAdmin.NAME, ""));
        descriptionError.setText(errors.getOrDefault("description", ""));
        String other = errors.get(DepartmentAdmin.DEPARTMENT);
        if (other != null) {
            warn(other);
        }
    }

    private void warn(String text) {
        if (!message.getStyleClass().contains("warning")) {
            message.getStyleClass().add("warning");
        }
        message.setText(text);
    }

    private void clearErrors() {
        nameError.setText("");
        descriptionError.setText("");
        message.setText("");
    }
}
