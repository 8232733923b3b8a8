package org.adminconsole.ui.users;

import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import org.adminconsole.service.audit.RevertPlan;
import org.adminconsole.support.Counts;

/**
 * The dry-run dialog of reverting a bulk action: every user with the fields set back, the conflicting users (changed
 * or deleted since) marked, and a typed confirmation (the number of users reverted), like the bulk action itself.
 * With conflicts, OK stays disabled until the operator ticks "skip the conflicting users".
 */
public final class RevertDialogs {

    private RevertDialogs() {
    }

    /** {@code onOk} receives whether the conflicting users are to be skipped. */
    public static void confirmBulkRevert(Node owner, RevertPlan plan, Consumer<Boolean> onOk) {
        Dialog<ButtonType> d = new Dialog<>();
        if (owner != null && owner.getScene() != null) {
            d.initOwner(owner.getScene().getWindow());
        }
        int count = plan.revertable().size();
        ButtonType ok = new ButtonType("Revert " + Counts.of(count, "user", "users"), ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(ok, ButtonType.CANCEL);
        d.getDialogPane().setId("revertDialog");
        d.setTitle("Revert " + plan.operation());
        Label summary = new Label("Dry run: reverting " + plan.operation() + " sets back " + Counts.of(count, "user", "users")
                + (plan.conflicted().isEmpty() ? "." : "; " + Counts.of(plan.conflicted().size(), "user has", "users have")
                + " changed since (conflict)."));
        summary.setId("revertSummary");
        summary.setWrapText(true);
        ListView<String> list = new ListView<>();
        list.setId("revertList");
        list.setPrefHeight(220);
        for (RevertPlan.UserRevert u : plan.users()) {
            String fields = String.join(", ", u.fields().stream().map(f -> f.field() + " " + f.current() + " → " + f.restored()).toList());
            list.getItems().add((u.conflicted() ? "CONFLICT " + u.email() + ": " + u.describeConflict() : u.email() + ": " + fields));
        }
        TextField typed = new TextField();
        typed.setId("revertConfirmField");
        typed.setPromptText(String.valueOf(count));
        VBox box = new VBox(8, summary, list);
        Node okButton = d.getDialogPane().lookupButton(ok);
        okButton.setId("revertConfirmOk");
        var typedRight = typed.textProperty().isEqualTo(String.valueOf(count));
        CheckBox skip = new CheckBox("Skip the users in conflict (leave them as they are)");
        skip.setId("revertSkipConflicts");
        if (plan.conflicted().isEmpty()) {
            okButton.disableProperty().bind(typedRight.not().or(javafx.beans.binding.Bindings.createBooleanBinding(() -> count == 0)));
        } else {
            box.getChildren().add(skip);
            okButton.disableProperty().bind(typedRight.not().or(skip.selectedProperty().not())
                    .or(javafx.beans.binding.Bindings.createBooleanBinding(() -> count == 0)));
        }
        box.getChildren().addAll(new Label("Type " + count + " to confirm:"), typed);
        d.getDialogPane().setContent(box);
        d.setOnHidden(e -> {
            if (d.getResult() == ok) {
                onOk.accept(skip.isSelected());
            }
        });
        d.show();
    }

    /** The first throwable of this type in the cause chain, or null. */
    public static Throwable cause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable x = t; x != null; x = x.getCause() == x ? null : x.getCause()) {
            if (type.isInstance(x)) {
                return x;
            }
        }
        return null;
    }
}
