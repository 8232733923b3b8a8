package org.adminconsole.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.adminconsole.config.FilePermissions;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.monitor.SqlMonitor;
import org.adminconsole.support.TaskHandle;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opened database: the connection pool (wrapped by datasource-proxy for the SQL monitor), Flyway migrations,
 * the Hibernate SessionFactory with the Ehcache second-level cache, the transaction helper and the health
 * monitor that reconnects after an outage. {@link #open} either returns a fully working database or throws
 * {@link DatabaseStartupException} with everything it had opened closed again: nothing half-starts.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final Settings settings;
    private final Dialect dialect;
    private final ConnectionPool pool;
    private final DataSource dataSource;
    private final DataSource autoCommitDataSource;
    private final SqlMonitor monitor;
    /** The SessionFactory, built and validated (or the failure of either, as the operator's sentence). */
    private final CompletableFuture<SessionFactory> hibernate;
    private final DatabaseHealth health;
    private final Transactions transactions;
    private final List<String> warnings;
    private IdleCompaction idleCompaction;
    static final int VALIDATE_AFTER_SECONDS = 30;
    private final ScheduledThreadPoolExecutor deferred = deferredExecutor();
    private volatile boolean closed;

    private Database(Settings settings, Dialect dialect, ConnectionPool pool, DataSource dataSource, SqlMonitor monitor,
                     CompletableFuture<SessionFactory> hibernate, List<String> warnings) {
        this.settings = settings;
        this.dialect = dialect;
        this.pool = pool;
        this.dataSource = dataSource;
        this.autoCommitDataSource = new AutoCommitDataSource(dataSource);
        this.monitor = monitor;
        this.hibernate = hibernate;
        this.warnings = List.copyOf(warnings);
        this.health = new DatabaseHealth(settings, dialect, pool);
        this.transactions = new Transactions(this::sessionFactory, hibernate::isDone, dataSource, monitor, settings.operator(), dialect,
                settings.get(Keys.TX_DEFAULT_TIMEOUT), settings.get(Keys.TX_LONG_TIMEOUT), health);
        pool.setDeadline(() -> transactions.current().map(Operation::remainingNanos).orElse(-1L));
        if (settings.isH2() && JdbcUrls.isEmbeddedFile(settings.dbUrl())) {
            idleCompaction = new IdleCompaction(new AutoCommitDataSource(pool));
            transactions.addListener(idleCompaction);
        }
    }

    private static ScheduledThreadPoolExecutor deferredExecutor() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "database-deferred-checks");
            t.setDaemon(true);
            return t;
        });
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return e;
    }

    /** Opens the database and returns once everything is ready, Hibernate included (tools, tests, headless runs). */
    public static Database open(Settings settings) {
        Database db = openBeforeHibernate(settings);
        try {
            db.sessionFactory();
            return db;
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    /**
     * Opens the pool and migrates, and returns while Hibernate may still be building (seconds of class loading on a
     * cold start): {@link Transactions#readJdbc} operations run at once, everything that needs a session waits for the
     * build ({@link #sessionFactory()}), and {@link #hibernateReady()} tells when it is done or why it failed. The window
     * uses this to show its first page and figures without waiting for Hibernate.
     */
    public static Database openBeforeHibernate(Settings settings) {
        return openBeforeHibernate(settings, Database::newBootstrapThread);
    }

    /** {@link #openBeforeHibernate(Settings)} building Hibernate on {@code bootstrap} (a thread of its own by default). */
    public static Database openBeforeHibernate(Settings settings, java.util.concurrent.Executor bootstrap) {
        ConnectionPool pool = null;
        CompletableFuture<SessionFactory> sfBuild = null;
        TaskHandle task = TaskHandle.current();
        Dialect dialect = Dialect.of(settings.dbUrl());
        try {
            prepareDataDir(settings);
            SqlMonitor monitor = new SqlMonitor(settings.get(Keys.SQL_LOG_CAPACITY), settings.get(Keys.SQL_SLOW_THRESHOLD),
                    dialect.timesOutStatementsInDriver());
            pool = openPool(settings);
            List<String> warnings = new ArrayList<>();
            try (Connection c = pool.getConnection()) {
                Durability.check(c, settings).ifPresent(w -> {
                    LOG.warn(w);
                    warnings.add(w);
                });
            }
            DataSource proxied = ProxyDataSourceBuilder.create("admin-console", pool)
                    .listener(monitor)
                    .proxyResultSet()
                    .methodListener(monitor)
                    .build();
            // Hibernate is built while the migrations run (it reads the database's metadata, not the schema); the
            // mapping is validated against the schema once both are done
            long t0 = System.nanoTime();
            // not beside H2 DDL: H2 locks a table it alters, and the bootstrap's metadata reads then waited past the
            // lock timeout and failed V62 (HYT00, seen once on a clean-clone CI run); PostgreSQL's catalog reads never wait
            boolean migrated = !Migrations.isCurrent(new AutoCommitDataSource(pool), dialect);
            if (!migrated || dialect != Dialect.H2) {
                sfBuild = bootstrapInBackground(proxied, settings, monitor, bootstrap);
            }
            if (migrated) {
                Migrations.migrate(new AutoCommitDataSource(pool), settings, dialect, task);
            }
            if (sfBuild == null) {
                sfBuild = bootstrapInBackground(proxied, settings, monitor, bootstrap);
            }
            long t1 = System.nanoTime();
            LOG.info("Database open: migrations {} ms ({}); Hibernate still building", (t1 - t0) / 1_000_000,
                    migrated ? "Flyway ran" : "schema current");
            FilePermissions.ownerOnlyFilesIn(settings.dataDir());
            ConnectionPool opened = pool;
            CompletableFuture<SessionFactory> ready = sfBuild.handle((sf, failure) -> validated(sf, failure, settings, opened, t1));
            Database db = new Database(settings, dialect, pool, proxied, monitor, ready, warnings);
            if (!migrated) {
                db.validateMigrationsLater();
            }
            return db;
        } catch (SQLException | RuntimeException | Error e) {
            // Not logged here: the caller reports it once (the UI's task runner logs it).
            DatabaseStartupException translated = StartupErrors.translate(e, settings);
            SessionFactory sf = sfBuild == null ? null : sfBuild.handle((built, failure) -> built).join(); // let a build in progress finish, then close it
            closeQuietly(sf, pool);
            throw translated;
        }
    }

    /** The built SessionFactory checked against the schema, or the operator's sentence for what failed (then closed). */
    private static SessionFactory validated(SessionFactory sf, Throwable failure, Settings settings, ConnectionPool pool, long since) {
        try {
            if (failure != null) {
                throw failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : failure;
            }
            long t2 = System.nanoTime();
            sf.getSchemaManager().validateMappedObjects();
            LOG.info("Hibernate ready {} ms after the migrations, schema validated in {} ms", (t2 - since) / 1_000_000,
                    (System.nanoTime() - t2) / 1_000_000);
            return sf;
        } catch (Throwable e) {
            closeQuietly(sf, null);
            if (pool.isClosed()) {
                throw new DatabaseStartupException(DatabaseStartupException.Reason.OTHER,
                        "The database was closed while Hibernate was still starting.", e);
            }
            throw StartupErrors.translate(e, settings);
        }
    }

    private static CompletableFuture<SessionFactory> bootstrapInBackground(DataSource ds, Settings settings, SqlMonitor monitor,
                                                                          java.util.concurrent.Executor bootstrap) {
        return CompletableFuture.supplyAsync(() -> SessionFactories.build(ds, settings, monitor), bootstrap);
    }

    private static void newBootstrapThread(Runnable build) {
        Thread t = new Thread(build, "hibernate-bootstrap");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The start found the schema current without Flyway ({@link Migrations#isCurrent}); Flyway's full validation
     * (checksums of every applied migration) runs {@value #VALIDATE_AFTER_SECONDS} s later on a thread of its own, and
     * a difference is logged as an error: the start does not wait for it. A check that cannot run (every connection
     * busy, the database unreachable for a moment) says so and tries again, up to {@value #VALIDATE_ATTEMPTS} times:
     * it is never reported as a difference (a LoadBench run with eight busy operators logged "the schema history
     * differs" for a pool timeout).
     */
    private void validateMigrationsLater() {
        deferred.schedule(() -> validateMigrations(1), VALIDATE_AFTER_SECONDS, TimeUnit.SECONDS);
    }

    static final int VALIDATE_ATTEMPTS = 3;

    /** One deferred validation; returns what it found: "valid", "differs", "retry" or "gave up" (tests). */
    String validateMigrations(int attempt) {
        if (closed) {
            return "closed";
        }
        try {
            Migrations.validate(unmonitoredDataSource(), dialect);
            LOG.debug("Flyway validated the schema history");
            return "valid";
        } catch (org.flywaydb.core.api.exception.FlywayValidateException e) {
            if (!closed) {
                LOG.error("The schema history differs from this console's migrations (was an applied migration edited?): {}",
                        e.getMessage());
            }
            return "differs";
        } catch (RuntimeException e) {
            if (closed) {
                return "closed";
            }
            String why = org.adminconsole.support.Causes.root(e).toString();
            if (attempt < VALIDATE_ATTEMPTS) {
                LOG.info("Could not check the schema history yet ({}); trying again in {} s", why, VALIDATE_AFTER_SECONDS);
                deferred.schedule(() -> validateMigrations(attempt + 1), VALIDATE_AFTER_SECONDS, TimeUnit.SECONDS);
                return "retry";
            }
            LOG.warn("Could not check the schema history against this console's migrations after {} tries ({}); it is checked"
                    + " again at the next start", VALIDATE_ATTEMPTS, why);
            return "gave up";
        }
    }

    /**
     * The pool; on an H2 server or shared file where this login may not set WRITE_DELAY (admin rights needed, error 90040) the pool is
     * opened without it, and the durability check then warns about the server's own setting.
     */
    private static ConnectionPool openPool(Settings settings) {
        try {
            return new ConnectionPool(settings);
        } catch (RuntimeException e) {
            boolean notAdmin = org.adminconsole.support.Causes.first(e, t -> t instanceof SQLException s && s.getErrorCode() == 90040).isPresent();
            if (!notAdmin || !settings.isH2()) {
                throw e;
            }
            // an H2 server, or an embedded file another console of this process opened as admin (a viewer's login)
            LOG.info("Login {} may not set WRITE_DELAY on the H2 database; connecting without it", settings.dbUser());
            return new ConnectionPool(settings, false);
        }
    }

    private static void prepareDataDir(Settings settings) {
        try {
            FilePermissions.createPrivateDirectories(settings.dataDir());
        } catch (Exception e) {
            throw new DatabaseStartupException(DatabaseStartupException.Reason.OTHER,
                    "Cannot create the data folder " + settings.dataDir() + ": " + e.getMessage()
                            + ". Set data.dir to a writable folder.", e);
        }
    }

    /** The operator's sentence for a failure to connect or open (passwords redacted), as {@link #open} throws it. */
    public static DatabaseStartupException explain(Throwable failure, Settings settings) {
        return StartupErrors.translate(failure, settings);
    }

    public Settings settings() { return settings; }
    public Dialect dialect() { return dialect; }
    public Transactions transactions() { return transactions; }
    public SqlMonitor sqlMonitor() { return monitor; }
    /**
     * The SessionFactory; waits while Hibernate is still building after {@link #openBeforeHibernate} (never call it on
     * the JavaFX thread), and throws {@link DatabaseStartupException} when the build or the schema check failed.
     */
    public SessionFactory sessionFactory() {
        try {
            return hibernate.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Completes when Hibernate is built and validated, or exceptionally with the startup failure; never waits. */
    public java.util.concurrent.CompletionStage<SessionFactory> hibernateReady() {
        return hibernate.copy();
    }

    /** The SessionFactory if Hibernate is ready, without waiting. */
    public java.util.Optional<SessionFactory> sessionFactoryIfReady() {
        return hibernate.isDone() && !hibernate.isCompletedExceptionally() ? java.util.Optional.of(hibernate.join()) : java.util.Optional.empty();
    }

    public Statistics statistics() { return sessionFactory().getStatistics(); }
    public DatabaseHealth health() { return health; }

    /** What the operator should know about this database from the start (e.g. commits that are not durable). */
    public List<String> warnings() { return warnings; }

    /**
     * The monitored data source (every statement is captured) for JDBC work outside Hibernate. Its connections are
     * in autocommit mode, as plain JDBC code expects; turn it off yourself for a transaction.
     */
    public DataSource dataSource() { return autoCommitDataSource; }

    /**
     * The pool without the SQL monitor, in autocommit mode: for background plumbing (cache checks, NOTIFY) that must
     * not flood the SQL log. Everything an operator triggers goes through {@link #dataSource()}.
     */
    public DataSource unmonitoredDataSource() { return new AutoCommitDataSource(pool); }

    /** The monitored pool as Hibernate sees it: connections with autocommit off (benchmarks, tools). */
    public DataSource poolDataSource() { return dataSource; }

    /**
     * A connection of its own, outside the pool, with the console's URL form and deadlines: as the console's login
     * ({@code reader} false), or as another login without admin rights ({@code reader} true: the SQL console).
     */
    public Connection openDirect(String user, String password, boolean reader) throws SQLException {
        return openDirect(user, password, reader, java.util.Map.of());
    }

    /** {@link #openDirect(String, String, boolean)} with extra driver properties (e.g. pgjdbc's {@code maxResultBuffer}). */
    public Connection openDirect(String user, String password, boolean reader, java.util.Map<String, String> driverProperties)
            throws SQLException {
        String url = reader ? JdbcUrls.readerUrl(settings) : JdbcUrls.url(settings);
        java.util.Properties p = JdbcUrls.properties(settings, user, password);
        driverProperties.forEach(p::setProperty);
        return DriverManager.getConnection(url, p);
    }

    /**
     * Compacts an embedded H2 file now if less than half of it is live data (what the console does by itself after a
     * minute without operations); returns whether it did. For benchmarks and tools.
     */
    public boolean compactIfWasteful() throws SQLException {
        return idleCompaction != null && IdleCompaction.compactIfWasteful(unmonitoredDataSource());
    }

    /** Between the chunks of a long bulk write (demo data), call after each; see {@link IdleCompaction#betweenBulkChunks}. */
    public void compactBetweenBulkChunks() {
        if (idleCompaction != null) {
            idleCompaction.betweenBulkChunks();
        }
    }

    /** Bulk chunks between two compactions, see {@link #compactBetweenBulkChunks()}. */
    public static final int BULK_COMPACT_EVERY = IdleCompaction.BULK_COMPACT_EVERY;

    /**
     * One compaction as {@link #compactBetweenBulkChunks()} does it, through a connection of one's own to an embedded
     * H2 file, between two commits (the generation benchmark's plain-JDBC loader, which must not grow the file more
     * than the console does).
     */
    public static void compactBetweenBulkChunks(Connection c) throws SQLException {
        IdleCompaction.compactIfWasteful(c, false, IdleCompaction.BULK_COMPACT_MS);
    }

    public boolean isH2() { return settings.isH2(); }

    /** Live pool figures: active, idle, waiting, total. */
    public PoolStats poolStats() {
        return pool.stats();
    }

    public record PoolStats(int active, int idle, int waiting, int total, int max) {
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        deferred.shutdown(); // drops a validation not started yet; one running finishes (never interrupted)
        health.close();
        if (idleCompaction != null) {
            idleCompaction.close();
        }
        // a build still running fails once the pool is closed; one that completes later is closed as soon as it does
        hibernate.thenAccept(sf -> closeQuietly(sf, null));
        closeQuietly(null, pool);
        Durability.compactOnClose(settings);
    }

    private static void closeQuietly(SessionFactory sf, ConnectionPool pool) {
        try {
            if (sf != null && sf.isOpen()) {
                sf.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("Closing the SessionFactory failed: {}", e.toString());
        }
        if (pool != null) {
            pool.close();
        }
    }
}
