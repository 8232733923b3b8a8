package org.adminconsole.ui;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.adminconsole.AppContext;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;

/** Builds the main window (used by the app and by UI tests) and owns what it opened. */
public final class MainWindow {

    /** What the main presenter needs to start the console. */
    public record Startup(Settings settings, String settingsError, AtomicReference<AppContext> context,
                          java.util.concurrent.Callable<AppContext> open, Runnable firstDataShown) {
    }

    private final Stage stage;
    private final TaskRunner runner;
    private final Startup startup;
    private final MainPresenter presenter;
    private Runnable closedBeforeOpen;

    private MainWindow(Stage stage, TaskRunner runner, Startup startup, MainPresenter presenter) {
        this.stage = stage;
        this.runner = runner;
        this.startup = startup;
        this.presenter = presenter;
    }

    public static MainWindow show(Stage stage, Settings settings, String settingsError) {
        org.adminconsole.support.DeferredStart build = AppContext.hibernateBuildAfterFirstData();
        return show(stage, settings, settingsError, () -> AppContext.startBeforeHibernate(settings, build), build::release);
    }

    /**
     * Shows the window at once; {@code open} opens the database (run in a background task): {@code AppContext.start},
     * or awaiting an opening that began before the window (see {@code Launcher}).
     */
    public static MainWindow show(Stage stage, Settings settings, String settingsError, java.util.concurrent.Callable<AppContext> open) {
        return show(stage, settings, settingsError, open, () -> { });
    }

    /** {@link #show(Stage, Settings, String, java.util.concurrent.Callable)}; {@code firstDataShown} runs once the first data is shown. */
    public static MainWindow show(Stage stage, Settings settings, String settingsError, java.util.concurrent.Callable<AppContext> open,
                                  Runnable firstDataShown) {
        int threads = settings == null ? 2 : Math.min(4, settings.get(Keys.POOL_MAX_SIZE));
        Startup startup = new Startup(settings, settingsError, new AtomicReference<>(), open, firstDataShown);
        TaskRunner runner = new TaskRunner(threads);
        // what the operator arranged last time (window, columns, filters, tab), saved when the window closes
        RememberedLayout layout = settings == null ? RememberedLayout.inMemory() : RememberedLayout.of(settings.dataDir(), settings.operator());
        ViewLoader loader = new ViewLoader(Map.of(TaskRunner.class, runner, Startup.class, startup, RememberedLayout.class, layout));
        ViewLoader.View<MainPresenter> view = loader.load("Main.fxml");
        Scene scene = new Scene(view.root(), 1200, 760);
        scene.getStylesheets().add(MainWindow.class.getResource("/fxml/console.css").toExternalForm());
        view.presenter().installAccelerators(scene);
        stage.setTitle("Admin Console");
        stage.setScene(scene);
        layout.stage("window", stage);
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> layout.save());
        MainWindow window = new MainWindow(stage, runner, startup, view.presenter());
        stage.setOnCloseRequest(window::confirmClose);
        stage.show();
        // the JavaFX thread would only wait for the database now: it prepares what the first views need meanwhile
        Warmup.start(() -> startup.context().get() != null, scene.getStylesheets());
        StartupReport.install(java.util.Map.of("dashboard", window.presenter::figuresShown, "users", window.presenter::usersShown,
                "dashboard-counted", window.presenter::figuresCounted), javafx.application.Platform::exit);
        return window;
    }

    /**
     * Closing the window while a write runs (a bulk action, demo data) asks first: closing cancels it and rolls back
     * what it had not committed.
     */
    private void confirmClose(javafx.stage.WindowEvent e) {
        java.util.List<String> writes = runner.runningWrites();
        if (writes.isEmpty()) {
            return;
        }
        e.consume();
        Dialogs.confirm(stage.getScene().getRoot(), "Close while a change is running?",
                String.join(", ", writes) + " is still running. Closing cancels it; what it has not committed yet is rolled back.",
                "Close and cancel", this::shutdown);
    }

    public MainPresenter presenter() {
        return presenter;
    }

    /** The started context, once the database is open (null before, or if it failed). */
    public AppContext context() {
        return startup.context().get();
    }

    /** Runs when the window closes before the database was open (closes a database still opening). */
    public void onClosedBeforeOpen(Runnable action) {
        this.closedBeforeOpen = action;
    }

    /** Closes the window (FX thread), stops background work and closes the database. */
    public void shutdown() {
        stage.close();
        runner.close();
        AppContext ctx = startup.context().getAndSet(null);
        if (ctx != null) {
            ctx.close();
        } else if (closedBeforeOpen != null) {
            closedBeforeOpen.run();
        }
        closedBeforeOpen = null;
    }
}
