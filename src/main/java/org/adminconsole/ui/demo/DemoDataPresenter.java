package org.adminconsole.ui.demo;

import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import org.adminconsole.config.Settings;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.ui.Dialogs;
import org.adminconsole.ui.TaskRunner;

/**
 * Generates N demo users in the background: asks first (naming the database and the number), shows progress,
 * and Cancel stops it (finished chunks stay).
 */
public class DemoDataPresenter {

    static final long MAX_USERS = 10_000_000;

    private final DemoDataService demo;
    private final TaskRunner runner;
    private final Settings settings;
    private Task<Long> running;

    @FXML private TextField demoCount;
    @FXML private Label demoCountError;
    @FXML private Button generateButton;
    @FXML private Button cancelDemoButton;
    @FXML private ProgressBar demoProgress;
    @FXML private Label demoStatus;

    public DemoDataPresenter(DemoDataService demo, TaskRunner runner, Settings settings) {
        this.demo = demo;
        this.runner = runner;
        this.settings = settings;
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
        long total = count;
        Dialogs.confirm(demoCount, String.format("Generate %,d demo users?", total),
                String.format("%,d users are written into %s, in chunks of %,d that commit one by one. Cancel keeps the finished chunks.",
                        total, settings.displayUrl(), DemoDataService.CHUNK),
                "Generate", () -> start(total));
    }

    private void start(long total) {
        setBusy(true);
        long t0 = System.nanoTime();
        demoStatus.setText("Generating…");
        running = runner.job(String.format("Generating %,d demo users", total), () -> demo.generate(total))
                .write()
                .onSuccess(n -> {
                    setBusy(false);
                    demoStatus.setText(String.format("Generated %,d users in %.1f s", n, (System.nanoTime() - t0) / 1e9));
                })
                .onFailure(m -> {
                    setBusy(false);
                    demoStatus.setText("Generation failed: " + m);
                })
                .onCancelled(() -> {
                    setBusy(false);
                    demoStatus.setText("Cancelled (finished chunks were kept)");
                })
                .start();
        demoProgress.progressProperty().bind(running.progressProperty());
        Task<Long> task = running;
        running.workDoneProperty().addListener((o, a, done) -> {
            if (running == task && !task.isDone() && done.doubleValue() > 0 && !demoStatus.getText().startsWith("Cancelling")) {
                demoStatus.setText(String.format("%,d of %,d users", done.longValue(), total));
            }
        });
    }

    @FXML
    void cancel() {
        if (running != null) {
            demoStatus.setText("Cancelling…");
            running.cancel();
        }
    }

    private void setBusy(boolean busy) {
        if (!busy) {
            demoProgress.progressProperty().unbind();
            running = null;
        }
        generateButton.setDisable(busy);
        cancelDemoButton.setDisable(!busy);
    }
}
