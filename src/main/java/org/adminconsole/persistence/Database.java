package org.adminconsole.persistence;

import org.adminconsole.persistence.audit.StatelessAuditListener;
import org.adminconsole.persistence.monitor.FirstLevelCacheListener;
import org.adminconsole.persistence.monitor.OperationStatistics;
import org.adminconsole.persistence.monitor.SqlMonitor;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import javax.cache.CacheManager;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.User;
import org.flywaydb.core.Flyway;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.stat.Statistics;
import org.hibernate.stat.spi.StatisticsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opened database: HikariCP pool (wrapped by datasource-proxy for the SQL monitor), Flyway migrations,
 * the Hibernate SessionFactory with the Ehcache second-level cache, and the transaction helper.
 * {@link #open} either returns a fully working database or throws {@link DatabaseStartupException} with
 * everything it had opened closed again: nothing half-starts.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final Settings settings;
    private final HikariDataSource pool;
    private final DataSource dataSource;
    private final DataSource autoCommitDataSource;
    private final SqlMonitor monitor;
    private final SessionFactory sessionFactory;
    private final Transactions transactions;
    private volatile boolean closed;

    private Database(Settings settings, HikariDataSource pool, DataSource dataSource, SqlMonitor monitor,
                     SessionFactory sessionFactory) {
        this.settings = settings;
        this.pool = pool;
        this.dataSource = dataSource;
        this.autoCommitDataSource = new AutoCommitDataSource(dataSource);
        this.monitor = monitor;
        this.sessionFactory = sessionFactory;
        this.transactions = new Transactions(sessionFactory, monitor, settings.operator(), Dialect.of(settings.dbUrl()),
                settings.get(Keys.TX_DEFAULT_TIMEOUT), settings.get(Keys.TX_LONG_TIMEOUT), Connectivity.NONE);
    }

    public static Database open(Settings settings) {
        HikariDataSource pool = null;
        SessionFactory sf = null;
        try {
            prepareDataDir(settings);
            SqlMonitor monitor = new SqlMonitor(settings.get(Keys.SQL_LOG_CAPACITY), settings.get(Keys.SQL_SLOW_THRESHOLD));
            pool = new HikariDataSource(poolConfig(settings));
            DataSource proxied = ProxyDataSourceBuilder.create("admin-console", pool)
                    .listener(monitor)
                    .proxyResultSet()
                    .methodListener(monitor)
                    .build();
            Flyway.configure()
                    .dataSource(new AutoCommitDataSource(pool))
                    .locations("classpath:db/migration", "classpath:db/vendor/" + (settings.isPostgres() ? "postgresql" : "h2"))
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            sf = buildSessionFactory(proxied, settings, monitor);
            return new Database(settings, pool, proxied, monitor, sf);
        } catch (RuntimeException | Error e) {
            // Not logged here: the caller reports it once (the UI's task runner logs it with the stack trace).
            DatabaseStartupException translated = StartupErrors.translate(e, settings);
            closeQuietly(sf, pool);
            throw translated;
        }
    }

    private static void prepareDataDir(Settings settings) {
        try {
            org.adminconsole.config.FilePermissions.createPrivateDirectories(settings.dataDir());
        } catch (Exception e) {
            throw new DatabaseStartupException(DatabaseStartupException.Reason.OTHER,
                    "Cannot create the data folder " + settings.dataDir() + ": " + e.getMessage()
                            + ". Set data.dir to a writable folder.", e);
        }
    }

    static String effectiveUrl(Settings s) {
        String url = s.dbUrl();
        if (s.isH2() && !url.toUpperCase().contains("WRITE_DELAY") && !url.startsWith("jdbc:h2:tcp:")
                && !url.startsWith("jdbc:h2:ssl:") && !url.startsWith("jdbc:h2:mem:")) {
            // "safe": every reported commit is on disk (H2 otherwise keeps up to 500 ms of commits in memory).
            url += ";WRITE_DELAY=" + (s.durableCommits() ? "0" : "500");
        }
        return url;
    }

    private static HikariConfig poolConfig(Settings s) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("admin-console");
        c.setJdbcUrl(effectiveUrl(s));
        c.setUsername(s.dbUser());
        c.setPassword(s.dbPassword());
        c.setMaximumPoolSize(s.get(Keys.POOL_MAX_SIZE));
        c.setMinimumIdle(s.get(Keys.POOL_MIN_IDLE));
        c.setConnectionTimeout(s.get(Keys.POOL_CONNECTION_TIMEOUT).toMillis());
        c.setIdleTimeout(s.get(Keys.POOL_IDLE_TIMEOUT).toMillis());
        c.setMaxLifetime(s.get(Keys.POOL_MAX_LIFETIME).toMillis());
        c.setInitializationFailTimeout(1); // fail fast with the driver's own error
        // Connections leave the pool with autocommit off and Hibernate knows it
        // (provider_disables_autocommit): a transaction takes a connection only when it runs its first
        // statement, so an operation served entirely from the caches never touches the pool.
        c.setAutoCommit(false);
        if (s.isPostgres()) {
            // DBAs see whose console holds a connection (pg_stat_activity.application_name).
            c.addDataSourceProperty("ApplicationName", applicationName(s));
        }
        c.setRegisterMbeans(false);
        return c;
    }

    public static String applicationName(Settings s) {
        String name = "Admin Console (" + s.operator() + ")";
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    private static SessionFactory buildSessionFactory(DataSource ds, Settings s, SqlMonitor monitor) {
        CacheManager cacheManager = SecondLevelCache.create(s);
        Map<String, Object> p = new HashMap<>();
        p.put("jakarta.persistence.nonJtaDataSource", ds);
        p.put("hibernate.hbm2ddl.auto", "validate");
        p.put("hibernate.cache.use_second_level_cache", "true");
        p.put("hibernate.cache.use_query_cache", "true");
        p.put("hibernate.cache.region.factory_class", "jcache");
        p.put("hibernate.javax.cache.cache_manager", cacheManager);
        p.put("hibernate.javax.cache.missing_cache_strategy", "fail");
        p.put("hibernate.generate_statistics", "true");
        p.put("hibernate.connection.provider_disables_autocommit", "true");
        // statistics that also count L2 hits/misses/puts into the running operation
        p.put("hibernate.stats.factory", (StatisticsFactory) factory -> new OperationStatistics(factory, monitor));
        p.put("hibernate.jdbc.batch_size", "50");
        p.put("hibernate.order_inserts", "true");
        p.put("hibernate.order_updates", "true");
        p.put("hibernate.jdbc.time_zone", "UTC");
        p.put("hibernate.query.fail_on_pagination_over_collection_fetch", "true");
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder().applySettings(p).build();
        try {
            SessionFactory sf = new MetadataSources(registry)
                    .addAnnotatedClass(User.class)
                    .addAnnotatedClass(Department.class)
                    .buildMetadata()
                    .buildSessionFactory();
            EventListenerRegistry events = sf.unwrap(SessionFactoryImplementor.class).getEventListenerRegistry();
            StatelessAuditListener audit = new StatelessAuditListener(s.operator());
            events.appendListeners(EventType.PRE_INSERT, audit);
            events.appendListeners(EventType.PRE_UPDATE, audit);
            events.prependListeners(EventType.LOAD, new FirstLevelCacheListener());
            return sf;
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            if (!cacheManager.isClosed()) {
                cacheManager.close();
            }
            throw e;
        }
    }

    public Settings settings() { return settings; }
    public Transactions transactions() { return transactions; }
    public SqlMonitor sqlMonitor() { return monitor; }
    public SessionFactory sessionFactory() { return sessionFactory; }
    public Statistics statistics() { return sessionFactory.getStatistics(); }
    /**
     * The monitored data source (every statement is captured) for JDBC work outside Hibernate. Its
     * connections are in autocommit mode, as plain JDBC code expects; turn it off yourself for a transaction.
     */
    public DataSource dataSource() { return autoCommitDataSource; }
    /**
     * The pool without the SQL monitor, in autocommit mode: for background plumbing (cache checks, NOTIFY)
     * that must not flood the SQL log. Everything an operator triggers goes through {@link #dataSource()}.
     */
    public DataSource unmonitoredDataSource() { return new AutoCommitDataSource(pool); }

    /** The monitored pool as Hibernate sees it: connections with autocommit off (benchmarks, tools). */
    public DataSource poolDataSource() { return dataSource; }
    public boolean isH2() { return settings.isH2(); }
    public boolean isPostgres() { return settings.isPostgres(); }
    public String url() { return settings.dbUrl(); }

    /** Live pool figures: active, idle, waiting, total. */
    public PoolStats poolStats() {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null) {
            return new PoolStats(0, 0, 0, 0, settings.get(Keys.POOL_MAX_SIZE));
        }
        return new PoolStats(bean.getActiveConnections(), bean.getIdleConnections(), bean.getThreadsAwaitingConnection(),
                bean.getTotalConnections(), settings.get(Keys.POOL_MAX_SIZE));
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
        closeQuietly(sessionFactory, pool);
    }

    private static void closeQuietly(SessionFactory sf, HikariDataSource pool) {
        try {
            if (sf != null && sf.isOpen()) {
                sf.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("Closing the SessionFactory failed", e);
        }
        try {
            if (pool != null && !pool.isClosed()) {
                pool.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("Closing the connection pool failed", e);
        }
    }
}
