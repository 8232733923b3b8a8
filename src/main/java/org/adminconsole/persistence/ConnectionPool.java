package org.adminconsole.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.adminconsole.support.Causes;
import org.slf4j.LoggerFactory;

/**
 * The console's HikariCP pool, behind a data source that can swap in a fresh pool. After an outage HikariCP's own
 * reconnect back-off can wait up to 5 s; when the health probe sees the database again it calls {@link #replace()},
 * and the next operation gets a new connection at once (the old pool is closed in the background).
 *
 * <p>H2 reports a dead database with its own error codes (90098 closed, 90121, 90067, an MVStore read failure...),
 * which HikariCP does not know: an exception override evicts such connections instead of handing them out again.
 */
public final class ConnectionPool implements DataSource, AutoCloseable {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

    /** Evicts connections whose failure means the connection or the database behind it is gone. */
    public static final class DeadConnectionOverride implements SQLExceptionOverride {
        @java.lang.Override
        public SQLExceptionOverride.Override adjudicate(SQLException e) {
            if (Dialect.CONNECTION_LOST_H2.contains(e.getErrorCode()) || e.getErrorCode() == 90007 || e.getErrorCode() == 90031
                    || Causes.first(e, Failures::isDeadStore).isPresent()) {
                return SQLExceptionOverride.Override.MUST_EVICT;
            }
            return SQLExceptionOverride.Override.CONTINUE_EVICT;
        }
    }

    private final Settings settings;
    private final AtomicInteger generation = new AtomicInteger();
    private volatile HikariDataSource current;
    private volatile boolean closed;
    private volatile java.util.function.LongSupplier deadline;
    private static final java.util.concurrent.Executor NETWORK_TIMEOUTS = Runnable::run;

    private final boolean setDurability;

    public ConnectionPool(Settings settings) {
        this(settings, true);
    }

    /** {@code setDurability} false: the URL without WRITE_DELAY (a login without admin rights on an H2 server). */
    ConnectionPool(Settings settings, boolean setDurability) {
        this.settings = settings;
        this.setDurability = setDurability;
        this.current = new HikariDataSource(config(1));
    }

    private HikariConfig config(int gen) {
        Settings s = settings;
        HikariConfig c = new HikariConfig();
        c.setPoolName("admin-console" + (gen > 1 ? "-" + gen : ""));
        c.setJdbcUrl(JdbcUrls.url(s, setDurability));
        c.setDataSourceProperties(JdbcUrls.properties(s, s.dbUser(), s.dbPassword()));
        c.setUsername(s.dbUser());
        c.setPassword(s.dbPassword());
        c.setMaximumPoolSize(s.get(Keys.POOL_MAX_SIZE));
        c.setMinimumIdle(s.get(Keys.POOL_MIN_IDLE));
        c.setConnectionTimeout(s.get(Keys.POOL_CONNECTION_TIMEOUT).toMillis());
        c.setValidationTimeout(Math.min(5_000, Math.max(250, s.get(Keys.POOL_CONNECTION_TIMEOUT).toMillis() - 100)));
        c.setIdleTimeout(s.get(Keys.POOL_IDLE_TIMEOUT).toMillis());
        c.setMaxLifetime(s.get(Keys.POOL_MAX_LIFETIME).toMillis());
        c.setKeepaliveTime(s.get(Keys.POOL_KEEPALIVE).toMillis());
        c.setExceptionOverride(new DeadConnectionOverride());
        c.setInitializationFailTimeout(1); // fail fast with the driver's own error
        // Connections leave the pool with autocommit off and Hibernate knows it (provider_disables_autocommit): a
        // transaction takes a connection only at its first statement, so an operation served entirely from the
        // caches never touches the pool.
        c.setAutoCommit(false);
        c.setRegisterMbeans(false);
        return c;
    }

    /** Swaps in a fresh pool (after the database came back) and closes the old one in the background. */
    public synchronized void replace() {
        if (closed) {
            return;
        }
        HikariDataSource old = current;
        HikariDataSource fresh = new HikariDataSource(config(generation.incrementAndGet() + 1));
        current = fresh;
        Thread t = new Thread(() -> closeQuietly(old), "pool-close");
        t.setDaemon(true);
        t.start();
        LOG.debug("Connection pool replaced ({})", fresh.getPoolName());
    }

    /** Live pool figures. */
    public Database.PoolStats stats() {
        HikariPoolMXBean bean = current.getHikariPoolMXBean();
        int max = settings.get(Keys.POOL_MAX_SIZE);
        if (bean == null) {
            return new Database.PoolStats(0, 0, 0, 0, max);
        }
        return new Database.PoolStats(bean.getActiveConnections(), bean.getIdleConnections(), bean.getThreadsAwaitingConnection(),
                bean.getTotalConnections(), max);
    }

    /**
     * A pooled connection. On PostgreSQL it waits for a reply at most until the running operation's deadline (plus 5 %):
     * a frozen server or network fails the operation then, instead of holding it and its connection for the socket
     * timeout. HikariCP restores the pool's own network timeout when the connection comes back.
     */
    @java.lang.Override
    public Connection getConnection() throws SQLException {
        Connection c = current.getConnection();
        long remaining = deadline == null ? -1 : deadline.getAsLong();
        if (remaining > 0 && Dialect.of(settings.dbUrl()).honoursNetworkTimeout()) {
            try {
                long ms = remaining / 1_000_000;
                c.setNetworkTimeout(NETWORK_TIMEOUTS, (int) Math.min(Integer.MAX_VALUE, ms + Math.max(50, ms * 3 / 100)));
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /** Nanoseconds left before the running operation's deadline (or -1 when none runs on this thread). */
    void setDeadline(java.util.function.LongSupplier deadline) {
        this.deadline = deadline;
    }

    @java.lang.Override
    public Connection getConnection(String user, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The pool connects as the configured login only");
    }

    @java.lang.Override public PrintWriter getLogWriter() throws SQLException { return current.getLogWriter(); }
    @java.lang.Override public void setLogWriter(PrintWriter out) throws SQLException { current.setLogWriter(out); }
    @java.lang.Override public void setLoginTimeout(int seconds) throws SQLException { current.setLoginTimeout(seconds); }
    @java.lang.Override public int getLoginTimeout() throws SQLException { return current.getLoginTimeout(); }
    @java.lang.Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { return current.getParentLogger(); }

    @java.lang.Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : current.unwrap(iface);
    }

    @java.lang.Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || current.isWrapperFor(iface);
    }

    public boolean isClosed() {
        return closed;
    }

    @java.lang.Override
    public synchronized void close() {
        closed = true;
        closeQuietly(current);
    }

    private static void closeQuietly(HikariDataSource pool) {
        try {
            if (pool != null && !pool.isClosed()) {
                pool.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("Closing a connection pool failed: {}", e.toString());
        }
    }
}
