package org.adminconsole.ui.users;

import org.adminconsole.ui.Dialogs;
import org.adminconsole.ui.TaskRunner;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserRules;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserForm;
import org.adminconsole.service.users.UserEditing;

/**
 * The user editor (a side panel of the Users view): live validation per field with the message on the field,
 * Save disabled while invalid, the service validates again (uniqueness) and reports conflicts, which the
 * operator resolves by reloading or overwriting. Enter saves, Escape cancels.
 */
public class UserEditorPresenter {

    private final UserEditing users;
    private final TaskRunner runner;
    private final BooleanProperty valid = new SimpleBooleanProperty(true);
    private final BooleanProperty saving = new SimpleBooleanProperty(false);
    private UserForm loaded = UserForm.blank();
    private Consumer<UserView> onSaved = u -> { };
    private Runnable onClosed = () -> { };

    @FXML private VBox root;
    @FXML private Label titleLabel;
    @FXML private Label sourceLabel;
    @FXML private TextField emailField;
    @FXML private TextField usernameField;
    @FXML private ComboBox<Role> roleBox;
    @FXML private CheckBox activeCheck;
    @FXML private TextField quotaField;
    @FXML private TextField usageField;
    @FXML private ListView<DepartmentView> departmentsList;
    @FXML private TextArea settingsArea;
    @FXML private Label emailError;
    @FXML private Label usernameError;
    @FXML private Label roleError;
    @FXML private Label quotaError;
    @FXML private Label usageError;
    @FXML private Label departmentsError;
    @FXML private Label settingsError;
    @FXML private Label editorMessage;
    @FXML private Label recordLabel;
    @FXML private Label departmentsLabel;
    @FXML private TextField departmentSearch;
    /** Every department, the user's own first; the list shows those matching the filter, each with a check box. */
    private final javafx.collections.ObservableList<DepartmentView> allDepartments = javafx.collections.FXCollections.observableArrayList();
    private final javafx.collections.transformation.FilteredList<DepartmentView> shownDepartments = new javafx.collections.transformation.FilteredList<>(allDepartments);
    private final Map<Long, javafx.beans.property.BooleanProperty> checked = new java.util.HashMap<>();
    @FXML private Button saveButton;

    public UserEditorPresenter(UserEditing users, TaskRunner runner) {
        this.users = users;
        this.runner = runner;
    }

    @FXML
    private void initialize() {
        roleBox.getItems().setAll(Role.values());
        departmentsList.setItems(shownDepartments);
        departmentsList.setCellFactory(javafx.scene.control.cell.CheckBoxListCell.forListView(this::checkedOf));
        departmentSearch.textProperty().addListener((o, was, text) -> {
            String t = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
            shownDepartments.setPredicate(d -> t.isEmpty() || d.name().toLowerCase(java.util.Locale.ROOT).contains(t));
        });
        // Space on the focused row checks it, as a click on its box does
        departmentsList.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            DepartmentView d = departmentsList.getFocusModel().getFocusedItem();
            if (e.getCode() == KeyCode.SPACE && d != null) {
                checkedOf(d).set(!checkedOf(d).get());
                e.consume();
            }
        });
        saveButton.disableProperty().bind(valid.not().or(saving));
        for (javafx.beans.Observable o : List.of(emailField.textProperty(), usernameField.textProperty(), roleBox.valueProperty(),
                quotaField.textProperty(), usageField.textProperty(), settingsArea.textProperty())) {
            o.addListener(x -> validate());
        }
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                cancel();
                e.consume();
            } else if (e.getCode() == KeyCode.ENTER && !(e.getTarget() instanceof TextArea) && !e.isShiftDown()) {
                save();
                e.consume();
            }
        });
    }

    public VBox root() { return root; }
    public void setOnSaved(Consumer<UserView> c) { onSaved = c; }
    public void setOnClosed(Runnable r) { onClosed = r; }

    public void setDepartments(List<DepartmentView> departments) {
        allDepartments.setAll(departments);
        if (loaded != null) {
            orderDepartments(loaded.departmentIds());
        }
    }

    private javafx.beans.property.BooleanProperty checkedOf(DepartmentView d) {
        return checked.computeIfAbsent(d.id(), id -> {
            javafx.beans.property.BooleanProperty p = new javafx.beans.property.SimpleBooleanProperty();
            p.addListener(x -> showChosenCount());
            return p;
        });
    }

    private void showChosenCount() {
        long n = checked.values().stream().filter(javafx.beans.property.BooleanProperty::get).count();
        departmentsLabel.setText(n == 0 ? "Departments" : "Departments (" + n + " chosen)");
    }

    /** The user's departments first (checked), then the others, each group by name. */
    private void orderDepartments(Set<Long> chosen) {
        List<DepartmentView> ordered = new java.util.ArrayList<>(allDepartments);
        ordered.sort(java.util.Comparator.comparing((DepartmentView d) -> !chosen.contains(d.id()))
                .thenComparing(d -> d.name().toLowerCase(java.util.Locale.ROOT)));
        allDepartments.setAll(ordered);
        allDepartments.forEach(d -> checkedOf(d).set(chosen.contains(d.id())));
    }

    /** "#id · created … by … · updated … by …", or what a new user gets. */
    private static String record(UserView u) {
        java.time.format.DateTimeFormatter t = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        String created = u.createdAt() == null ? "" : " · created " + t.format(u.createdAt()) + " UTC" + (u.createdBy() == null ? "" : " by " + u.createdBy());
        String updated = u.updatedAt() == null ? "" : " · updated " + t.format(u.updatedAt()) + " UTC" + (u.updatedBy() == null ? "" : " by " + u.updatedBy());
        return "#" + u.id() + created + updated + " · version " + u.version();
    }

    public void edit(UserView user, String source) {
        titleLabel.setText("Edit " + user.email());
        sourceLabel.setText(source);
        recordLabel.setText(record(user));
        fill(UserForm.of(user));
    }

    public void createNew() {
        titleLabel.setText("New user");
        sourceLabel.setText("");
        recordLabel.setText("New: the id and the created time are set when it is saved.");
        fill(UserForm.blank());
    }

    private void fill(UserForm f) {
        loaded = f;
        emailField.setText(f.email());
        usernameField.setText(f.username());
        roleBox.setValue(f.role());
        activeCheck.setSelected(f.active());
        quotaField.setText(f.quota());
        usageField.setText(f.usage());
        settingsArea.setText(f.settings() == null ? "" : f.settings());
        departmentSearch.clear();
        orderDepartments(f.departmentIds());
        departmentsList.scrollTo(0);
        editorMessage.setText("");
        root.setVisible(true);
        root.setManaged(true);
        validate();
        emailField.requestFocus();
    }

    UserForm form() {
        Set<Long> deps = new HashSet<>();
        checked.forEach((id, on) -> {
            if (on.get() && allDepartments.stream().anyMatch(d -> d.id() == id)) {
                deps.add(id);
            }
        });
        return new UserForm(loaded.id(), loaded.version(), emailField.getText(), usernameField.getText(), roleBox.getValue(),
                activeCheck.isSelected(), quotaField.getText(), usageField.getText(), deps, settingsArea.getText());
    }

    private boolean validate() {
        UserForm f = form();
        show(UserRules.validate(f.email(), f.username(), f.role(), f.quota(), f.usage(), f.settings()));
        return valid.get();
    }

    private void show(Map<String, String> errors) {
        mark(emailField, emailError, errors.get("email"));
        mark(usernameField, usernameError, errors.get("username"));
        mark(roleBox, roleError, errors.get("role"));
        mark(quotaField, quotaError, errors.get("quota"));
        mark(usageField, usageError, errors.get("usage"));
        mark(departmentsList, departmentsError, errors.get("departments"));
        mark(settingsArea, settingsError, errors.get("settings"));
        valid.set(errors.isEmpty());
    }

    private static void mark(Control field, Label error, String message) {
        error.setText(message == null ? "" : message);
        field.getStyleClass().remove("invalid");
        if (message != null) {
            field.getStyleClass().add("invalid");
        }
    }

    @FXML
    void save() {
        if (!validate()) {
            return;
        }
        submit(form());
    }

    private void submit(UserForm f) {
        editorMessage.setText("");
        saving.set(true);
        runner.run(f.isNew() ? "Creating user" : "Saving user", () -> users.save(f), result -> {
            saving.set(false);
            if (result instanceof SaveResult.Saved s) {
                close();
                onSaved.accept(s.user());
            } else if (result instanceof SaveResult.Invalid i) {
                show(i.fieldErrors()); // e.g. a taken email, on its field; Save stays disabled until the field changes
                editorMessage.setText("Not saved: fix the marked fields.");
            } else if (result instanceof SaveResult.Conflicted c) {
                editorMessage.setText("Not saved: " + (c.conflict().deleted() ? "the user was deleted meanwhile." : "changed by someone else meanwhile."));
                Dialogs.conflict(root, c.conflict(),
                        theirs -> edit(theirs, "Reloaded from the database (their version)"),
                        theirs -> submit(f.withVersion(theirs.version())));
            }
        }, message -> {
            saving.set(false);
            editorMessage.setText("Not saved: " + message);
        });
    }

    @FXML
    void cancel() {
        close();
        onClosed.run();
    }

    private void close() {
        root.setVisible(false);
        root.setManaged(false);
    }

    public Optional<Long> editingId() {
        return root.isVisible() ? Optional.ofNullable(loaded.id()) : Optional.empty();
    }
}
