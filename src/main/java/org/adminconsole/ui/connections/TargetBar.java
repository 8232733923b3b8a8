package org.adminconsole.ui.connections;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import org.adminconsole.service.connections.ConnectionProfile;
import org.adminconsole.service.connections.ProfileConnections;
import org.adminconsole.service.inspect.InspectTargets;
import org.adminconsole.ui.TaskRunner;

/**
 * "Database: [Console database ▾] Connections…" above Schema &amp; data and SQL: picks the inspected database. Picking a
 * profile opens it in the background (asking for its password first when the profile says so) and switches both views;
 * a failure leaves the previous database inspected and says why.
 */
public final class TargetBar {

    static final String CONSOLE = "Console database";

    private final InspectTargets targets;
    private final ProfileConnections profiles;
    private final TaskRunner runner;
    private final javafx.scene.layout.VBox node = new javafx.scene.layout.VBox(4);
    private final ComboBox<String> choice = new ComboBox<>();
    private final Label message = new Label();
    private boolean updating;

    public TargetBar(InspectTargets targets, ProfileConnections profiles, TaskRunner runner, String idPrefix) {
        this.targets = targets;
        this.profiles = profiles;
        this.runner = runner;
        choice.setId(idPrefix + "TargetChoice");
        message.setId(idPrefix + "TargetMessage");
        message.getStyleClass().add("muted");
        message.setWrapText(true);
        message.setMaxWidth(Double.MAX_VALUE);
        Button connections = new Button("Connections…");
        connections.setId(idPrefix + "ConnectionsButton");
        connections.setOnAction(e -> ConnectionsDialog.show(node, profiles, targets, runner, true));
        Label label = new Label("Database:");
        // wraps to a second line in a narrow pane instead of cutting the texts off
        javafx.scene.layout.FlowPane row = new javafx.scene.layout.FlowPane(6, 4, label, choice, connections);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        for (javafx.scene.control.Control c : List.of(label, choice, connections)) {
            c.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        node.getChildren().addAll(row, message);
        choice.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item);
            }
        });
        choice.setOnShowing(e -> fill());
        choice.valueProperty().addListener((o, was, now) -> {
            if (!updating && now != null && !now.equals(was)) {
                pick(now);
            }
        });
        targets.onSwitch(t -> Platform.runLater(this::showCurrent));
        showCurrent();
    }

    public javafx.scene.layout.VBox node() {
        return node;
    }

    /** The profile names (read in the background would be nicer; the file is a few hundred bytes). */
    private void fill() {
        List<String> items = new ArrayList<>();
        items.add(CONSOLE);
        profiles.store().list().forEach(p -> items.add(p.name()));
        updating = true;
        try {
            String v = choice.getValue();
            choice.getItems().setAll(items);
            choice.setValue(v);
        } finally {
            updating = false;
        }
    }

    private void showCurrent() {
        InspectTargets.Target t = targets.current();
        String name = t.console() ? CONSOLE : t.label().replaceFirst(" \\(.*$", "");
        updating = true;
        try {
            if (!choice.getItems().contains(name)) {
                choice.getItems().add(name);
            }
            choice.setValue(name);
        } finally {
            updating = false;
        }
        message.setText(t.console() ? "" : "Inspecting " + t.label() + ", read-only");
    }

    private void pick(String name) {
        if (name.equals(CONSOLE)) {
            runner.run("Back to the console database", () -> {
                targets.switchTo(null);
                return null;
            }, v -> { }, m -> message.setText(m));
            return;
        }
        Optional<ConnectionProfile> p = profiles.store().list().stream().filter(x -> x.name().equals(name)).findFirst();
        if (p.isEmpty()) {
            showCurrent();
            return;
        }
        ConnectionsDialog.openProfile(node, profiles, targets, runner, p.get(), null, errors -> {
            showCurrent();
            message.setText("Could not open " + name + ": " + String.join(" ", errors.values()));
        }, () -> { });
    }
}
