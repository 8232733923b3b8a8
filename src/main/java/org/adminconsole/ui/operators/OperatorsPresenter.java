package org.adminconsole.ui.operators;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.adminconsole.service.access.OperatorLogin;
import org.adminconsole.service.access.Operators;
import org.adminconsole.service.access.Role;
import org.adminconsole.ui.TaskRunner;

/**
 * Operator management (admins only; the tab is not shown to other roles and the service refuses them too): the
 * console's logins with their role, status and last sign-in; create a login with a role and an initial password,
 * change the selected login's role, reset its password, disable and enable it. Every change runs in the background and
 * is audited; a refusal or a wrong field shows on the message line, and the password field is cleared either way.
 */
public class OperatorsPresenter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Operators operators;
    private final TaskRunner runner;

    @FXML private TableView<OperatorLogin> loginsTable;
    @FXML private TableColumn<OperatorLogin, String> loginColumn;
    @FXML private TableColumn<OperatorLogin, String> roleColumn;
    @FXML private TableColumn<OperatorLogin, String> statusColumn;
    @FXML private TableColumn<OperatorLogin, String> lastSignInColumn;
    @FXML private TableColumn<OperatorLogin, String> signInsColumn;
    @FXML private TextField loginField;
    @FXML private ComboBox<Role> roleChoice;
    @FXML private PasswordField passwordField;
    @FXML private Button roleButton;
    @FXML private Button passwordButton;
    @FXML private Button disableButton;
    @FXML private Button enableButton;
    @FXML private Label message;

    public OperatorsPresenter(Operators operators, TaskRunner runner) {
        this.operators = operators;
        this.runner = runner;
    }

    @FXML
    private void initialize() {
        loginColumn.setCellValueFactory(cd -> new ReadOnlyStringWrapper(cd.getValue().login()));
        roleColumn.setCellValueFactory(cd -> new ReadOnlyStringWrapper(cd.getValue().role() == null ? "none" : cd.getValue().role().label()));
        statusColumn.setCellValueFactory(cd -> new ReadOnlyStringWrapper(cd.getValue().disabled() ? "disabled" : "active"));
        lastSignInColumn.setCellValueFactory(cd -> new ReadOnlyStringWrapper(
                cd.getValue().lastSignIn() == null ? "never" : TIME.format(cd.getValue().lastSignIn())));
        signInsColumn.setCellValueFactory(cd -> new ReadOnlyStringWrapper(String.format("%,d", cd.getValue().signIns())));
        roleChoice.getItems().setAll(Role.values());
        roleChoice.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(Role r) { return r == null ? "" : r.label(); }
            @Override public Role fromString(String s) { return Role.parse(s); }
        });
        roleChoice.setValue(Role.VIEWER);
        var selected = loginsTable.getSelectionModel().selectedItemProperty();
        for (Button b : List.of(roleButton, passwordButton, disableButton, enableButton)) {
            b.disableProperty().bind(selected.isNull());
        }
        selected.addListener((o, was, now) -> {
            if (now != null) {
                loginField.setText(now.login().toLowerCase(java.util.Locale.ROOT));
                roleChoice.setValue(now.role() == null ? Role.VIEWER : now.role());
            }
        });
        refresh();
    }

    @FXML
    void refresh() {
        runner.run("Reading logins", operators::list, this::show, message::setText);
    }

    private void show(List<OperatorLogin> logins) {
        OperatorLogin was = loginsTable.getSelectionModel().getSelectedItem();
        loginsTable.getItems().setAll(logins);
        if (was != null) {
            logins.stream().filter(l -> l.login().equals(was.login())).findFirst().ifPresent(l -> loginsTable.getSelectionModel().select(l));
        }
    }

    @FXML
    void create() {
        String login = loginField.getText();
        Role role = roleChoice.getValue();
        String password = takePassword();
        change("Creating login", () -> operators.create(login, role, password), l -> "Created " + l.login() + " as " + l.role().label() + ".");
    }

    @FXML
    void changeRole() {
        String login = selectedLogin();
        Role role = roleChoice.getValue();
        change("Changing role", () -> operators.changeRole(login, role), l -> l.login() + " is now " + l.role().label() + ".");
    }

    @FXML
    void resetPassword() {
        String login = selectedLogin();
        String password = takePassword();
        change("Resetting password", () -> operators.resetPassword(login, password), l -> "New password set for " + l.login() + ".");
    }

    @FXML
    void disable() {
        String login = selectedLogin();
        change("Disabling login", () -> operators.disable(login), l -> l.login() + " is disabled: it cannot sign in.");
    }

    @FXML
    void enable() {
        String login = selectedLogin();
        change("Enabling login", () -> operators.enable(login), l -> l.login() + " is enabled again.");
    }

    private String selectedLogin() {
        OperatorLogin l = loginsTable.getSelectionModel().getSelectedItem();
        return l == null ? "" : l.login().toLowerCase(java.util.Locale.ROOT);
    }

    /** The typed password, cleared from the field at once (it is never kept by the view). */
    private String takePassword() {
        String p = passwordField.getText();
        passwordField.clear();
        return p;
    }

    private void change(String what, Callable<OperatorLogin> work, java.util.function.Function<OperatorLogin, String> done) {
        message.setText(what + "…");
        runner.job(what, () -> {
            OperatorLogin l = work.call();
            return new Object[] {l, operators.list()};
        }).write().onSuccess(r -> {
            OperatorLogin l = (OperatorLogin) r[0];
            @SuppressWarnings("unchecked") List<OperatorLogin> all = (List<OperatorLogin>) r[1];
            show(all);
            all.stream().filter(x -> x.login().equals(l.login())).findFirst().ifPresent(x -> loginsTable.getSelectionModel().select(x));
            message.setText(done.apply(l));
        }).onFailure(message::setText).start();
    }
}
