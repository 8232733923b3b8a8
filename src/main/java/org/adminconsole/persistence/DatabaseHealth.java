package org.adminconsole.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database can be reached, and getting it back when it cannot: the self-healing part of the data
 * layer.
 *
 * <p>When an operation reports a lost connection (H2 closed after an I/O or out-of-memory error, a PostgreSQL
 * restart, a dropped or frozen network), the state becomes LOST and a probe thread tries a direct connection every
 * {@value #PROBE_MS} ms (each try bounded by the connection timeout). The first one that answers swaps in a fresh
 * pool (HikariCP's own back-off would otherwise wait up to 5 s), and listeners hear "recovered": caches are emptied
 * (anything may have changed meanwhile), the status bar says "reconnected" and views reload. While LOST, new
 * operations wait up to the connection timeout for the database instead of failing at once.
 */
public final class DatabaseHealth implements Connectivity, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealth.class);
    static final long PROBE_MS = 200;

    /** The states, as the status bar shows them. */
    public enum State { UP, LOST }

    /** Hears about outages; called on the probe thread (UI listeners move to the FX thread themselves). */
    public interface Listener {
        default void lost(String reason) {
        }

        default void recovered(Duration downtime) {
        }
    }

    private final Settings settings;
    private final Dialect dialect;
    private final ConnectionPool pool;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile State state = State.UP;
    private volatile String reason;
    private volatile Instant lostAt;
    private volatile long outages;
    private volatile boolean closed;
    private Thread probe;

    DatabaseHealth(Settings settings, Dialect dialect, ConnectionPool pool) {
        this.settings = settings;
        this.dialect = dialect;
        this.pool = pool;
    }

    public State state() { return state; }
    public boolean isUp() { return state == State.UP; }
    /** Why the connection was lost (the operator's words), while LOST. */
    public String reason() { return reason; }
    public long outages() { return outages; }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    @Override
    public void awaitAvailable() {
        if (state == State.UP) {
            return;
        }
        long deadline = System.nanoTime() + settings.get(Keys.POOL_CONNECTION_TIMEOUT).toNanos();
        synchronized (lock) {
            while (state != State.UP && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new DatabaseUnavailableException("The database is unavailable: the connection to the database was lost ("
                            + reason + ") and the console keeps trying to reconnect. Nothing was changed.", null);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DatabaseUnavailableException("Interrupted while waiting for the database", e);
                }
            }
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        synchronized (lock) {
            if (state == State.LOST || closed) {
                return;
            }
            state = State.LOST;
            lostAt = Instant.now();
            outages++;
            reason = describe(cause);
            LOG.warn("Database connection lost ({}: {}); reconnecting", reason, cause == null ? "no answer"
                    : org.adminconsole.support.Causes.firstLine(String.valueOf(org.adminconsole.support.Causes.root(cause))));
            probe = new Thread(this::probeUntilBack, "database-probe");
            probe.setDaemon(true);
            probe.start();
        }
        for (Listener l : listeners) {
            try {
                l.lost(reason);
            } catch (RuntimeException e) {
                LOG.error("A database health listener failed", e);
            }
        }
    }

    /** What happened, in the operator's words (status bar, messages); the technical cause goes to the log. */
    static String describe(Throwable cause) {
        if (cause == null) {
            return "the server does not answer";
        }
        Throwable root = org.adminconsole.support.Causes.root(cause);
        if (root instanceof java.net.SocketTimeoutException || Failures.isTimeout(cause)) {
            return "the server stopped answering";
        }
        if (root instanceof java.net.ConnectException || root instanceof java.net.UnknownHostException) {
            return "the server cannot be reached";
        }
        if (root instanceof java.io.EOFException || root instanceof java.net.SocketException) {
            return "the connection was cut";
        }
        var sql = org.adminconsole.support.Causes.find(cause, SQLException.class);
        if (sql.isPresent() && sql.get().getErrorCode() == 90098 || sql.isPresent() && sql.get().getErrorCode() == 90121) {
            return "the database was closed";
        }
        return "the connection broke";
    }

    private void probeUntilBack() {
        while (!closed) {
            if (probeOnce()) {
                pool.replace();
                Duration down = Duration.between(lostAt, Instant.now());
                synchronized (lock) {
                    state = State.UP;
                    reason = null;
                    lock.notifyAll();
                }
                LOG.info("Database reconnected after {} ms", down.toMillis());
                for (Listener l : listeners) {
                    try {
                        l.recovered(down);
                    } catch (RuntimeException e) {
                        LOG.error("A database health listener failed", e);
                    }
                }
                return;
            }
            try {
                Thread.sleep(PROBE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One direct connection (not the pool) that runs a trivial query, bounded by the connection timeout. */
    private boolean probeOnce() {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.setQueryTimeout((int) Math.max(1, settings.get(Keys.POOL_CONNECTION_TIMEOUT).toSeconds()));
            st.execute("SELECT 1");
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Database probe failed: {}", e.toString());
            return false;
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(JdbcUrls.url(settings), JdbcUrls.properties(settings, settings.dbUser(), settings.dbPassword()));
    }

    /**
     * After a COMMIT whose reply was lost: waits (at most twice the connection timeout) for the database, then asks
     * it whether the operation's commit happened (its first audit row exists, or PostgreSQL's transaction status).
     */
    @Override
    public CommitOutcome checkCommit(Operation op) {
        String marker = op.commitMarker();
        Long txId = op.transactionId();
        if (marker == null && (txId == null || dialect.transactionStatusSql() == null)) {
            return CommitOutcome.UNKNOWN;
        }
        long deadline = System.nanoTime() + settings.get(Keys.POOL_CONNECTION_TIMEOUT).toNanos() * 2;
        while (System.nanoTime() < deadline && !closed) {
            try (Connection c = connect()) {
                if (txId == null || dialect.transactionStatusSql() == null) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_log WHERE id = ?")) {
                        ps.setObject(1, java.util.UUID.fromString(marker));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getLong(1) > 0 ? CommitOutcome.COMMITTED : CommitOutcome.NOT_COMMITTED;
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(dialect.transactionStatusSql())) {
                    ps.setLong(1, txId);
                    try (ResultSet rs = ps.executeQuery()) {
                        String status = rs.next() ? rs.getString(1) : null;
                        if ("committed".equals(status)) {
                            return CommitOutcome.COMMITTED;
                        }
                        if ("aborted".equals(status)) {
                            return CommitOutcome.NOT_COMMITTED;
                        }
                        // still in progress (the server has not processed the COMMIT yet): ask again shortly
                        throw new SQLException("transaction " + txId + " is " + status);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Commit check of {} failed, retrying: {}", op.label(), e.toString());
                try {
                    Thread.sleep(PROBE_MS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return CommitOutcome.UNKNOWN;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
