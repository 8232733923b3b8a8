package org.adminconsole.ui.users;

import java.nio.file.Path;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.inspect.CsvExporter;
import org.adminconsole.service.users.UserExport;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.support.Counts;
import org.adminconsole.ui.Dialogs;
import org.adminconsole.ui.TaskRunner;

/**
 * "Export CSV…" of the Users view: asks where (a bad target is refused inside the dialog, which stays open), asks
 * before replacing a file, then streams every user matching the shown search, filters and order in the background;
 * the view's message line says how many users went where, or why nothing was written. FX thread only.
 */
final class UserCsvExport {

    private final UserExport export;
    private final TaskRunner runner;
    private final UsersHost view;

    UserCsvExport(UserExport export, TaskRunner runner, UsersHost view) {
        this.export = export;
        this.runner = runner;
        this.view = view;
    }

    void ask() {
        UserQuery q = view.query();
        Dialog<ButtonType> d = Dialogs.owned(new Dialog<>(), view.owner());
        d.setTitle("Export users to CSV");
        d.getDialogPane().setId("userExportDialog");
        ButtonType ok = new ButtonType("Export", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(ok, ButtonType.CANCEL);
        TextField path = new TextField(Path.of(System.getProperty("user.home"), "users.csv").toString());
        path.setId("userExportPath");
        path.setPrefColumnCount(40);
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Export users to CSV");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV files", "*.csv"));
            java.io.File f = chooser.showSaveDialog(d.getDialogPane().getScene().getWindow());
            if (f != null) {
                path.setText(f.getAbsolutePath());
            }
        });
        HBox.setHgrow(path, Priority.ALWAYS);
        Label error = new Label();
        error.setId("userExportError");
        error.getStyleClass().add("field-error");
        error.setWrapText(true);
        error.setMaxWidth(560);
        Label scope = new Label("Exports " + (q.unfiltered() ? "all users" : "every user matching: " + UserFilters.describe(q)) + ", in the order shown, all pages.");
        scope.setWrapText(true);
        scope.setMaxWidth(560);
        d.getDialogPane().setContent(new VBox(8, scope, new HBox(6, new Label("File"), path, browse), error));
        Button okButton = (Button) d.getDialogPane().lookupButton(ok);
        okButton.setId("userExportOk");
        okButton.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            try {
                CsvExporter.Target t = export.checkTarget(path.getText());
                d.setOnHidden(h -> {
                    if (t.exists()) {
                        Dialogs.confirm(view.owner(), "Replace " + t.file().getFileName() + "?", t.file() + " exists already. Replace it with the export?",
                                "Replace", () -> run(q, path.getText(), true));
                    } else {
                        run(q, path.getText(), false);
                    }
                });
            } catch (ValidationException ex) {
                e.consume(); // the dialog stays open with the reason under the field
                error.setText(ex.getMessage());
                path.getStyleClass().add("invalid");
                path.requestFocus();
            }
        });
        d.setOnShown(e -> javafx.application.Platform.runLater(() -> {
            path.requestFocus();
            path.selectAll();
        }));
        d.show();
    }

    private void run(UserQuery q, String path, boolean replace) {
        view.message("Exporting users…");
        runner.job("Exporting users to CSV", () -> export.export(q, path, replace)).onSuccess(r ->
                view.message("Exported " + Counts.of(r.rows(), "user", "users") + " to " + r.file() + "."))
                .onFailure(m -> view.message("The export failed; no file was written: " + m))
                .onCancelled(() -> view.message("The export was cancelled; no file was written."))
                .start();
    }
}
