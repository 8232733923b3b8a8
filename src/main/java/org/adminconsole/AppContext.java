package org.adminconsole;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.adminconsole.cache.CoherenceService;
import org.adminconsole.cache.NamedValues;
import org.adminconsole.cache.UserCache;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import java.util.function.Supplier;
import org.adminconsole.domain.Visibility;
import org.adminconsole.persistence.Database;
import org.adminconsole.service.access.Access;
import org.adminconsole.service.access.Masking;
import org.adminconsole.service.DataChanges;
import org.adminconsole.service.dashboard.DashboardService;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.users.DepartmentAdmin;
import org.adminconsole.service.users.UserBulk;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.service.users.UserHistory;
import org.adminconsole.service.users.UserListing;
import org.adminconsole.service.users.UserExport;
import org.adminconsole.service.connections.ProfileConnections;
import org.adminconsole.service.connections.ProfileStore;
import org.adminconsole.service.inspect.CsvExporter;
import org.adminconsole.service.inspect.InspectSource;
import org.adminconsole.service.inspect.InspectTargets;
import org.adminconsole.service.inspect.ReaderConnections;
import org.adminconsole.service.inspect.SchemaService;
import org.adminconsole.service.inspect.SqlConsoleService;
import org.adminconsole.service.inspect.SqlHistory;
import org.adminconsole.service.inspect.TableDataService;
import org.adminconsole.service.monitor.CacheStatsService;
import org.adminconsole.service.monitor.ExplainService;
import org.adminconsole.service.monitor.MonitorSampler;
import org.adminconsole.service.monitor.OperationAnalyzer;
import org.adminconsole.service.monitor.OperationsLog;
import org.adminconsole.service.monitor.IdentityMapDemo;
import org.adminconsole.service.monitor.SessionDemoService;
import org.adminconsole.service.monitor.SqlLogService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: opens the database and builds every service once. No static singletons, no DI
 * container: presenters get what they need through their constructors (see {@code ui.ViewLoader}), looked up
 * by type in {@link #components()}. Tests build the same root against a temporary database.
 */
public final class AppContext implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AppContext.class);

    private final Settings settings;
    private final Database database;
    private final Map<Class<?>, Object> components = new LinkedHashMap<>();

    private AppContext(Settings settings, Database database) {
        this.settings = settings;
        this.database = database;
    }

    /** Opens, migrates and (first start only) seeds the database, then wires the services. Off the FX thread. */
    public static AppContext start(Settings settings) {
        return start(settings, true, null);
    }

    /**
     * {@link #start} that returns without waiting for Hibernate's build ({@link Database#openBeforeHibernate}): the
     * services are wired and their plain-JDBC reads (the Users pages and totals, the Dashboard's estimate) run at once;
     * everything that needs a session waits in its background task until Hibernate is ready. The window starts this way.
     */
    public static AppContext startBeforeHibernate(Settings settings) {
        return start(settings, false, null);
    }

    /**
     * {@link #startBeforeHibernate(Settings)} building Hibernate when {@code build} is released (the window releases it
     * once its first data is shown; tests hold it back). A first start that seeds releases it at once: seeding needs it.
     */
    public static AppContext startBeforeHibernate(Settings settings, org.adminconsole.support.DeferredStart build) {
        return start(settings, false, build);
    }

    /**
     * Where the window builds Hibernate: once its first data is shown, at most 5 s after it could start (see
     * {@link org.adminconsole.support.DeferredStart}); the window releases it.
     */
    public static org.adminconsole.support.DeferredStart hibernateBuildAfterFirstData() {
        return new org.adminconsole.support.DeferredStart("hibernate-bootstrap", Duration.ofSeconds(5));
    }

    private static AppContext start(Settings settings, boolean waitForHibernate, org.adminconsole.support.DeferredStart bootstrap) {
        Database db = waitForHibernate ? Database.open(settings)
                : bootstrap == null ? Database.openBeforeHibernate(settings) : Database.openBeforeHibernate(settings, bootstrap);
        AppContext ctx = new AppContext(settings, db);
        try {
            ctx.wire();
            if (ctx.get(org.adminconsole.service.access.Access.class).can(org.adminconsole.service.access.Role.ADMIN)) {
                ctx.get(DemoDataService.class).seedIfNeverSeeded(settings.get(Keys.DB_SEED_USERS), // only an admin may seed
                        bootstrap == null ? () -> { } : bootstrap::release);
            }
            return ctx;
        } catch (RuntimeException | Error e) {
            ctx.close();
            throw e;
        }
    }

    private void wire() {
        register(Settings.class, settings);
        register(Database.class, database);
        // who is signed in, with the role the database gives the pool's login (refused when it holds none)
        register(org.adminconsole.service.access.Access.class, new org.adminconsole.service.access.Access(
                org.adminconsole.service.access.SignIns.signedIn(settings, database.unmonitoredDataSource())));
        register(org.adminconsole.service.access.Operators.class, new org.adminconsole.service.access.Operators(database,
                get(org.adminconsole.service.access.Access.class)));
        UserCache userCache = new UserCache(settings.get(Keys.USER_CACHE_MAX), settings.get(Keys.USER_CACHE_TTL),
                settings.get(Keys.USER_CACHE_ABSENT_TTL), System::nanoTime);
        database.transactions().addListener(org.adminconsole.persistence.OperationListener.onFinished(userCache::onOperation));
        register(UserCache.class, userCache);
        CoherenceService coherence = CoherenceService.start(database, settings, userCache);
        register(CoherenceService.class, coherence);
        register(NamedValues.class, coherence.namedValues());
        // issue 15 item 3: what the signed-in role may see (a viewer: emails masked) picks the tables the reads use
        // and keys the caches (named values, user cache) whose content differs between roles
        Supplier<Visibility> visibility = Masking.of(get(Access.class));
        coherence.namedValues().scopeBy(visibility);
        register(DataChanges.class, new DataChanges(database, coherence));
        register(DashboardService.class, new DashboardService(database.transactions(), coherence.namedValues(), database.dialect(), visibility));
        register(DemoDataService.class, new DemoDataService(database.transactions(), get(org.adminconsole.service.access.Access.class),
                database::compactBetweenBulkChunks));
        register(UserListing.class, new UserListing(database.transactions(), database.dialect(), visibility));
        register(UserEditing.class, new UserEditing(database.transactions(), userCache, get(org.adminconsole.service.access.Access.class)));
        register(UserHistory.class, new UserHistory(database.transactions(), visibility));
        register(org.adminconsole.service.audit.Activity.class, new org.adminconsole.service.audit.Activity(database.transactions(), visibility));
        register(org.adminconsole.service.audit.Reverting.class, new org.adminconsole.service.audit.Reverting(database.transactions(), get(org.adminconsole.service.access.Access.class)));
        register(UserBulk.class, new UserBulk(database.transactions(), database.dialect(), get(org.adminconsole.service.access.Access.class)));
        register(DepartmentAdmin.class, new DepartmentAdmin(database.transactions(), get(org.adminconsole.service.access.Access.class)));
        // Schema & data and SQL read from the inspected database (the console's own or an opened connection profile,
        // InspectTargets); user administration and its export stay on the console's database
        ReaderConnections readers = new ReaderConnections(database, settings.get(Keys.SQL_STATEMENT_TIMEOUT));
        register(ReaderConnections.class, readers);
        readers.ownLoginWhen(() -> visibility.get().masked()); // a viewer's SQL reads as its own login (emails masked)
        InspectTargets targets = new InspectTargets(InspectSource.console(database.dataSource(), database.transactions()), readers);
        register(InspectTargets.class, targets);
        register(ProfileConnections.class, new ProfileConnections(new ProfileStore(settings.dataDir()),
                settings.get(Keys.SQL_STATEMENT_TIMEOUT), database.transactions().longTimeout(), database.sqlMonitor(), System::getenv));
        register(SchemaService.class, new SchemaService(targets));
        register(TableDataService.class, new TableDataService(targets, TableDataService.EXACT_COUNT_LIMIT));
        register(CsvExporter.class, new CsvExporter(targets, settings.dataDir(), settings.get(Keys.EXPORT_NEUTRALISE_FORMULAS)));
        register(UserExport.class, new UserExport(get(UserListing.class), database.dialect(),
                new CsvExporter(database.transactions(), settings.dataDir(), settings.get(Keys.EXPORT_NEUTRALISE_FORMULAS))));
        register(SqlConsoleService.class, new SqlConsoleService(targets::readers,
                new SqlHistory(settings.dataDir().resolve(SqlHistory.FILE_NAME), 200),
                new SqlConsoleService.Limits(500, settings.get(Keys.SQL_MAX_ROWS), settings.get(Keys.SQL_IDLE_CLOSE))));
        targets.beforeSwitch(() -> get(SqlConsoleService.class).closeResults("The inspected database changed: this result was closed."));
        wireMonitoring(userCache);
    }

    /** Operations log, SQL log, EXPLAIN, cache and pool monitoring, the session demonstration (issue 5). */
    private void wireMonitoring(UserCache userCache) {
        OperationAnalyzer analyzer = new OperationAnalyzer(settings.get(Keys.MONITOR_STATEMENT_WARN),
                settings.get(Keys.MONITOR_N_PLUS_ONE), settings.get(Keys.MONITOR_CONNECTION_WAIT), settings.get(Keys.POOL_MAX_SIZE));
        OperationsLog operations = new OperationsLog(database.transactions(), database.sqlMonitor(), analyzer,
                settings.get(Keys.MONITOR_OPERATION_LOG));
        register(OperationsLog.class, operations);
        register(SqlLogService.class, new SqlLogService(database.sqlMonitor()));
        register(ExplainService.class, new ExplainService(get(ReaderConnections.class)));
        CacheStatsService caches = new CacheStatsService(database::sessionFactoryIfReady, userCache, get(NamedValues.class),
                get(CoherenceService.class), get(org.adminconsole.service.access.Access.class));
        register(CacheStatsService.class, caches);
        register(MonitorSampler.class, new MonitorSampler(caches, database::poolStats, Duration.ofSeconds(1), Duration.ofMinutes(5)));
        register(SessionDemoService.class, new SessionDemoService(database.transactions(), database::sessionFactory, operations));
        register(IdentityMapDemo.class, new IdentityMapDemo(database.transactions()));
    }

    private <T> void register(Class<T> type, T instance) {
        components.put(type, instance);
    }

    public <T> T get(Class<T> type) {
        Object o = components.get(type);
        if (o == null) {
            throw new IllegalArgumentException("No component of type " + type.getName());
        }
        return type.cast(o);
    }

    /** Every wired component by type (read-only view). */
    public Map<Class<?>, Object> components() {
        return java.util.Collections.unmodifiableMap(components);
    }

    public Settings settings() { return settings; }
    public Database database() { return database; }

    /**
     * Completes when everything is open, Hibernate included (at once after {@link #start}; seconds later after
     * {@link #startBeforeHibernate}), or exceptionally with the reason the database could not be opened. Never waits.
     */
    public java.util.concurrent.CompletionStage<Void> ready() {
        return database.hibernateReady().thenApply(sf -> null);
    }

    /** Whether Hibernate is built (every service can run without waiting for it). */
    public boolean isReady() {
        return database.sessionFactoryIfReady().isPresent();
    }

    @Override
    public void close() {
        // in reverse order of wiring: what uses a component (the watcher uses the user cache) stops before it
        java.util.List<Object> reverse = new java.util.ArrayList<>(components.values());
        java.util.Collections.reverse(reverse);
        for (Object c : reverse) {
            if (c instanceof AutoCloseable ac && c != database && c != this) {
                try {
                    ac.close();
                } catch (Exception e) {
                    LOG.warn("Closing {} failed", c.getClass().getSimpleName(), e);
                }
            }
        }
        database.close();
    }
}
