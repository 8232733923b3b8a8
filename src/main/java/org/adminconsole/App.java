package org.adminconsole;

import javafx.application.Application;
import javafx.stage.Stage;
import org.adminconsole.config.Settings;
import org.adminconsole.config.SettingsException;
import org.adminconsole.ui.MainWindow;

/**
 * The JavaFX application. The window shows at once; the database opens in the background (building the
 * SessionFactory takes seconds) and the window fills in when it is ready, or shows what to fix.
 */
public class App extends Application {

    private MainWindow window;

    @Override
    public void start(Stage stage) {
        Settings settings = null;
        String settingsError = null;
        try {
            settings = Settings.load(getParameters().getNamed());
        } catch (SettingsException e) {
            settingsError = e.getMessage();
        } catch (RuntimeException e) {
            // never a stack trace instead of a window: whatever went wrong reading the settings is shown
            settingsError = "The settings could not be read: " + e.getMessage();
            org.slf4j.LoggerFactory.getLogger(App.class).error("Reading the settings failed", e);
        }
        EarlyOpen early = EarlyOpen.take(settings);
        if (early != null && settingsError == null) {
            window = MainWindow.show(stage, settings, null, early::await, early::firstDataShown);
            window.onClosedBeforeOpen(early::abandon);
        } else {
            window = MainWindow.show(stage, settings, settingsError);
        }
    }

    @Override
    public void stop() {
        if (window != null) {
            window.shutdown();
        }
    }
}
