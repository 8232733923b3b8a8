package org.adminconsole.ui.inspect.sql;

import java.io.File;
import java.nio.file.Path;
import java.util.function.Supplier;
import javafx.concurrent.Task;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.FileChooser;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.inspect.CsvExporter;
import org.adminconsole.service.inspect.SqlResultExport;
import org.adminconsole.ui.Dialogs;
import org.adminconsole.ui.TaskRunner;

/**
 * The SQL console's CSV export: the last query that ran is run again and streamed to the file in the background
 * ({@link SqlResultExport}: same gates and reader connection, the export rules of {@link CsvExporter}). The target is
 * checked before anything runs; an existing file is replaced only after the operator confirms.
 */
public final class SqlExportAction {

    private final SqlResultExport export;
    private final TaskRunner runner;
    private final TextField path;
    private final Button exportButton;
    private final Button cancelButton;
    private final Label message;
    private final Supplier<String> lastQuery;
    private Task<?> running;

    public SqlExportAction(SqlResultExport export, TaskRunner runner, TextField path, Button exportButton, Button cancelButton,
                           Label message, Supplier<String> lastQuery) {
        this.export = export;
        this.runner = runner;
        this.path = path;
        this.exportButton = exportButton;
        this.cancelButton = cancelButton;
        this.message = message;
        this.lastQuery = lastQuery;
        path.setText(Path.of(System.getProperty("user.home"), "query.csv").toString());
        update();
    }

    /** Enables Export when there is a query to export and no export runs. */
    public void update() {
        exportButton.setDisable(lastQuery.get() == null || running != null);
        cancelButton.setDisable(running == null);
    }

    public void browse() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export the query to CSV");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV files", "*.csv"));
        File f = chooser.showSaveDialog(path.getScene().getWindow());
        if (f != null) {
            path.setText(f.getAbsolutePath());
        }
    }

    public void export() {
        String sql = lastQuery.get();
        if (sql == null || running != null) {
            return;
        }
        path.getStyleClass().remove("invalid");
        String file = path.getText();
        CsvExporter.Target target;
        try {
            target = export.checkTarget(file); // the file system only: a bad path is reported before any query
        } catch (ValidationException e) {
            path.getStyleClass().add("invalid");
            message.setText(e.getMessage());
            return;
        }
        if (target.exists()) {
            message.setText(target.file() + " exists already.");
            Dialogs.confirm(path, "Replace the file?", target.file() + " exists already. Replace it with this export?",
                    "Replace", () -> start(sql, file, true));
        } else {
            start(sql, file, false);
        }
    }

    private void start(String sql, String file, boolean replaceConfirmed) {
        if (running != null) {
            return;
        }
        message.setText("Exporting…");
        Task<?>[] self = new Task<?>[1];
        self[0] = runner.job("Exporting a SQL query to CSV", () -> export.export(sql, file, replaceConfirmed))
                .onSuccess(r -> {
                    if (finished(self[0])) {
                        message.setText(String.format("Exported %,d rows to %s", r.rows(), r.file()));
                    }
                })
                .onFailure(m -> {
                    if (finished(self[0])) {
                        message.setText(m);
                    }
                })
                .onCancelled(() -> {
                    if (finished(self[0])) {
                        message.setText("Export cancelled: no file was written.");
                    }
                })
                .start();
        running = self[0];
        update();
    }

    private boolean finished(Task<?> task) {
        if (running != task) {
            return false;
        }
        running = null;
        update();
        return true;
    }

    public void cancel() {
        if (running != null) {
            running.cancel();
        }
    }
}
