package org.adminconsole.ui.connections;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.connections.ConnectionProfile;
import org.adminconsole.service.connections.ConnectionProfile.Kind;
import org.adminconsole.service.connections.ConnectionProfile.PasswordSource;
import org.adminconsole.service.connections.ProfileConnections;
import org.adminconsole.service.inspect.InspectTargets;
import org.adminconsole.ui.TaskRunner;

/**
 * Connections…: add, edit, test, remove and open connection profiles. Each field shows its own message under it; nothing
 * is saved while a field is wrong. The password is never saved: with "Ask when connecting" it is typed here (or in a
 * prompt) just before Test or Open. Every file and database access runs in the background.
 */
public final class ConnectionsDialog {

    private final ProfileConnections profiles;
    private final InspectTargets targets;
    private final TaskRunner runner;
    private final Stage stage = new Stage();
    private final ListView<ConnectionProfile> list = new ListView<>();
    private final TextField name = field("profileName");
    private final ChoiceBox<Kind> kind = new ChoiceBox<>();
    private final TextField file = field("profileFile");
    private final TextField host = field("profileHost");
    private final TextField port = field("profilePort");
    private final TextField database = field("profileDatabase");
    private final TextField user = field("profileUser");
    private final ChoiceBox<PasswordSource> passwordSource = new ChoiceBox<>();
    private final TextField passwordRef = field("profilePasswordRef");
    private final PasswordField password = new PasswordField();
    private final Map<String, Label> errors = new LinkedHashMap<>();
    private final Label message = new Label();
    private final Button open = new Button("Open");
    private final List<Node> fileRow = new java.util.ArrayList<>();
    private final List<Node> serverRows = new java.util.ArrayList<>();
    /** The list is selecting the profile just saved: the form keeps what was typed (and the password). */
    private boolean reselecting;
    /** The profile being edited (null: a new one). */
    private String editing;

    private ConnectionsDialog(Node owner, ProfileConnections profiles, InspectTargets targets, TaskRunner runner, boolean canOpen) {
        this.profiles = profiles;
        this.targets = targets;
        this.runner = runner;
        stage.setTitle("Connections");
        Window w = owner == null || owner.getScene() == null ? null : owner.getScene().getWindow();
        if (w != null) {
            stage.initOwner(w);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        list.setId("profileList");
        list.setPrefWidth(220);
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(ConnectionProfile p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : p.name() + "\n" + p.describe());
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> {
            if (p != null && !reselecting) {
                edit(p);
            }
        });
        kind.setId("profileKind");
        kind.getItems().setAll(Kind.values());
        kind.setValue(Kind.H2_FILE);
        kind.valueProperty().addListener((o, a, k) -> kindChanged(a, k));
        passwordSource.setId("profilePasswordSource");
        passwordSource.getItems().setAll(PasswordSource.values());
        passwordSource.setValue(PasswordSource.ASK);
        passwordSource.valueProperty().addListener((o, a, s) -> passwordSourceChanged());
        password.setId("profilePassword");
        password.setPromptText("typed now, never saved");
        message.setId("connectionsMessage");
        message.setWrapText(true);
        message.setMaxWidth(560);

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(2);
        int row = 0;
        row = addRow(form, row, "Name", name, ConnectionProfile.NAME, null);
        form.add(new Label("Type"), 0, row);
        form.add(kind, 1, row++);
        Button browse = new Button("Browse…");
        browse.setId("browseFileButton");
        browse.setOnAction(e -> browse());
        HBox fileBox = new HBox(6, file, browse);
        HBox.setHgrow(file, Priority.ALWAYS);
        int fileStart = row;
        row = addRow(form, row, "H2 file", fileBox, ConnectionProfile.FILE, fileRow);
        int serverStart = row;
        row = addRow(form, row, "Host", host, ConnectionProfile.HOST, serverRows);
        row = addRow(form, row, "Port", port, ConnectionProfile.PORT, serverRows);
        row = addRow(form, row, "Database", database, ConnectionProfile.DATABASE, serverRows);
        row = addRow(form, row, "User", user, ConnectionProfile.USER, null);
        form.add(new Label("Password"), 0, row);
        form.add(passwordSource, 1, row++);
        form.add(passwordRef, 1, row++);
        row = addRow(form, row, "", password, ConnectionProfile.PASSWORD, null);

        Button newButton = button("newProfileButton", "New", e -> edit(null));
        Button remove = button("removeProfileButton", "Remove", e -> remove());
        Button save = button("saveProfileButton", "Save", e -> save());
        Button test = button("testProfileButton", "Test", e -> test());
        open.setId("openProfileButton");
        open.setOnAction(e -> open());
        open.setDisable(!canOpen || targets == null);
        Button console = button("inspectConsoleButton", "Inspect console database", e -> backToConsole());
        console.setDisable(!canOpen || targets == null);
        Button close = button("closeConnectionsButton", "Close", e -> stage.close());
        HBox actions = new HBox(6, save, test, open, console, close);
        VBox right = new VBox(8, form, actions, message);
        right.setPadding(new Insets(8));
        VBox left = new VBox(6, list, new HBox(6, newButton, remove));
        left.setPadding(new Insets(8));
        VBox.setVgrow(list, Priority.ALWAYS);
        BorderPane root = new BorderPane(right);
        root.setLeft(left);
        root.setId("connectionsDialog");
        Scene scene = new Scene(root, 860, 520);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage.setScene(scene);
        kindChanged(null, Kind.H2_FILE);
        passwordSourceChanged();
        user.setText("SA");
    }

    /** Shows the dialog ({@code canOpen}: the console's database is open, so a profile can be opened for inspection). */
    public static ConnectionsDialog show(Node owner, ProfileConnections profiles, InspectTargets targets, TaskRunner runner, boolean canOpen) {
        ConnectionsDialog d = new ConnectionsDialog(owner, profiles, targets, runner, canOpen);
        d.reloadList(null);
        d.edit(null);
        if (!canOpen) {
            d.message.setText("The console's database is not open: profiles can be edited and tested, and opened once it is.");
        }
        d.stage.show();
        return d;
    }

    private static TextField field(String id) {
        TextField t = new TextField();
        t.setId(id);
        t.setPrefColumnCount(30);
        return t;
    }

    private static Button button(String id, String text, javafx.event.EventHandler<javafx.event.ActionEvent> action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(action);
        return b;
    }

    private int addRow(GridPane form, int row, String label, Node control, String field, List<Node> group) {
        Label l = new Label(label);
        form.add(l, 0, row);
        form.add(control, 1, row);
        Label error = new Label();
        error.setId(field + "Error");
        error.getStyleClass().add("field-error");
        error.setStyle("-fx-text-fill: #b00020;");
        error.setWrapText(true);
        error.setMaxWidth(520);
        errors.put(field, error);
        form.add(error, 1, row + 1);
        if (group != null) {
            group.addAll(List.of(l, control, error));
        }
        return row + 2;
    }

    private void kindChanged(Kind was, Kind k) {
        boolean fileKind = k == Kind.H2_FILE;
        fileRow.forEach(n -> {
            n.setVisible(fileKind);
            n.setManaged(fileKind);
        });
        serverRows.forEach(n -> {
            n.setVisible(!fileKind);
            n.setManaged(!fileKind);
        });
        if (!fileKind && (port.getText().isBlank() || was != null && port.getText().equals(String.valueOf(was.defaultPort())))) {
            port.setText(String.valueOf(k.defaultPort()));
        }
        if (k == Kind.POSTGRES && user.getText().equals("SA")) {
            user.setText("");
        }
        database.setPromptText(k == Kind.POSTGRES ? "database name" : "database path on the server, e.g. ~/shop");
    }

    private void passwordSourceChanged() {
        PasswordSource s = passwordSource.getValue();
        passwordRef.setVisible(s == PasswordSource.ENV || s == PasswordSource.FILE);
        passwordRef.setManaged(passwordRef.isVisible());
        passwordRef.setPromptText(s == PasswordSource.ENV ? "variable name, e.g. SHOP_DB_PASSWORD" : "/full/path/to/password-file");
        password.setVisible(s == PasswordSource.ASK);
        password.setManaged(s == PasswordSource.ASK);
    }

    private void browse() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("H2 database file");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("H2 database (*.mv.db)", "*.mv.db"));
        File f = chooser.showOpenDialog(stage);
        if (f != null) {
            file.setText(f.getAbsolutePath());
        }
    }

    private void edit(ConnectionProfile p) {
        clearErrors();
        editing = p == null ? null : p.name();
        name.setText(p == null ? "" : p.name());
        kind.setValue(p == null ? Kind.H2_FILE : p.kind());
        file.setText(p == null ? "" : p.file());
        host.setText(p == null ? "" : p.host());
        port.setText(p == null || p.kind() == Kind.H2_FILE ? String.valueOf(kind.getValue().defaultPort()) : String.valueOf(p.port()));
        if (p == null && kind.getValue() == Kind.H2_FILE) {
            port.setText("");
        }
        database.setText(p == null ? "" : p.database());
        user.setText(p == null ? "SA" : p.user());
        passwordSource.setValue(p == null ? PasswordSource.ASK : p.passwordSource());
        passwordRef.setText(p == null ? "" : p.passwordRef());
        password.clear();
        if (p == null) {
            list.getSelectionModel().clearSelection();
        }
    }

    /** The form as a profile (not validated: the service does that). */
    private ConnectionProfile form() {
        int p;
        try {
            p = Integer.parseInt(port.getText().strip());
        } catch (NumberFormatException e) {
            p = 0;
        }
        return new ConnectionProfile(name.getText(), kind.getValue(), file.getText(), host.getText(), p, database.getText(),
                user.getText(), passwordSource.getValue(), passwordRef.getText());
    }

    private String portText() {
        return kind.getValue() == Kind.H2_FILE ? "0" : port.getText();
    }

    private void clearErrors() {
        errors.values().forEach(l -> l.setText(""));
        message.setText("");
        message.getStyleClass().remove("error");
    }

    private void showErrors(Map<String, String> fieldErrors) {
        fieldErrors.forEach((f, m) -> {
            Label l = errors.get(f);
            if (l != null) {
                l.setText(m);
            } else {
                message.setText(m);
            }
        });
        Map.Entry<String, String> first = fieldErrors.entrySet().iterator().next();
        if (errors.containsKey(first.getKey())) {
            message.setText("Not done: " + first.getValue());
        }
    }

    /** Runs {@code work} in the background; a refusal shows on its fields, anything else in the message line. */
    private <T> void background(String what, Callable<T> work, Consumer<T> done) {
        clearErrors();
        message.setText(what + "…");
        runner.run(what, () -> {
            try {
                return Outcome.ok(work.call());
            } catch (ValidationException e) {
                return Outcome.<T>refused(e.fieldErrors());
            }
        }, o -> {
            message.setText("");
            if (o.errors() != null) {
                showErrors(o.errors());
            } else {
                done.accept(o.value());
            }
        }, m -> message.setText(what + " failed: " + m));
    }

    private record Outcome<T>(T value, Map<String, String> errors) {
        static <T> Outcome<T> ok(T v) {
            return new Outcome<>(v, null);
        }

        static <T> Outcome<T> refused(Map<String, String> e) {
            return new Outcome<>(null, e.isEmpty() ? Map.of("", "Refused.") : e);
        }
    }

    private void save() {
        ConnectionProfile p = form();
        String port = portText();
        String replacing = editing;
        background("Saving " + p.name(), () -> profiles.store().save(p, port, replacing), saved -> {
            editing = saved.name();
            reloadList(saved.name());
            message.setText("Saved " + saved.name() + " (without its password).");
        });
    }

    private void test() {
        ConnectionProfile p = form();
        String asked = password.getText();
        String port = portText();
        background("Testing " + p.name(), () -> {
            ConnectionProfile.validated(p, port, List.of());
            return profiles.test(p, asked);
        }, ok -> message.setText(ok));
    }

    private void open() {
        ConnectionProfile p = form();
        String port = portText();
        String asked = password.getText();
        clearErrors();
        try {
            ConnectionProfile.validated(p, port, List.of());
        } catch (ValidationException e) {
            showErrors(e.fieldErrors());
            return;
        }
        message.setText("Opening " + p.name() + "…");
        openProfile(stage.getScene().getRoot(), profiles, targets, runner, p, asked, this::showErrors, stage::close);
    }

    private void backToConsole() {
        background("Back to the console database", () -> {
            targets.switchTo(null);
            return true;
        }, v -> stage.close());
    }

    private void remove() {
        ConnectionProfile p = list.getSelectionModel().getSelectedItem();
        if (p == null) {
            message.setText("Select a profile to remove.");
            return;
        }
        background("Removing " + p.name(), () -> {
            profiles.store().remove(p.name());
            return p;
        }, removed -> {
            reloadList(null);
            edit(null);
            message.setText("Removed " + removed.name() + ".");
        });
    }

    private void reloadList(String select) {
        runner.run("Reading the connection profiles", () -> profiles.store().list(), all -> {
            reselecting = true;
            try {
                list.getItems().setAll(all);
                all.stream().filter(p -> p.name().equals(select)).findFirst().ifPresent(p -> list.getSelectionModel().select(p));
            } finally {
                reselecting = false;
            }
        }, m -> message.setText("Cannot read the profiles: " + m));
    }

    /**
     * Opens {@code p} for inspection: asks for its password first when it asks and none was typed ({@code asked}
     * null), then connects in the background and switches Schema &amp; data and SQL to it. {@code onRefused} gets the
     * messages by field; {@code onOpened} runs on success.
     */
    static void openProfile(Node owner, ProfileConnections profiles, InspectTargets targets, TaskRunner runner, ConnectionProfile p,
                            String asked, Consumer<Map<String, String>> onRefused, Runnable onOpened) {
        if (asked == null && ProfileConnections.asksPassword(p)) {
            Dialog<String> prompt = new Dialog<>();
            prompt.setTitle("Password for " + p.name());
            prompt.setHeaderText("Password of '" + p.user() + "' for " + p.describe() + " (not saved)");
            PasswordField pw = new PasswordField();
            pw.setId("promptPassword");
            prompt.getDialogPane().setContent(pw);
            prompt.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
            prompt.setResultConverter(b -> b == ButtonType.OK ? pw.getText() : null);
            if (owner != null && owner.getScene() != null) {
                prompt.initOwner(owner.getScene().getWindow());
            }
            prompt.setOnHidden(e -> {
                String typed = prompt.getResult();
                if (typed == null) {
                    onRefused.accept(Map.of(ConnectionProfile.PASSWORD, "Not opened: no password given."));
                } else {
                    openProfile(owner, profiles, targets, runner, p, typed, onRefused, onOpened);
                }
            });
            prompt.show();
            javafx.application.Platform.runLater(pw::requestFocus);
            return;
        }
        runner.run("Opening " + p.name(), () -> {
            try {
                InspectTargets.Target t = profiles.open(p, asked);
                targets.switchTo(t);
                return Map.<String, String>of();
            } catch (ValidationException e) {
                return e.fieldErrors();
            }
        }, refused -> {
            if (refused.isEmpty()) {
                onOpened.run();
            } else {
                onRefused.accept(refused);
            }
        }, m -> onRefused.accept(Map.of("", m)));
    }

    /** For tests and the screenshot: the dialog's window. */
    public Stage stage() {
        return stage;
    }

    static Path pathOf(String text) {
        return Path.of(text);
    }
}
