package org.adminconsole.bench;

import java.util.Map;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.adminconsole.ui.StartupReport;

/**
 * The startup benchmark's baseline: a bare JavaFX window of the console's size with one label, started the same way
 * (same JVM, class path and options), reporting its first frame through {@link StartupReport}.
 */
public final class BareWindow extends Application {

    public static void main(String[] args) {
        Application.launch(BareWindow.class, args);
    }

    @Override
    public void start(Stage stage) {
        stage.setScene(new Scene(new StackPane(new Label("Bare window")), 1200, 760));
        stage.setTitle("Bare window");
        stage.show();
        StartupReport.install(Map.of(), Platform::exit);
    }
}
