package org.adminconsole.ui.demo;

import org.adminconsole.ui.TaskRunner;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import org.adminconsole.service.demo.DemoDataService;

/** Generates N demo users in the background with progress and Cancel (finished chunks stay). */
public class DemoDataPresenter {

    static final long MAX_USERS = 10_000_000;

    private final DemoDataService demo;
    private final TaskRunner runner;
    private AtomicBoolean cancelled;

    @FXML private TextField demoCount;
    @FXML private Label demoCountError;
    @FXML private Button generateButton;
    @FXML private Button cancelDemoButton;
    @FXML private ProgressBar demoProgress;
    @FXML private Label demoStatus;

    public DemoDataPresenter(DemoDataService demo, TaskRunner runner) {
        this.demo = demo;
        this.runner = runner;
    }

    @FXML
    void generate() {
        long count;
        try {
            count = Long.parseLong(demoCount.getText().trim().replace(",", "").replace("_", ""));
        } catch (NumberFormatException e) {
            count = -1;
        }
        demoCount.getStyleClass().remove("invalid");
        if (count < 1 || count > MAX_USERS) {
            demoCount.getStyleClass().add("invalid");
            demoCountError.setText(String.format("Type a whole number of users between 1 and %,d.", MAX_USERS));
            return;
        }
        demoCountError.setText("");
        AtomicBoolean flag = new AtomicBoolean();
        cancelled = flag;
        setBusy(true);
        demoProgress.setProgress(0);
        long total = count;
        long t0 = System.nanoTime();
        demoStatus.setText("Generating…");
        runner.run("Generating " + total + " demo users", () -> demo.generate(total, (done, all) -> Platform.runLater(() -> {
            demoProgress.setProgress((double) done / all);
            demoStatus.setText(String.format("%,d of %,d users", done, all));
        }), flag::get), n -> {
            setBusy(false);
            demoStatus.setText(String.format("Generated %,d users in %.1f s", n, (System.nanoTime() - t0) / 1e9));
        }, m -> {
            setBusy(false);
            demoStatus.setText(flag.get() ? "Cancelled: " + m + " (finished chunks were kept)" : "Generation failed: " + m);
        });
    }

    @FXML
    void cancel() {
        if (cancelled != null) {
            cancelled.set(true);
            demoStatus.setText("Cancelling…");
        }
    }

    private void setBusy(boolean busy) {
        generateButton.setDisable(busy);
        cancelDemoButton.setDisable(!busy);
    }
}
