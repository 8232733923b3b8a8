package org.adminconsole.cache;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.adminconsole.persistence.Operation;
import org.adminconsole.persistence.OperationRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the {@code table_versions} rows that every committed write bumps (the console's transaction
 * helper, and database triggers for writers outside the console). A check reads all rows (one indexed query
 * on a tiny table) and compares them with the versions seen last; increments this console did not commit
 * itself are changes from other consoles (or other programs) and are handed to the change handler, which
 * evicts the matching caches.
 *
 * <p>Own commits are recognised exactly: the database allows one increment per table per transaction, and a
 * hook inside each committing write reads the version numbers it produced (its rows are locked until commit,
 * so no other writer can interleave), together with its transaction id ({@code last_tx}). Those numbers count
 * as "ours" once the commit is confirmed, or earlier when the committed row carries exactly that version and
 * transaction id (a check triggered by our own NOTIFY runs before the confirmation). Anything else between
 * two checks is foreign. An own commit that still looks foreign (an intermediate version, checked before its
 * confirmation) only costs a spurious eviction, never a missed one. {@link OwnWrites} keeps those numbers.
 *
 * <p>Checks run on a schedule ({@code cache.check.intervalMs}), before a named cached value is served, and,
 * on PostgreSQL, as soon as a {@code NOTIFY} arrives (see {@link PgChangeListener}); {@link CheckScheduler} runs the
 * scheduled and requested ones.
 */
public final class TableVersionWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TableVersionWatcher.class);

    /** What one check found. {@code foreign}: tables changed by someone else since the previous check. */
    public record CheckResult(Instant at, Set<String> foreign, Set<String> own) {
        public boolean changed() {
            return !foreign.isEmpty();
        }
    }

    /** For the status bar and the caches view. */
    public record Status(Instant lastCheck, long checks, long foreignInvalidations, Instant lastForeignChange,
                         long notifications, String notifyState, String lastError) {
    }

    private final DataSource dataSource;
    /** NULL while the current transaction has written nothing. */
    private final String writtenProbe;
    private final Object lock = new Object();
    /** The last row seen per table: version and the transaction that produced it. */
    private final Map<String, VersionRow> known = new HashMap<>();
    /** The versions our own writes produced (confirmed ones guarded by {@link #lock}). */
    private final OwnWrites own = new OwnWrites();
    private volatile Consumer<Set<String>> changeHandler = t -> { };
    private final CheckScheduler schedule;
    private final AtomicLong checks = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong otherSchemaNotifications = new AtomicLong();
    private volatile Instant lastCheck;
    private volatile Instant lastForeignChange;
    private volatile String lastError;
    private volatile String notifyState = "off";
    private PgChangeListener pgListener;

    /** Reads the current versions as the starting point (nothing cached yet can be older than them). */
    public TableVersionWatcher(DataSource dataSource, org.adminconsole.persistence.Dialect dialect) {
        this.dataSource = dataSource;
        this.schedule = new CheckScheduler(this::checkNow, dialect);
        this.writtenProbe = dialect.writtenProbeSql();
        try (Connection c = dataSource.getConnection()) {
            synchronized (lock) {
                VersionRow.readAll(c).forEach(known::put);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read table_versions: " + e.getMessage(), e);
        }
    }

    /** Receives the tables changed by others; called under the check lock, so evictions finish within the check. */
    public void setChangeHandler(Consumer<Set<String>> handler) {
        this.changeHandler = handler == null ? t -> { } : handler;
    }

    /** Starts the periodic check and, when {@code pg} is given, the PostgreSQL NOTIFY listener. */
    public synchronized void start(Duration interval, PgChangeListener.Target pg) {
        if (!schedule.start(interval)) {
            return;
        }
        if (pg != null) {
            pgListener = new PgChangeListener(pg, this);
            pgListener.start();
        }
    }

    /** Notifications about another schema of the same PostgreSQL database: heard on the shared channel, not acted on. */
    void otherSchemaNotifications(int n) {
        otherSchemaNotifications.addAndGet(n);
    }

    long otherSchemaNotifications() {
        return otherSchemaNotifications.get();
    }

    /** Asks for a check on the checker thread as soon as possible (a NOTIFY arrived, or the listener reconnected). */
    void requestCheck(int notified) {
        notifications.addAndGet(notified);
        schedule.requestCheck();
    }

    void setNotifyState(String state) {
        notifyState = state;
    }

    /** Whether the database is reachable now, and where to report a lost connection (the health monitor). */
    public void setHealth(java.util.function.BooleanSupplier available, java.util.function.Consumer<Throwable> connectionLost) {
        schedule.setHealth(available, connectionLost);
    }

    /**
     * Takes the versions as they are now as the new starting point (after a reconnect: the caches were emptied, so
     * nothing older than these versions is cached any more; a database restored to an older state is covered too).
     */
    public void resetBaseline() {
        try (Connection c = dataSource.getConnection()) {
            synchronized (lock) {
                known.clear();
                own.clearConfirmed();
                VersionRow.readAll(c).forEach(known::put);
            }
        } catch (SQLException e) {
            LOG.warn("Cannot read table_versions after reconnecting: {}", e.getMessage());
        }
    }

    /** Checks now on a pooled connection. */
    public CheckResult checkNow() {
        try (Connection c = dataSource.getConnection()) {
            return check(c);
        } catch (SQLException e) {
            String msg = "Cache check failed: " + e.getMessage();
            if (!msg.equals(lastError)) {
                LOG.warn(msg);
            }
            lastError = msg;
            throw new IllegalStateException(msg, e);
        }
    }

    /** Checks on the given connection (inside an operation: its own connection, no second one from the pool). */
    public CheckResult check(Connection c) throws SQLException {
        synchronized (lock) {
            Map<String, VersionRow> now = VersionRow.readAll(c);
            Set<String> changedForeign = new LinkedHashSet<>();
            Set<String> changedOwn = new LinkedHashSet<>();
            for (Map.Entry<String, VersionRow> e : now.entrySet()) {
                String table = e.getKey();
                VersionRow nowRow = e.getValue();
                long v = nowRow.version();
                VersionRow beforeRow = known.put(table, nowRow);
                if (beforeRow == null || beforeRow.equals(nowRow)) {
                    continue;
                }
                long before = beforeRow.version();
                if (v <= before) {
                    // The number went back, or the same number now comes from another transaction: the database lost
                    // commits (a server crash, a restored backup) and was written again. Anything cached may be wrong.
                    changedForeign.add(table);
                } else {
                    long foreignBumps = (v - before) - own.bumps(table, before, nowRow);
                    (foreignBumps > 0 ? changedForeign : changedOwn).add(table);
                }
                own.seen(table, v);
            }
            checks.incrementAndGet();
            lastError = null;
            if (!changedForeign.isEmpty()) {
                foreign.addAndGet(changedForeign.size());
                lastForeignChange = Instant.now();
                changeHandler.accept(Collections.unmodifiableSet(changedForeign));
            }
            Instant at = Instant.now();
            lastCheck = at;
            return new CheckResult(at, Set.copyOf(changedForeign), Set.copyOf(changedOwn));
        }
    }

    /**
     * Checks inside a write operation's own transaction, unless that transaction already wrote something
     * (even SQL it did not declare): its own uncommitted bumps would look like changes and, if it then rolled
     * back, leave the watcher ahead of the database. Returns false then, and changes nothing.
     */
    public boolean checkInWrite(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(writtenProbe); ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getObject(1) != null) {
                return false;
            }
        }
        check(c);
        return true;
    }

    /**
     * Transaction hook, inside a committing write after its bump: records the version numbers this
     * transaction produced (tentatively, until the commit is confirmed by {@link #onOperation}).
     */
    public void afterBump(Operation op, Connection c) throws SQLException {
        Set<String> tables = op.touchedTables();
        if (tables.isEmpty()) {
            return;
        }
        Map<String, VersionRow> mine = new HashMap<>();
        for (Map.Entry<String, VersionRow> e : VersionRow.readAll(c).entrySet()) {
            if (tables.contains(e.getKey())) {
                mine.put(e.getKey(), e.getValue());
            }
        }
        own.recordTentative(op.id(), mine);
    }

    /** Operation listener: a committed write's versions become "ours"; anything else is forgotten. */
    public void onOperation(OperationRecord rec) {
        if (rec.outcome() != OperationRecord.Outcome.COMMITTED) {
            own.forget(rec.id());
            return;
        }
        synchronized (lock) { // under the lock: a check sees the versions either as tentative or as confirmed
            own.confirm(rec.id(), known);
        }
    }

    /** The last versions seen (copy). */
    public Map<String, Long> knownVersions() {
        synchronized (lock) {
            Map<String, Long> m = new HashMap<>();
            known.forEach((k, r) -> m.put(k, r.version()));
            return Map.copyOf(m);
        }
    }

    public Status status() {
        return new Status(lastCheck, checks.get(), foreign.get(), lastForeignChange, notifications.get(), notifyState, lastError);
    }

    @Override
    public synchronized void close() {
        schedule.closing();
        if (pgListener != null) {
            pgListener.close();
            pgListener = null;
        }
        schedule.close();
    }
}
