package org.adminconsole.ui;

import java.util.function.BiConsumer;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The sign-in form a shared database opens with: login (prefilled with the last one signed in here) and password. A
 * refused sign-in shows its one sentence under the form and offers another try; the password field is cleared, the
 * login kept. Built in code: it has no presenter of its own, {@link MainPresenter} runs the sign-in.
 */
final class SignInPane {

    private final StackPane root = new StackPane();
    private final TextField login = new TextField();
    private final PasswordField password = new PasswordField();
    private final Button signIn = new Button("Sign in");
    private final Label message = new Label();

    SignInPane(String database, String lastLogin, BiConsumer<String, String> onSubmit) {
        this(database, lastLogin, onSubmit, null);
    }

    /**
     * {@code onConnections}: a "Connections…" link under the form (the connection profiles can be edited and tested while
     * the console's database is not open, as on the error screen); none when null.
     */
    SignInPane(String database, String lastLogin, BiConsumer<String, String> onSubmit, Runnable onConnections) {
        Label title = new Label("Sign in");
        title.getStyleClass().add("sign-in-title");
        Label where = new Label("to " + database);
        where.getStyleClass().add("muted-text");
        where.setWrapText(true);
        login.setId("signInLogin");
        login.setPromptText("database login");
        login.setText(lastLogin);
        password.setId("signInPassword");
        signIn.setId("signInButton");
        signIn.setDefaultButton(true);
        message.setId("signInMessage");
        message.getStyleClass().add("sign-in-message");
        message.setWrapText(true);
        message.setMaxWidth(360);
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        Label l1 = new Label("Login");
        l1.setLabelFor(login);
        Label l2 = new Label("Password");
        l2.setLabelFor(password);
        grid.addRow(0, l1, login);
        grid.addRow(1, l2, password);
        VBox box = new VBox(10, title, where, grid, signIn, message);
        if (onConnections != null) {
            javafx.scene.control.Hyperlink connections = new javafx.scene.control.Hyperlink("Connections…");
            connections.setId("signInConnections");
            connections.setOnAction(e -> onConnections.run());
            box.getChildren().add(connections);
        }
        box.getStyleClass().add("sign-in");
        box.setId("signInPane");
        box.setMaxSize(420, VBox.USE_PREF_SIZE);
        box.setAlignment(Pos.TOP_LEFT);
        root.getChildren().add(box);
        root.getStyleClass().add("sign-in-backdrop");
        StackPane.setAlignment(box, Pos.CENTER);
        signIn.setOnAction(e -> {
            if (login.getText() == null || login.getText().isBlank()) {
                failed("Type your login.");
                login.requestFocus();
                return;
            }
            busy(true);
            message.setText("Signing in…");
            onSubmit.accept(login.getText().strip(), password.getText());
        });
    }

    /** The last login signed in here, unless the operator typed already. */
    void prefill(String last) {
        if (login.getText().isBlank() && last != null && !last.isBlank()) {
            login.setText(last);
            if (!password.isFocused()) {
                password.requestFocus();
            }
        }
    }

    StackPane root() {
        return root;
    }

    /** Focus where the operator types next: the password when the login is known. */
    void focus() {
        javafx.application.Platform.runLater(() -> (login.getText().isBlank() ? login : password).requestFocus());
    }

    void busy(boolean busy) {
        signIn.setDisable(busy);
        login.setDisable(busy);
        password.setDisable(busy);
    }

    /** A refused sign-in: its sentence, the password cleared, another try. */
    void failed(String why) {
        busy(false);
        message.setText(why);
        password.clear();
        focus();
    }
}
