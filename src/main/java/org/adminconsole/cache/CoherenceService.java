package org.adminconsole.cache;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.Database;
import org.adminconsole.persistence.SecondLevelFence;
import org.adminconsole.persistence.DatabaseHealth;
import org.adminconsole.persistence.JdbcUrls;
import org.adminconsole.persistence.Operation;
import org.adminconsole.persistence.OperationListener;
import org.adminconsole.persistence.OperationRecord;
import org.adminconsole.persistence.Transactions;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this console's caches coherent with other consoles (and other programs) on the same database:
 * when the {@link TableVersionWatcher} sees a table changed by someone else, this evicts the matching
 * Hibernate second-level regions ({@link SecondLevelEvictions}: entities, natural ids and collections stored in that
 * table, fenced by {@link SecondLevelFence} so that no older row can be put back; and the query results), the user
 * cache (for the tables a {@code UserView} is built from) and the named values reading it.
 *
 * <p><b>The late-put race.</b> An operation that read a row before the other console committed may put that
 * older row into the second-level cache <em>after</em> the eviction (Hibernate puts a loaded entity into an
 * empty slot). So every operation in flight when an eviction happens is remembered; when the last of them
 * has ended the same tables are evicted again (second level, user cache, named values: {@link LateReEvictions}).
 * A check counts as completed only then: {@link #checkNow()} waits for it. The user cache and named values also
 * guard their own puts with generations.
 */
public final class CoherenceService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoherenceService.class);
    /** Tables a {@code UserView} is built from. */
    private static final Set<String> USER_TABLES = Set.of("users", "user_departments", "departments");

    /** For the status bar. */
    public record Status(Instant lastCheck, long checks, long foreignInvalidations, Instant lastForeignChange,
                         long notifications, String notifyState, String lastError, int pendingReEvictions) {
    }

    private final Transactions tx;
    /**
     * The second-level regions by table, mapped once Hibernate is ready: until then (the first seconds after a start,
     * see {@link Database#openBeforeHibernate}) nothing can be in those regions, so there is nothing to evict.
     */
    private volatile SecondLevelEvictions secondLevel = SecondLevelEvictions.NONE;
    private final TableVersionWatcher watcher;
    private final UserCache userCache;
    private final NamedValues namedValues;
    private final LateReEvictions reEvictions = new LateReEvictions();
    private final List<java.util.function.Consumer<Set<String>>> changeListeners = new CopyOnWriteArrayList<>();
    private DatabaseHealth health;
    /** After an outage anything may have changed (other consoles wrote, or the database lost commits): start afresh. */
    private final DatabaseHealth.Listener healthListener = new DatabaseHealth.Listener() {
        @Override
        public void recovered(java.time.Duration downtime) {
            watcher.resetBaseline();
            evictEverything();
        }
    };

    private final OperationListener listener = new OperationListener() {
        @Override
        public void started(Operation op) {
            reEvictions.started(op.id());
        }

        @Override
        public void versionsBumped(Operation op, Connection connection) throws SQLException {
            watcher.afterBump(op, connection);
        }

        @Override
        public void finished(OperationRecord rec) {
            onOperation(rec);
        }
    };

    private CoherenceService(Database db, TableVersionWatcher watcher, UserCache userCache) {
        this.tx = db.transactions();
        db.hibernateReady().thenAccept(sf -> secondLevel = new SecondLevelEvictions(sf.unwrap(SessionFactoryImplementor.class)));
        this.watcher = watcher;
        this.userCache = userCache;
        this.namedValues = new NamedValues(tx, new NamedValues.VersionCheck() {
            @Override
            public void checkNow() {
                watcher.checkNow();
            }

            @Override
            public void check(Connection connection) throws SQLException {
                watcher.check(connection);
            }

            @Override
            public boolean checkInWrite(Connection connection) throws SQLException {
                return watcher.checkInWrite(connection);
            }
        });
    }

    /** Wires the hooks into the transaction helper and starts checking (and listening, on PostgreSQL). */
    public static CoherenceService start(Database db, Settings settings, UserCache userCache) {
        TableVersionWatcher watcher = new TableVersionWatcher(poolOf(db), db.dialect());
        CoherenceService c = new CoherenceService(db, watcher, userCache);
        watcher.setChangeHandler(c::onForeignChange);
        watcher.setHealth(db.health()::isUp, db.health()::connectionLost);
        db.health().addListener(c.healthListener);
        c.health = db.health();
        Transactions tx = db.transactions();
        tx.addListener(c.listener);
        watcher.start(settings.get(Keys.CACHE_CHECK_INTERVAL), db.dialect().deliversNotifications() && settings.get(Keys.CACHE_CHECK_NOTIFY)
                ? new PgChangeListener.Target(JdbcUrls.url(settings),
                        JdbcUrls.properties(settings, settings.dbUser(), settings.dbPassword())) : null);
        return c;
    }

    /** The pool itself: the periodic check need not fill the SQL monitor with one statement per second. */
    private static DataSource poolOf(Database db) {
        return db.unmonitoredDataSource();
    }

    /** Hears the tables changed by someone else (other consoles, other programs), after their caches were evicted. */
    public void addChangeListener(java.util.function.Consumer<Set<String>> l) {
        changeListeners.add(l);
    }

    /** Empties every cache (second level, user cache, named values) and tells the change listeners. */
    public void evictEverything() {
        secondLevel.evictAll();
        userCache.clear();
        namedValues.invalidateAll();
        notifyChange(secondLevel.tables());
    }

    private void notifyChange(Set<String> tables) {
        for (var l : changeListeners) {
            try {
                l.accept(tables);
            } catch (RuntimeException e) {
                LOG.error("A change listener failed", e);
            }
        }
    }

    /** Called by the watcher (under its lock) with tables changed by someone else. */
    private void onForeignChange(Set<String> tables) {
        LOG.debug("Tables changed by another console or program: {}; evicting cached data", tables);
        evict(tables, true);
        notifyChange(tables);
        reEvictions.evicted(tables);
    }

    private void evict(Set<String> tables, boolean foreign) {
        secondLevel.evict(tables);
        if (tables.stream().anyMatch(USER_TABLES::contains)) {
            userCache.clear();
        }
        namedValues.invalidateTables(tables, foreign);
    }

    private void onOperation(OperationRecord rec) {
        watcher.onOperation(rec);
        namedValues.onOperation(rec);
        if (rec.outcome() == OperationRecord.Outcome.COMMITTED && !rec.regionsClearedFor().isEmpty()) {
            secondLevel.fenceChangedRows(rec);
        }
        reEvictions.ended(rec.id(), tables -> evict(tables, false));
    }

    /**
     * Checks now and waits until the check is complete: evictions done, and re-done after every operation
     * that overlapped them ended (at most {@code timeoutMs}). Inside an operation it does not wait (it could
     * be waiting for itself).
     */
    public TableVersionWatcher.CheckResult checkNow(long timeoutMs) {
        TableVersionWatcher.CheckResult r = watcher.checkNow();
        if (tx.current().isPresent()) {
            return r;
        }
        List<CompletableFuture<Void>> waits = reEvictions.waits();
        if (!waits.isEmpty()) {
            try {
                CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("Cache check: operations that overlapped an eviction are still running after {} ms", timeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return r;
    }

    public TableVersionWatcher.CheckResult checkNow() {
        return checkNow(30_000);
    }

    public NamedValues namedValues() {
        return namedValues;
    }

    public TableVersionWatcher watcher() {
        return watcher;
    }

    public Status status() {
        TableVersionWatcher.Status s = watcher.status();
        return new Status(s.lastCheck(), s.checks(), s.foreignInvalidations(), s.lastForeignChange(), s.notifications(),
                s.notifyState(), s.lastError(), reEvictions.pending());
    }

    @Override
    public void close() {
        watcher.close();
        if (health != null) {
            health.removeListener(healthListener);
        }
        tx.removeListener(listener);
    }
}
