package org.adminconsole.ui;

import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.Conflict;

/**
 * The Users view's dialogs: confirmation, typed confirmation for big bulk actions, and the conflict choice.
 * All are non-blocking ({@code show()}); the chosen action runs when the dialog closes. Buttons have ids for tests.
 */
public final class Dialogs {

    private Dialogs() {
    }

    /** {@code d} owned by {@code owner}'s window, with the console's style; when it closes, focus goes back to {@code owner}. */
    public static <D extends Dialog<?>> D owned(D d, Node owner) {
        if (owner.getScene() != null && owner.getScene().getWindow() != null) {
            d.initOwner(owner.getScene().getWindow());
        }
        d.getDialogPane().getStylesheets().add(Dialogs.class.getResource("/fxml/console.css").toExternalForm());
        // when it closes, the keyboard goes back to what opened it (the next keystroke belongs there, not nowhere)
        d.addEventHandler(javafx.scene.control.DialogEvent.DIALOG_HIDDEN, e -> javafx.application.Platform.runLater(() -> {
            if (owner.getScene() != null && owner.isFocusTraversable() && !owner.isDisabled() && owner.isVisible()) {
                owner.requestFocus();
            }
        }));
        return d;
    }

    /** Asks before a destructive action; {@code onOk} runs only when the operator confirms. */
    public static void confirm(Node owner, String title, String text, String okLabel, Runnable onOk) {
        Alert a = owned(new Alert(Alert.AlertType.CONFIRMATION), owner);
        ButtonType ok = new ButtonType(okLabel, ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(ok, ButtonType.CANCEL);
        a.setTitle(title);
        a.setHeaderText(title);
        a.setContentText(text);
        a.getDialogPane().setId("confirmDialog");
        a.getDialogPane().lookupButton(ok).setId("confirmOk");
        a.getDialogPane().lookupButton(ButtonType.CANCEL).setId("confirmCancel");
        a.setOnHidden(e -> {
            if (a.getResult() == ok) {
                onOk.run();
            }
        });
        a.show();
    }

    /** The dry-run result; above {@code typedAbove} users the operator must type the number to confirm. */
    public static void bulkConfirm(Node owner, String what, long count, long typedAbove, Runnable onOk) {
        bulkConfirm(owner, what, count, typedAbove, null, onOk);
    }

    /** As above, with {@code details} (the list of users that would change) under the summary. */
    public static void bulkConfirm(Node owner, String what, long count, long typedAbove, Node details, Runnable onOk) {
        Dialog<ButtonType> d = owned(new Dialog<>(), owner);
        ButtonType ok = new ButtonType("Apply to " + org.adminconsole.support.Counts.of(count, "user", "users"), ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(ok, ButtonType.CANCEL);
        d.setTitle("Confirm bulk action");
        Label summary = new Label("Dry run: " + what + " would change " + org.adminconsole.support.Counts.of(count, "user", "users") + ".");
        summary.setId("bulkDryRunLabel");
        VBox box = new VBox(8, summary);
        if (details != null) {
            box.getChildren().add(details);
        }
        Node okButton = d.getDialogPane().lookupButton(ok);
        okButton.setId("bulkConfirmOk");
        if (count > typedAbove) {
            TextField typed = new TextField();
            typed.setId("bulkConfirmField");
            typed.setPromptText(String.valueOf(count));
            box.getChildren().addAll(new Label("This changes more than " + typedAbove + " users. Type " + count + " to confirm:"), typed);
            okButton.disableProperty().bind(typed.textProperty().isNotEqualTo(String.valueOf(count)));
            // the number typed goes into the field (with OK disabled the dialog would focus Cancel), Enter confirms
            d.setOnShown(e -> javafx.application.Platform.runLater(typed::requestFocus));
            typed.setOnAction(e -> {
                if (!okButton.isDisabled()) {
                    ((javafx.scene.control.Button) okButton).fire();
                }
            });
        }
        d.getDialogPane().setContent(box);
        d.getDialogPane().setId("bulkConfirmDialog");
        d.setOnHidden(e -> {
            if (d.getResult() == ok) {
                onOk.run();
            }
        });
        d.show();
    }

    /** Shows which fields differ (theirs vs. yours); the operator reloads theirs or overwrites with theirs' version. */
    public static void conflict(Node owner, Conflict c, Consumer<UserView> reload, Consumer<UserView> overwrite) {
        Dialog<ButtonType> d = owned(new Dialog<>(), owner);
        d.setTitle("Changed by someone else");
        d.getDialogPane().setId("conflictDialog");
        if (c.deleted()) {
            d.setHeaderText("This user was deleted by someone else while you edited it. Your changes were not saved.");
            d.getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);
            d.show();
            return;
        }
        ButtonType reloadType = new ButtonType("Reload theirs (drop mine)", ButtonBar.ButtonData.LEFT);
        ButtonType overwriteType = new ButtonType("Overwrite with mine", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(reloadType, overwriteType, ButtonType.CANCEL);
        d.getDialogPane().lookupButton(reloadType).setId("conflictReload");
        d.getDialogPane().lookupButton(overwriteType).setId("conflictOverwrite");
        d.setHeaderText("Someone else changed " + c.theirs().email() + " since you opened it. Nothing was saved yet.");
        GridPane grid = new GridPane();
        grid.setId("conflictGrid");
        grid.getStyleClass().add("conflict-grid");
        grid.setHgap(16);
        grid.setVgap(4);
        grid.addRow(0, header("Field"), header("Theirs (current)"), header("Yours"));
        int row = 1;
        for (Conflict.FieldDiff f : c.diffs()) {
            Label theirs = styled(f.theirs(), "theirs");
            theirs.setId("theirs-" + f.field());
            Label yours = styled(f.yours(), "yours");
            yours.setId("yours-" + f.field());
            grid.addRow(row++, new Label(f.field()), theirs, yours);
        }
        if (c.diffs().isEmpty()) {
            grid.addRow(row, new Label("(their change equals yours; overwrite is safe)"));
        }
        d.getDialogPane().setContent(grid);
        d.setOnHidden(e -> {
            if (d.getResult() == reloadType) {
                reload.accept(c.theirs());
            } else if (d.getResult() == overwriteType) {
                overwrite.accept(c.theirs());
            }
        });
        d.show();
    }

    private static Label header(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("header");
        return l;
    }

    private static Label styled(String text, String style) {
        Label l = new Label(text);
        l.getStyleClass().add(style);
        l.setWrapText(true);
        l.setMaxWidth(260);
        return l;
    }
}
