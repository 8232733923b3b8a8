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
            new String[] {"Demo data", "demo/DemoData.fxml"},
            new String[] {"Operators", "operators/Operators.fxml"});

    /** Tabs shown only to a role (the others never see them): demo data and operator management are for admins. */
    static final java.util.Map<String, org.adminconsole.service.access.Role> FEATURE_NEEDS = java.util.Map.of(
            "Demo data", org.adminconsole.service.access.Role.ADMIN, "Operators", org.adminconsole.service.access.Role.ADMIN);

    private final TaskRunner runner;
    private final MainWindow.Startup startup;
    private final RememberedLayout layout;
    private DashboardPresenter dashboard;
    /** Feature views not loaded yet, in tab order. */
    private final java.util.Map<Tab, Runnable> deferred = new java.util.LinkedHashMap<>();
    static final int DEFERRED_STEP_MS = 100;
    static final int DEFERRED_AT_LATEST_MS = 5_000;

    @FXML private TabPane tabs;
    @FXML private VBox errorPane;
    @FXML private Label errorMessage;
    @FXML private javafx.scene.control.Button retryButton;
    @FXML private javafx.scene.control.Button connectionsButton;
    @FXML private javafx.scene.layout.StackPane dashboardHolder;
    @FXML private Label databaseLabel;
    @FXML private Label statusLabel;
    @FXML private ProgressIndicator busy;
    @FXML private Label cacheStatus;
    @FXML private javafx.scene.control.Hyperlink signInAgainLink;

    public MainPresenter(TaskRunner runner, MainWindow.Startup startup, RememberedLayout layout) {
        this.runner = runner;
        this.startup = startup;
        this.layout = layout;
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
        if (org.adminconsole.service.access.SignIns.needsSignIn(startup.settings())) {
            signInAgainLink.setVisible(true);
            signInAgainLink.setManaged(true);
            showSignIn();
            return;
        }
        open(startup.open());
    }

    /** The sign-in form of a shared database (at start, and for "Sign in as another operator…"). */
    private void showSignIn() {
        org.adminconsole.config.Settings s = startup.settings();
        signInAgainLink.setDisable(true);
        runner.setStatus("Sign in to open the database.");
        SignInPane[] pane = new SignInPane[1];
        pane[0] = new SignInPane(s.displayUrl(), "", (login, password) -> runner.run("Signing in", () -> {
            org.adminconsole.service.access.SignIns.check(s, login, password); // one clear sentence when refused
            AppContext ctx = AppContext.start(org.adminconsole.service.access.SignIns.as(s, login, password));
            org.adminconsole.service.access.SignIns.rememberLogin(s, login);
            return ctx;
        }, ctx -> {
            signInAgainLink.setDisable(false);
            ((javafx.scene.layout.Pane) errorPane.getParent()).getChildren().remove(pane[0].root());
            connected(ctx);
        }, pane[0]::failed), this::connections);
        // over the (disabled) tabs, like the error pane: a control inside a disabled tab pane is disabled too
        dashboardHolder.getChildren().clear();
        ((javafx.scene.layout.Pane) errorPane.getParent()).getChildren().add(pane[0].root());
        // the last login of this data folder, read off the FX thread
        runner.job("Reading the last login", () -> org.adminconsole.service.access.SignIns.lastLogin(s)).quiet()
                .onSuccess(last -> pane[0].prefill(last)).start();
        pane[0].focus();
    }

    /**
     * Sign in as another operator: closes this sign-in's database connections and views and shows the sign-in form; the
     * next sign-in opens the database again with its own login and role. Refused while a change is running.
     */
    @FXML
    void signInAgain() {
        if (!runner.runningWrites().isEmpty()) {
            runner.setStatus("Wait for " + String.join(", ", runner.runningWrites()) + " to finish before signing in again.");
            return;
        }
        AppContext old = startup.context().getAndSet(null);
        dropViews();
        if (tabs.getScene() != null && tabs.getScene().getWindow() instanceof javafx.stage.Stage stage) {
            stage.setTitle("Admin Console");
        }
        showSignIn();
        if (old != null) {
            runner.job("Signing out", () -> {
                old.close();
                return null;
            }).quiet().start();
        }
    }

    private void open(java.util.concurrent.Callable<AppContext> opening) {
        runner.run("Opening database", opening, ctx -> afterNextFrame(() -> connected(ctx)), this::openFailed);
    }

    /** The error screen of an opening that failed: the reason, Retry and Connections…. */
    private void openFailed(String message) {
        showError("The database could not be opened. " + message);
        retryButton.setVisible(true); // a locked file released, a server started: try again without a restart
        retryButton.setManaged(true);
        connectionsButton.setVisible(true);
        connectionsButton.setManaged(true);
        retryButton.requestFocus();
    }

    /** Removes the views of a closed console (every tab but the Dashboard's) and disables the tabs. */
    private void dropViews() {
        tabs.getTabs().remove(1, tabs.getTabs().size());
        deferred.clear();
        tabs.getSelectionModel().select(0);
        tabs.setDisable(true);
        dashboard = null;
    }

    private static Label openingLabel() {
        Label opening = new Label("Opening the database…");
        opening.getStyleClass().add("muted-text");
        return opening;
    }

    /**
     * Connections… on the error screen: the connection profiles can be edited and tested while the console's database
     * is not open (opening one for inspection needs the console running).
     */
    @FXML
    void connections() {
        org.adminconsole.config.Settings s = startup.settings();
        org.adminconsole.service.connections.ProfileConnections profiles = new org.adminconsole.service.connections.ProfileConnections(
                new org.adminconsole.service.connections.ProfileStore(s.dataDir()), s.get(org.adminconsole.config.Keys.SQL_STATEMENT_TIMEOUT),
                s.get(org.adminconsole.config.Keys.SQL_STATEMENT_TIMEOUT), null, System::getenv);
        org.adminconsole.ui.connections.ConnectionsDialog.show(errorPane, profiles, null, runner, false);
    }

    /** Retry on the error screen: opens the database again (a new opening, with the same settings). */
    @FXML
    void retry() {
        errorPane.setVisible(false);
        errorPane.setManaged(false);
        retryButton.setVisible(false);
        retryButton.setManaged(false);
        connectionsButton.setVisible(false);
        connectionsButton.setManaged(false);
        dashboardHolder.getChildren().setAll(openingLabel());
        open(() -> AppContext.startBeforeHibernate(startup.settings()));
    }

    private void connected(AppContext ctx) {
        startup.context().set(ctx);
        // the context may come before Hibernate is built (AppContext.startBeforeHibernate): the Dashboard and Users
        // show their first data meanwhile; if the build or the schema check fails, the console cannot work on
        ctx.ready().whenComplete((ready, failure) -> {
            if (failure != null) {
                javafx.application.Platform.runLater(() -> hibernateFailed(ctx, failure));
            }
        });
        org.adminconsole.service.access.Access access = ctx.get(org.adminconsole.service.access.Access.class);
        if (tabs.getScene() != null && tabs.getScene().getWindow() instanceof javafx.stage.Stage stage) {
            stage.setTitle("Admin Console — " + access.current().display()); // who is signed in, and as what
        }
        ViewLoader loader = new ViewLoader(ctx.components()).with(TaskRunner.class, runner);
        ViewLoader.View<DashboardPresenter> dashboardView = loader.load("dashboard/Dashboard.fxml");
        dashboardHolder.getChildren().setAll(dashboardView.root());
        dashboard = dashboardView.presenter();
        // the Dashboard and Users views load now (the first figures and rows); every other view when its tab is first
        // selected, or one per step once the first data is shown: nothing of theirs runs before the first data
        for (String[] feature : FEATURES) {
            org.adminconsole.service.access.Role needs = FEATURE_NEEDS.get(feature[0]);
            if (needs != null && !access.can(needs)) {
                continue; // hidden from this role
            }
            Tab tab = new Tab(feature[0]);
            tab.setClosable(false);
            tab.setId(feature[1].substring(feature[1].lastIndexOf('/') + 1).replace(".fxml", "Tab"));
            tabs.getTabs().add(tab);
            deferred.put(tab, () -> {
                javafx.scene.Parent root = loader.load(feature[1]).root();
                tab.setContent(root);
                layout.remember(tab.getId(), root); // its columns and filters as the operator left them
            });
        }
        loadView(tabs.getTabs().get(1));
        tabs.getSelectionModel().selectedItemProperty().addListener((o, was, tab) -> {
            loadView(tab);
            // "Saving user: done" said on Users means nothing on SQL: a finished task's line goes with its tab (a
            // task still running, or the lost-connection warning, stays)
            if (runner.runningProperty().get() == 0 && !statusLabel.getStyleClass().contains("status-warning")) {
                runner.setStatus("Ready");
            }
        });
        loadRemainingViewsLater();
        tabs.setDisable(false);
        layout.tabs("main.tabs", tabs); // once enabled: a tab of a disabled pane counts as disabled and is not chosen
        String consoleUrl = databaseLabel.getText();
        ctx.get(org.adminconsole.service.inspect.InspectTargets.class).onSwitch(t -> javafx.application.Platform.runLater(() ->
                databaseLabel.setText(t.console() ? consoleUrl : consoleUrl + " · inspecting " + t.label())));
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

    /**
     * Runs {@code action} once the next frame is rendered. The database now opens in about the time the toolkit takes
     * to show the window (Hibernate no longer in the way), and building the Dashboard and Users views before the first
     * frame made the window appear later (StartupBench: 2.98 s against 2.72 s): the skeleton is shown first.
     */
    private static void afterNextFrame(Runnable action) {
        new javafx.animation.AnimationTimer() {
            @Override
            public void handle(long now) {
                stop();
                javafx.application.Platform.runLater(action); // after this pulse, rendering included
            }
        }.start();
    }

    /** Hibernate's build or its schema check failed after the first data was shown: the error screen, as at the start. */
    private void hibernateFailed(AppContext ctx, Throwable failure) {
        if (startup.context().get() != ctx) {
            return; // signed out or closed meanwhile
        }
        startup.context().set(null);
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        org.slf4j.LoggerFactory.getLogger(MainPresenter.class).error("Opening the database failed", cause);
        dropViews();
        dashboardHolder.getChildren().clear();
        openFailed(UiMessages.forOperator(cause));
        runner.job("Closing the database", () -> {
            ctx.close();
            return null;
        }).quiet().start();
    }

    /** The views that load before Hibernate is built: their first reads are plain JDBC ({@code Transactions.readJdbc}). */
    private static final java.util.Set<String> LOAD_BEFORE_HIBERNATE = java.util.Set.of("UsersTab");

    /**
     * Loads the view of this tab now, if it has not been loaded yet; a view other than Users selected while Hibernate is
     * still building says so and loads as soon as it is built (its presenter may ask Hibernate on the JavaFX thread).
     */
    private void loadView(Tab tab) {
        AppContext ctx = startup.context().get();
        if (ctx != null && deferred.containsKey(tab) && !LOAD_BEFORE_HIBERNATE.contains(tab.getId())
                && !ctx.isReady()) {
            if (tab.getContent() == null) {
                tab.setContent(openingLabel());
                ctx.ready().thenRun(() -> javafx.application.Platform.runLater(() -> {
                    if (startup.context().get() == ctx) {
                        loadView(tab);
                    }
                }));
            }
            return;
        }
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
            if (firstDataShown) {
                startup.firstDataShown().run(); // Hibernate's build starts now if it was waiting for this (idempotent)
            }
            if (!firstDataShown && System.nanoTime() - since < DEFERRED_AT_LATEST_MS * 1_000_000L) {
                return;
            }
            AppContext ctx = startup.context().get();
            if (ctx != null && !ctx.isReady()) {
                return; // the other views load once Hibernate is built
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
        // the error pane is the one state shown: no "Opening the database…" under it, no "Ready" beside it
        dashboardHolder.getChildren().clear();
        if (startup.settingsError() != null) {
            runner.setStatus("Not started: the settings are wrong.");
        }
        errorMessage.setText(message);
        errorPane.setVisible(true);
        errorPane.setManaged(true);
        tabs.setDisable(true);
    }

    void installAccelerators(Scene scene) {
        Shortcuts.install(scene, tabs, this::refresh);
    }

    /** Reset layout: the window, columns, filters and tab go back to how a first start shows them, and stay so. */
    @FXML
    void resetLayout() {
        layout.reset();
        runner.setStatus("Layout reset: window size, columns, filters and tab are back to the defaults.");
    }

    @FXML
    void showKeyboard() {
        Shortcuts.showHelp(tabs);
    }
}
