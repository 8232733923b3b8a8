package org.adminconsole.ui.monitor;

import javafx.scene.control.Control;
import javafx.scene.control.Label;

/** Shows and clears a message on a field (the "invalid" style and the label under it). */
final class Fields {

    private Fields() {
    }

    static void showError(Control field, Label error, String message) {
        if (!field.getStyleClass().contains("invalid")) {
            field.getStyleClass().add("invalid");
        }
        error.setText(message);
        error.setVisible(true);
        error.setManaged(true);
    }

    static void clearError(Control field, Label error) {
        field.getStyleClass().remove("invalid");
        error.setText("");
        error.setVisible(false);
        error.setManaged(false);
    }
}
