package org.adminconsole.ui.monitor;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.adminconsole.persistence.monitor.OperationStats;
import org.adminconsole.service.monitor.IdentityMapDemo;
import org.adminconsole.service.monitor.SessionDemoService;
import org.adminconsole.ui.TaskRunner;

/**
 * Session demonstration: open a user through the caches or reload it from the database, and show what
 * each operation cost (its row appears in the operations log too).
 */
public class SessionDemoPresenter {

    private final SessionDemoService demo;
    private final IdentityMapDemo identityMap;
    private final TaskRunner runner;

    @FXML private TextField demoUserField;
    @FXML private Label demoUserError;
    @FXML private Button openCachedButton;
    @FXML private Button reloadButton;
    @FXML private Label demoResult;

    public SessionDemoPresenter(SessionDemoService demo, IdentityMapDemo identityMap, TaskRunner runner) {
        this.demo = demo;
        this.identityMap = identityMap;
        this.runner = runner;
    }

    /** The identity-map demonstration: each step with its statements and first-level hits. */
    @FXML
    void identityMap() {
        runner.run("Identity map demonstration", () -> identityMap.run(20), steps -> {
            StringBuilder sb = new StringBuilder("Within one operation:");
            for (IdentityMapDemo.Step s : steps) {
                sb.append("\n• ").append(s.action()).append(": ").append(s.statements()).append(" statement")
                        .append(s.statements() == 1 ? "" : "s").append(", ").append(s.l1Hits()).append(" L1 hit")
                        .append(s.l1Hits() == 1 ? "" : "s").append(" — ").append(s.shows());
            }
            demoResult.setText(sb.toString());
        }, message -> demoResult.setText("The demonstration failed: " + message));
    }

    @FXML
    private void initialize() {
        Fields.clearError(demoUserField, demoUserError);
    }

    @FXML
    void openCached() {
        open(false);
    }

    @FXML
    void reload() {
        open(true);
    }

    private void open(boolean fromDatabase) {
        String key = demoUserField.getText();
        // the service checks the input before touching the database; its message lands on the field
        Fields.clearError(demoUserField, demoUserError);
        runner.run(fromDatabase ? "Reloading user from the database" : "Opening user (caches)",
                () -> fromDatabase ? demo.reloadFromDatabase(key) : demo.openCached(key),
                this::show, message -> Fields.showError(demoUserField, demoUserError, message));
    }

    private void show(SessionDemoService.Result r) {
        OperationStats.Snapshot s = r.operation() == null ? null : r.operation().stats();
        String how = r.fromDatabase() ? "Reloaded from the database" : "Opened through the caches";
        demoResult.setText(how + ": " + r.user().email() + " (username " + r.user().username() + ", version "
                + r.user().version() + ")" + (s == null ? "" : " by " + r.operation().record().label() + ": "
                + s.statements() + " statements, L1 " + s.l1Hits() + " hits / " + s.l1Misses() + " misses, L2 "
                + s.l2Hits() + " hits / " + s.l2Misses() + " misses"));
    }
}
