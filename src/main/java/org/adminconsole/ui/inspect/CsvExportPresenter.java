package org.adminconsole.ui.inspect;

import org.adminconsole.ui.TaskRunner;
import java.io.File;
import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.stage.FileChooser;
import org.adminconsole.ui.Dialogs;
import org.adminconsole.service.ValidationException;
import javafx.concurrent.Task;
import org.adminconsole.service.inspect.CsvExporter;
import org.adminconsole.service.inspect.TableQuery;

/** Exports the table view's current query (filters, order) to CSV with progress and Cancel. */
public class CsvExportPresenter {

    private final CsvExporter exporter;
    private final TaskRunner runner;
    private TableQuery query;
    private Task<?> exportTask;

    @FXML private TextField exportPath;
    @FXML private Button exportButton;
    @FXML private Button cancelExportButton;
    @FXML private ProgressBar exportProgress;
    @FXML private Label exportMessage;

    public CsvExportPresenter(CsvExporter exporter, TaskRunner runner) {
        this.exporter = exporter;
        this.runner = runner;
    }

    @FXML
    private void initialize() {
        updateButtons();
    }

    /** A new table: a default file name in the home folder (never the data folder, which exports may not write to). */
    void open(String tableName) {
        exportPath.setText(java.nio.file.Path.of(System.getProperty("user.home"), tableName.toLowerCase() + ".csv").toString());
        exportPath.getStyleClass().remove("invalid");
        exportMessage.setText("");
        exportProgress.setProgress(0);
    }

    /** What Export writes: the rows the table view shows, all pages. */
    void setQuery(TableQuery q) {
        query = q;
        updateButtons();
    }

    private void updateButtons() {
        exportButton.setDisable(query == null || exportTask != null);
        cancelExportButton.setDisable(exportTask == null);
    }

    @FXML
    void browseExport() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export to CSV");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV files", "*.csv"));
        File f = chooser.showSaveDialog(exportPath.getScene().getWindow());
        if (f != null) {
            exportPath.setText(f.getAbsolutePath());
        }
    }

    @FXML
    void export() {
        if (query == null) {
            return;
        }
        exportPath.getStyleClass().remove("invalid");
        String path = exportPath.getText();
        CsvExporter.Target target;
        try {
            target = exporter.checkTarget(path); // the file system only: a bad path is reported before any query
        } catch (ValidationException e) {
            exportPath.getStyleClass().add("invalid");
            exportMessage.setText(e.getMessage());
            return;
        }
        TableQuery q = query;
        if (target.exists()) {
            exportMessage.setText(target.file() + " exists already.");
            Dialogs.confirm(exportPath, "Replace the file?", target.file() + " exists already. Replace it with this export?",
                    "Replace", () -> start(q, path, true));
        } else {
            start(q, path, false);
        }
    }

    private void start(TableQuery q, String path, boolean replaceConfirmed) {
        if (exportTask != null) {
            return;
        }
        exportMessage.setText("Exporting…");
        exportTask = runner.job("Exporting " + q.table().table().displayName(), () -> exporter.export(q, path, replaceConfirmed))
                .onSuccess(r -> {
                    finished();
                    exportMessage.setText(String.format("Exported %,d rows to %s", r.rows(), r.file()));
                })
                .onFailure(m -> {
                    finished();
                    exportMessage.setText(m);
                })
                .onCancelled(() -> {
                    finished();
                    exportMessage.setText("Export cancelled: no file was written.");
                })
                .start();
        exportProgress.progressProperty().bind(exportTask.progressProperty());
        updateButtons();
    }

    private void finished() {
        exportProgress.progressProperty().unbind();
        exportProgress.setProgress(exportTask != null && exportTask.getState() == javafx.concurrent.Worker.State.SUCCEEDED ? 1 : 0);
        exportTask = null;
        updateButtons();
    }

    @FXML
    void cancelExport() {
        if (exportTask != null) {
            exportTask.cancel();
        }
    }
}
