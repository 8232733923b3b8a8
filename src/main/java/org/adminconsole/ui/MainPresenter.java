package org.adminconsole.ui;

import org.adminconsole.ui.dashboard.DashboardPresenter;
import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.VBox;
import org.adminconsole.AppContext;
import org.adminconsole.service.monitor.CacheStatsService;
import org.adminconsole.service.DataChanges;

/**
 * The main window: opens the database in the background, then shows the dashboard counts and the feature
 * tabs. A database that cannot be opened shows its message where the tabs would be.
 */
public class MainPresenter {

    /** Feature views shown as tabs once the database is open (title, FXML file). */
    static final List<String[]> FEATURES = List.of(
            new String[] {"Users", "users/Users.fxml"},
            new String[] {"Activity", "activity/Activity.fxml"},
            new String[] {"Schema & data", "inspect/Schema.fxml"},
            new String[] {"SQL", "inspect/SqlConsole.fxml"},
            new String[] {"Operations", "monitor/Operations.fxml"},
            new String[] {"SQL log", "monitor/SqlLog.fxml"},
            new String[] {"Caches", "monitor/Caches.fxml"},
            new String[] {"Pool", "monitor/Pool.fxml"},
            new String[] {"Demo data", "demo/DemoData.fxml"});

    private final TaskRunner runner;
    private final MainWindow.Startup startup;
    private DashboardPresenter dashboard;
    /** Feature views not loaded yet, in tab order. */
    private final java.util.Map<Tab, Runnable> deferred = new java.util.LinkedHashMap<>();
    static final int DEFERRED_STEP_MS = 100;
    static final int DEFERRED_AT_LATEST_MS = 5_000;

    @FXML private TabPane tabs;
    @FXML private VBox errorPane;
    @FXML private Label errorMessage;
    @FXML private javafx.scene.layout.StackPane dashboardHolder;
    @FXML private Label databaseLabel;
    @FXML private Label statusLabel;
    @FXML private ProgressIndicator busy;
    @FXML private Label cacheStatus;

    public MainPresenter(TaskRunner runner, MainWindow.Startup startup) {
        this.runner = runner;
        this.startup = startup;
    }

    @FXML
    private void initialize() {
        busy.visibleProperty().bind(runner.runningProperty().greaterThan(0));
        statusLabel.textProperty().bind(runner.statusProperty());
        tabs.setDisable(true);
        if (startup.settingsError() != null) {
            showError("The console's settings are wrong: " + startup.settingsError());
            return;
        }
        databaseLabel.setText(startup.settings().displayUrl());
        runner.run("Opening database", startup.open(), this::connected,
                message -> showError("The database could not be opened. " + message));
    }

    private void connected(AppContext ctx) {
        startup.context().set(ctx);
        ViewLoader loader = new ViewLoader(ctx.components()).with(TaskRunner.class, runner);
        ViewLoader.View<DashboardPresenter> dashboardView = loader.load("dashboard/Dashboard.fxml");
        dashboardHolder.getChildren().setAll(dashboardView.root());
        dashboard = dashboardView.presenter();
        // the Dashboard and Users views load now (the first figures and rows); every other view when its tab is first
        // selected, or one per step once the first data is shown: nothing of theirs runs before the first data
        for (String[] feature : FEATURES) {
            Tab tab = new Tab(feature[0]);
            tab.setClosable(false);
            tab.setId(feature[1].substring(feature[1].lastIndexOf('/') + 1).replace(".fxml", "Tab"));
            tabs.getTabs().add(tab);
            deferred.put(tab, () -> tab.setContent(loader.load(feature[1]).root()));
        }
        loadView(tabs.getTabs().get(1));
        tabs.getSelectionModel().selectedItemProperty().addListener((o, was, tab) -> loadView(tab));
        loadRemainingViewsLater();
        tabs.setDisable(false);
        CacheStatusPresenter.attach(cacheStatus, ctx.get(CacheStatsService.class)::coherence);
        ctx.get(DataChanges.class).subscribe(new DataChanges.Subscriber() {
            @Override
            public void connectionLost(String reason) {
                javafx.application.Platform.runLater(() -> {
                    runner.setStatus("Database connection lost (" + reason + "); reconnecting…");
                    statusLabel.getStyleClass().add("status-warning");
                });
            }

            @Override
            public void reconnected(java.time.Duration downtime) {
                javafx.application.Platform.runLater(() -> {
                    runner.setStatus("Database reconnected after " + Math.max(1, downtime.toMillis()) + " ms; views reloaded");
                    statusLabel.getStyleClass().remove("status-warning");
                });
            }
        });
        if (!ctx.get(DataChanges.class).warnings().isEmpty()) {
            runner.setStatus(String.join(" ", ctx.get(DataChanges.class).warnings()));
        }
    }

    /** Loads the view of this tab now, if it has not been loaded yet. */
    private void loadView(Tab tab) {
        Runnable load = deferred.remove(tab);
        if (load != null) {
            load.run();
        }
    }

    /**
     * Loads the views not selected yet one per step of {@value #DEFERRED_STEP_MS} ms, starting once the Dashboard and
     * Users show their data (or after {@value #DEFERRED_AT_LATEST_MS} ms at the latest).
     */
    private void loadRemainingViewsLater() {
        long since = System.nanoTime();
        javafx.animation.Timeline steps = new javafx.animation.Timeline();
        steps.getKeyFrames().add(new javafx.animation.KeyFrame(javafx.util.Duration.millis(DEFERRED_STEP_MS), e -> {
            boolean firstDataShown = figuresShown() && usersShown();
            if (!firstDataShown && System.nanoTime() - since < DEFERRED_AT_LATEST_MS * 1_000_000L) {
                return;
            }
            if (deferred.isEmpty()) {
                steps.stop();
            } else {
                loadView(deferred.keySet().iterator().next());
            }
        }));
        steps.setCycleCount(javafx.animation.Animation.INDEFINITE);
        steps.play();
    }

    /** The Dashboard shows its first figure, the number of users, perhaps as an estimate (for {@link StartupReport}). */
    boolean figuresShown() {
        return showsNumber("#userCount");
    }

    /** The Dashboard shows every figure counted (for {@link StartupReport}). */
    boolean figuresCounted() {
        return showsNumber("#activeCount") && showsNumber("#userCount") && !((Label) dashboardHolder.lookup("#userCount")).getText().startsWith("≈");
    }

    private boolean showsNumber(String id) {
        javafx.scene.Node n = dashboardHolder.lookup(id);
        return n instanceof Label l && l.getText() != null && l.getText().matches(".*\\d.*");
    }

    /** The Users table holds its first page (for {@link StartupReport}). */
    boolean usersShown() {
        for (Tab t : tabs.getTabs()) {
            if (t.getContent() != null && t.getContent().lookup("#usersTable") instanceof javafx.scene.control.TableView<?> table
                    && !table.getItems().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    void refresh() {
        if (dashboard != null) {
            dashboard.refresh();
        }
    }

    private void showError(String message) {
        errorMessage.setText(message);
        errorPane.setVisible(true);
        errorPane.setManaged(true);
        tabs.setDisable(true);
    }

    void installAccelerators(Scene scene) {
        Shortcuts.install(scene, tabs, this::refresh);
    }

    @FXML
    void showKeyboard() {
        Shortcuts.showHelp(tabs);
    }
}
