package org.adminconsole.cache;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
import org.hibernate.Cache;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.MappingMetamodel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this console's caches coherent with other consoles (and other programs) on the same database:
 * when the {@link TableVersionWatcher} sees a table changed by someone else, this evicts the matching
 * Hibernate second-level regions (entities, natural ids and collections stored in that table, fenced by
 * {@link SecondLevelFence} so that no older row can be put back; and the query results), the user cache (for the tables a {@code UserView} is built from) and the named values reading it.
 *
 * <p><b>The late-put race.</b> An operation that read a row before the other console committed may put that
 * older row into the second-level cache <em>after</em> the eviction (Hibernate puts a loaded entity into an
 * empty slot). So every operation in flight when an eviction happens is remembered; when the last of them
 * has ended the same tables are evicted again (second level, user cache, named values). A check counts as
 * completed only then: {@link #checkNow()} waits for it. The user cache and named values also guard their own
 * puts with generations.
 */
public final class CoherenceService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoherenceService.class);
    /** Tables a {@code UserView} is built from. */
    private static final Set<String> USER_TABLES = Set.of("users", "user_departments", "departments");

    /** For the status bar. */
    public record Status(Instant lastCheck, long checks, long foreignInvalidations, Instant lastForeignChange,
                         long notifications, String notifyState, String lastError, int pendingReEvictions) {
    }

    private static final class Pending {
        final Set<String> tables;
        final Set<Long> ops;
        final long createdNanos = System.nanoTime();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Pending(Set<String> tables, Set<Long> ops) {
            this.tables = tables;
            this.ops = ops;
        }
    }

    private final Transactions tx;
    private final SessionFactoryImplementor sessionFactory;
    private final TableVersionWatcher watcher;
    private final UserCache userCache;
    private final NamedValues namedValues;
    private final Map<String, List<Runnable>> evictionsByTable = new HashMap<>();
    /** Per entity (simple name): fences the second-level entries of given ids (entity and owned collections). */
    private final Map<String, java.util.function.Consumer<List<Object>>> keyFencesByEntity = new HashMap<>();
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /** Orders "remember the operations in flight at an eviction" against "an operation ended". */
    private final Object flightLock = new Object();
    private final List<Pending> pending = new CopyOnWriteArrayList<>();
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
            inFlight.add(op.id());
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
        this.sessionFactory = db.sessionFactory().unwrap(SessionFactoryImplementor.class);
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
        mapRegions();
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

    private void mapRegions() {
        Cache cache = sessionFactory.getCache();
        MappingMetamodel mm = sessionFactory.getMappingMetamodel();
        mm.forEachEntityDescriptor(p -> {
            if (!p.hasCache() && !p.hasNaturalIdCache()) {
                return;
            }
            String entity = p.getEntityName();
            for (Serializable space : p.getQuerySpaces()) {
                List<Runnable> evictions = evictionsByTable.computeIfAbsent(space.toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>());
                if (p.hasCache()) {
                    evictions.add(() -> SecondLevelFence.fence(sessionFactory, p.getCacheAccessStrategy(), () -> cache.evictEntityData(entity)));
                }
                if (p.hasNaturalIdCache()) {
                    evictions.add(() -> SecondLevelFence.fence(sessionFactory, p.getNaturalIdCacheAccessStrategy(),
                            () -> cache.evictNaturalIdData(entity)));
                }
            }
        });
        mm.forEachEntityDescriptor(p -> {
            if (!p.hasCache()) {
                return;
            }
            List<org.hibernate.persister.collection.CollectionPersister> owned = new ArrayList<>();
            mm.forEachCollectionDescriptor(cp -> {
                if (cp.hasCache() && cp.getOwnerEntityPersister() == p) {
                    owned.add(cp);
                }
            });
            String simpleName = p.getEntityName().substring(p.getEntityName().lastIndexOf('.') + 1);
            keyFencesByEntity.put(simpleName, ids -> {
                List<Object> keys = new ArrayList<>();
                for (Object id : ids) {
                    keys.add(p.getCacheAccessStrategy().generateCacheKey(id, p.getRootEntityDescriptor().getEntityPersister(), sessionFactory, null));
                }
                SecondLevelFence.fence(sessionFactory, p.getCacheAccessStrategy(), keys, () -> ids.forEach(id -> cache.evictEntityData(p.getEntityName(), id)));
                for (var cp : owned) {
                    List<Object> collectionKeys = new ArrayList<>();
                    for (Object id : ids) {
                        collectionKeys.add(cp.getCacheAccessStrategy().generateCacheKey(id, cp, sessionFactory, null));
                    }
                    SecondLevelFence.fence(sessionFactory, cp.getCacheAccessStrategy(), collectionKeys,
                            () -> ids.forEach(id -> cache.evictCollectionData(cp.getRole(), id)));
                }
            });
        });
        mm.forEachCollectionDescriptor(p -> {
            if (!p.hasCache()) {
                return;
            }
            String role = p.getRole();
            for (String space : p.getCollectionSpaces()) {
                evictionsByTable.computeIfAbsent(space.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(() -> SecondLevelFence.fence(sessionFactory, p.getCacheAccessStrategy(), () -> cache.evictCollectionData(role)));
            }
        });
    }

    /** Hears the tables changed by someone else (other consoles, other programs), after their caches were evicted. */
    public void addChangeListener(java.util.function.Consumer<Set<String>> l) {
        changeListeners.add(l);
    }

    /** Empties every cache (second level, user cache, named values) and tells the change listeners. */
    public void evictEverything() {
        sessionFactory.getCache().evictAllRegions();
        userCache.clear();
        namedValues.invalidateAll();
        notifyChange(new java.util.TreeSet<>(evictionsByTable.keySet()));
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
        synchronized (flightLock) {
            Set<Long> overlapping = new HashSet<>(inFlight);
            if (!overlapping.isEmpty()) {
                pending.add(new Pending(Set.copyOf(tables), overlapping));
            }
        }
    }

    private void evict(Set<String> tables, boolean foreign) {
        boolean secondLevel = false;
        for (String t : tables) {
            for (Runnable r : evictionsByTable.getOrDefault(t, List.of())) {
                r.run();
                secondLevel = true;
            }
        }
        if (secondLevel) {
            sessionFactory.getCache().evictQueryRegions();
        }
        if (tables.stream().anyMatch(USER_TABLES::contains)) {
            userCache.clear();
        }
        namedValues.invalidateTables(tables, foreign);
    }

    private void onOperation(OperationRecord rec) {
        watcher.onOperation(rec);
        namedValues.onOperation(rec);
        if (rec.outcome() == OperationRecord.Outcome.COMMITTED && !rec.regionsClearedFor().isEmpty()) {
            fenceChangedRows(rec);
        }
        synchronized (flightLock) {
            inFlight.remove(rec.id());
            for (Pending p : pending) {
                p.ops.remove(rec.id());
                // an operation that never reported its end (its session could not open) must not block forever
                if (p.ops.isEmpty() || System.nanoTime() - p.createdNanos > TimeUnit.MINUTES.toNanos(5)) {
                    evict(p.tables, false);
                    pending.remove(p);
                    p.done.complete(null);
                }
            }
        }
    }

    /**
     * An own commit of synchronized native DML: Hibernate emptied the regions of those tables wholesale, so an
     * operation that read a changed row before the commit could put it into the now empty slot. The changed
     * rows (the operation reports each one) are fenced like a foreign change; unchanged rows cannot be stale.
     */
    private void fenceChangedRows(OperationRecord rec) {
        Map<String, List<Object>> idsByEntity = new HashMap<>();
        for (var c : rec.changes()) {
            idsByEntity.computeIfAbsent(c.entity(), k -> new ArrayList<>()).add(c.id());
        }
        idsByEntity.forEach((entity, ids) -> {
            var fence = keyFencesByEntity.get(entity);
            if (fence != null) {
                fence.accept(ids);
            }
        });
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
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (Pending p : pending) {
            waits.add(p.done);
        }
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
                s.notifyState(), s.lastError(), pending.size());
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
