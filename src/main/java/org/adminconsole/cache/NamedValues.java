package org.adminconsole.cache;

import jakarta.persistence.Entity;
import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.adminconsole.persistence.audit.EntityChange;
import org.adminconsole.persistence.Operation;
import org.adminconsole.persistence.OperationRecord;
import org.adminconsole.persistence.monitor.OperationStats;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.hibernate.Session;
import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.proxy.HibernateProxy;

/**
 * Table-change cached values: named values computed by a loader in a read-only operation, kept in the
 * process until a table they read changes (here or in another console), and memoised per operation.
 *
 * <ul>
 *   <li><b>Freshness:</b> before a value is served from the process cache, the table versions are checked
 *       (one small query; inside an operation on its own connection), so changes committed by other consoles
 *       or programs before the read began are never missed. Committed changes of this console drop values at
 *       once (operation listener).</li>
 *   <li><b>Own edits:</b> inside a write operation with unflushed changes the session is flushed first, and a
 *       value read after the operation changed something is computed in the operation (it sees the edits) and
 *       kept only in the operation's memo, never in the process cache (it is not committed).</li>
 *   <li><b>Memo:</b> within one operation the same value is returned each time, until the operation changes
 *       something again.</li>
 *   <li><b>Race guard:</b> each value has a generation, bumped by every invalidation; a load that began
 *       before an invalidation never stores its (possibly older) result.</li>
 *   <li><b>No entities:</b> a value holding a Hibernate entity, proxy or persistent collection, at the top level
 *       or inside a collection, map, array, Optional or record, is refused with {@link CachedEntityException}.</li>
 * </ul>
 */
public final class NamedValues {

    /** Counters of one named value. {@code entries}: cached variants (keys). */
    public record ValueStats(String name, String policy, long hits, long misses, long invalidations, long entries,
                             Instant lastInvalidated) {
    }

    /** Counters of all named values, for the Caches view. */
    public record Stats(long hits, long misses, long memoHits, long invalidations, long foreignInvalidations,
                        long droppedPuts, long refused, List<ValueStats> values, long loads, long sharedLoads) {
        public double hitRatio() {
            return HitRatio.orZero(hits, misses);
        }
    }

    /** How a value checks the table versions before it is served. */
    public interface VersionCheck {
        void checkNow();

        /** Inside a read-only transaction. */
        void check(Connection connection) throws SQLException;

        /** Inside a write transaction: false (and nothing checked) when it has already written something. */
        boolean checkInWrite(Connection connection) throws SQLException;
    }

    private static final Object NO_KEY = new Object() {
        @Override
        public String toString() {
            return "(single)";
        }
    };

    private record Holder(Object value) {
    }

    private record MemoKey(String name, Object key) {
    }

    private record MemoEntry(Object value, long stamp) {
    }

    private static final class Memo {
        final long opId;
        final Map<MemoKey, MemoEntry> values = new HashMap<>();

        Memo(long opId) {
            this.opId = opId;
        }
    }

    private static final class Slot {
        final NamedValue<?, ?> def;
        final NamedValue.Policy policy;
        final Map<Object, Holder> values = new ConcurrentHashMap<>();
        final AtomicLong generation = new AtomicLong();
        final AtomicLong hits = new AtomicLong();
        final AtomicLong misses = new AtomicLong();
        final AtomicLong invalidations = new AtomicLong();
        volatile Instant lastInvalidated;
        /** Loads under way, by variant key. */
        final Map<Object, Flight> loading = new ConcurrentHashMap<>();

        Slot(NamedValue<?, ?> def) {
            this.def = def;
            this.policy = def.policy();
        }
    }

    private final Transactions tx;
    private final VersionCheck versionCheck;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final ThreadLocal<Memo> memo = new ThreadLocal<>();
    private final AtomicLong memoHits = new AtomicLong();
    private final AtomicLong foreignInvalidations = new AtomicLong();
    private final AtomicLong droppedPuts = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong sharedLoads = new AtomicLong();
    /** Gets that joined a load under way (tests wait for them). */
    final AtomicLong joining = new AtomicLong();

    public NamedValues(Transactions tx, VersionCheck versionCheck) {
        this.tx = tx;
        this.versionCheck = versionCheck;
    }

    /** Declares a value (optional: {@link #get} declares on first use). A name can be declared once. */
    public <K, V> NamedValue<K, V> declare(NamedValue<K, V> value) {
        slot(value);
        return value;
    }

    private Slot slot(NamedValue<?, ?> value) {
        Slot s = slots.computeIfAbsent(value.name(), n -> new Slot(value));
        if (s.def != value) {
            throw new IllegalArgumentException("Named value '" + value.name() + "' is already declared by another definition");
        }
        return s;
    }

    public <V> V get(NamedValue<Void, V> value) {
        return get(value, null);
    }

    /** The value for {@code key} (e.g. a role; null for single values). */
    @SuppressWarnings("unchecked")
    public <K, V> V get(NamedValue<K, V> value, K key) {
        Slot slot = slot(value);
        Object cacheKey = key == null ? NO_KEY : key;
        Optional<Operation> current = tx.current();
        if (current.isPresent()) {
            return (V) getInOperation(slot, cacheKey, key, current.get());
        }
        versionCheck.checkNow();
        Holder h = slot.values.get(cacheKey);
        if (h != null) {
            slot.hits.incrementAndGet();
            return (V) h.value();
        }
        return (V) loadAndStore(slot, cacheKey, key, true);
    }

    private Object getInOperation(Slot slot, Object cacheKey, Object key, Operation op) {
        if (op.kind() == Operation.Kind.BULK) {
            throw new IllegalStateException("Named value '" + slot.def.name() + "' cannot be read inside bulk operation "
                    + op.label() + " (it has no session to read with)");
        }
        Session session = op.session();
        if (!op.readOnly() && session.isDirty()) {
            session.flush(); // the value must include this operation's own edits
        }
        long stamp = op.readOnly() ? 0 : writeStamp(op);
        Memo m = memoFor(op);
        MemoKey mk = new MemoKey(slot.def.name(), cacheKey);
        MemoEntry e = m.values.get(mk);
        if (e != null && e.stamp() == stamp) {
            memoHits.incrementAndGet();
            slot.hits.incrementAndGet();
            return e.value();
        }
        boolean ownChanges = stamp > 0;
        if (!ownChanges) {
            if (op.readOnly()) {
                session.doWork(versionCheck::check);
            } else {
                // a write that ran SQL without declaring its tables has changes too, just unknown ones
                ownChanges = !session.doReturningWork(versionCheck::checkInWrite);
            }
        }
        Object v;
        if (!ownChanges) {
            Holder h = slot.values.get(cacheKey);
            if (h != null) {
                slot.hits.incrementAndGet();
                m.values.put(mk, new MemoEntry(h.value(), stamp));
                return h.value();
            }
        }
        v = loadAndStore(slot, cacheKey, key, !ownChanges);
        m.values.put(mk, new MemoEntry(v, stamp));
        return v;
    }

    /**
     * A miss. A value that will be kept (no own uncommitted changes) is loaded once: concurrent misses of the same
     * variant wait for the first load and share it, unless the value was invalidated after that load began.
     */
    private Object loadAndStore(Slot slot, Object cacheKey, Object key, boolean store) {
        slot.misses.incrementAndGet();
        if (!store) {
            return load(slot, cacheKey, key, false, slot.generation.get());
        }
        while (true) {
            long gen = slot.generation.get();
            Flight mine = new Flight(gen, new CompletableFuture<>());
            Flight running = slot.loading.putIfAbsent(cacheKey, mine);
            if (running == null) {
                try {
                    Object v = load(slot, cacheKey, key, true, gen);
                    mine.result().complete(v);
                    return v;
                } catch (RuntimeException | Error e) {
                    mine.result().completeExceptionally(e);
                    throw e;
                } finally {
                    slot.loading.remove(cacheKey, mine);
                }
            }
            if (running.generation() != gen) {
                return load(slot, cacheKey, key, true, gen); // that load began before an invalidation
            }
            joining.incrementAndGet();
            Optional<Object> shared = await(running.result());
            if (shared.isPresent()) {
                sharedLoads.incrementAndGet();
                return shared.get() == NULL_RESULT ? null : shared.get();
            }
        }
    }

    private record Flight(long generation, CompletableFuture<Object> result) {
    }

    /** The shared result, or empty when that load was cancelled with its task (then the caller loads). */
    private static Optional<Object> await(CompletableFuture<Object> result) {
        TaskHandle task = TaskHandle.current();
        while (true) {
            task.throwIfCancelled();
            try {
                return Optional.ofNullable(result.get(50, TimeUnit.MILLISECONDS)).or(() -> Optional.of(NULL_RESULT));
            } catch (TimeoutException e) {
                // still loading
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("Interrupted while waiting for a shared load", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof CancelledException) {
                    return Optional.empty();
                }
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
    }

    /** Stands for a loader that returned null, in a shared result. */
    private static final Object NULL_RESULT = new Object();

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object load(Slot slot, Object cacheKey, Object key, boolean store, long gen) {
        loads.incrementAndGet();
        NamedValue.Loader loader = slot.def.loader();
        Object v = tx.read("value." + slot.def.name(), s -> loader.load(s, key));
        try {
            refuseLazy(slot.def.name(), v);
            refuseEntities(slot.def.name(), v, "value", 0, Collections.newSetFromMap(new IdentityHashMap<>()));
        } catch (CachedEntityException ex) {
            refused.incrementAndGet();
            throw ex;
        }
        if (store) {
            synchronized (slot) {
                if (slot.generation.get() == gen) {
                    slot.values.put(cacheKey, new Holder(v));
                } else {
                    droppedPuts.incrementAndGet(); // invalidated while loading: our copy may be older
                }
            }
        }
        return v;
    }

    /** Grows whenever the operation changes something (flushed entity writes or declared table writes). */
    private static long writeStamp(Operation op) {
        OperationStats.Snapshot s = op.stats().snapshot();
        return s.entitiesInserted() + s.entitiesUpdated() + s.entitiesDeleted() + op.touchedTables().size();
    }

    private Memo memoFor(Operation op) {
        Memo m = memo.get();
        if (m == null || m.opId != op.id()) {
            m = new Memo(op.id());
            memo.set(m);
        }
        return m;
    }

    /**
     * A loader's result is read after its session closed: a lazy result (a Stream, an Iterator, Hibernate's
     * ScrollableResults, any Iterable that is not a Collection) would be read too late, so it is refused with the
     * remedy. (Materialising it silently would hide a loader that streams a whole table into memory.)
     */
    static void refuseLazy(String name, Object v) {
        if (v instanceof java.util.stream.BaseStream<?, ?> || v instanceof java.util.Iterator<?> || v instanceof java.util.Spliterator<?>
                || v instanceof org.hibernate.ScrollableResults<?> || v instanceof Iterable<?> && !(v instanceof Collection<?>)) {
            throw new CachedEntityException("Named value '" + name + "' returned a lazy " + v.getClass().getSimpleName()
                    + ", which would be read after its session closed. Return a materialised, immutable value instead "
                    + "(e.g. stream.toList() or List.copyOf(...)).");
        }
    }

    static void refuseEntities(String name, Object v, String path, int depth, Set<Object> seen) {
        if (v == null || depth > 6 || v instanceof String || v instanceof Number || v instanceof Enum<?>
                || v instanceof Boolean || !seen.add(v)) {
            return;
        }
        if (v instanceof HibernateProxy || isEntityClass(v.getClass())) {
            throw new CachedEntityException("Named value '" + name + "' cannot cache the entity " + describe(v) + " at " + path
                    + ": cached values outlive the session, so entities there go stale and fail on lazy loading."
                    + " Return an immutable view instead (e.g. a record, like User.toView()).");
        }
        if (v instanceof PersistentCollection<?>) {
            throw new CachedEntityException("Named value '" + name + "' cannot cache a Hibernate persistent collection at " + path
                    + ": copy it into a plain immutable collection of views (List.copyOf).");
        }
        if (v instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                refuseEntities(name, e.getKey(), path + " key " + e.getKey(), depth + 1, seen);
                refuseEntities(name, e.getValue(), path + "[" + e.getKey() + "]", depth + 1, seen);
            }
        } else if (v instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                refuseEntities(name, o, path + "[" + i++ + "]", depth + 1, seen);
            }
        } else if (v instanceof Object[] arr) {
            for (int i = 0; i < arr.length; i++) {
                refuseEntities(name, arr[i], path + "[" + i + "]", depth + 1, seen);
            }
        } else if (v instanceof Optional<?> o) {
            refuseEntities(name, o.orElse(null), path + ".get()", depth + 1, seen);
        } else if (v.getClass().isRecord()) {
            for (RecordComponent rc : v.getClass().getRecordComponents()) {
                try {
                    rc.getAccessor().setAccessible(true);
                    refuseEntities(name, rc.getAccessor().invoke(v), path + "." + rc.getName(), depth + 1, seen);
                } catch (ReflectiveOperationException | RuntimeException ex) {
                    if (ex instanceof CachedEntityException ce) {
                        throw ce;
                    }
                }
            }
        }
    }

    private static boolean isEntityClass(Class<?> c) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            if (k.isAnnotationPresent(Entity.class)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Object v) {
        Class<?> c = v.getClass();
        while (c.getSuperclass() != null && !c.isAnnotationPresent(Entity.class)) {
            c = c.getSuperclass();
        }
        return c.getName();
    }

    /** Listener of this console's operations: committed changes drop matching values; the memo ends with its operation. */
    public void onOperation(OperationRecord rec) {
        Memo m = memo.get();
        if (m != null && m.opId == rec.id()) {
            memo.remove();
        }
        if (rec.outcome() != OperationRecord.Outcome.COMMITTED || rec.tables().isEmpty()) {
            return;
        }
        for (Slot s : slots.values()) {
            if (matches(s.policy, rec)) {
                invalidate(s);
            }
        }
    }

    static boolean matches(NamedValue.Policy p, OperationRecord rec) {
        boolean touched = false;
        for (String t : rec.tables()) {
            if (p.tables().contains(t)) {
                touched = true;
                break;
            }
        }
        if (!touched || !p.hasPredicate()) {
            return touched;
        }
        boolean detailed = false;
        for (EntityChange c : rec.changes()) {
            if (p.tables().contains(c.table())) {
                detailed = true;
                if (p.predicate().test(c)) {
                    return true;
                }
            }
        }
        return !detailed; // the table was written without entity details (bulk or native SQL): assume it matters
    }

    /** Drops every value reading one of {@code tables} (changes without entity details: predicates not consulted). */
    public void invalidateTables(Set<String> tables, boolean foreign) {
        for (Slot s : slots.values()) {
            for (String t : tables) {
                if (s.policy.tables().contains(t)) {
                    invalidate(s);
                    if (foreign) {
                        foreignInvalidations.incrementAndGet();
                    }
                    break;
                }
            }
        }
    }

    /** Drops every named value (the Caches view's "Evict all"). */
    public void invalidateAll() {
        slots.values().forEach(this::invalidate);
    }

    /** Drops one value (all its variants). */
    public void invalidate(NamedValue<?, ?> value) {
        Slot s = slots.get(value.name());
        if (s != null) {
            invalidate(s);
        }
    }

    private void invalidate(Slot s) {
        synchronized (s) {
            s.generation.incrementAndGet();
            s.values.clear();
            s.invalidations.incrementAndGet();
            s.lastInvalidated = Instant.now();
        }
    }

    /** Whether a value for {@code key} is in the process cache (tests, UI); no check, no load, not counted. */
    public boolean isCached(NamedValue<?, ?> value, Object key) {
        Slot s = slots.get(value.name());
        return s != null && s.values.containsKey(key == null ? NO_KEY : key);
    }

    public Stats stats() {
        List<ValueStats> list = new ArrayList<>();
        long hits = 0;
        long misses = 0;
        long inv = 0;
        for (Slot s : slots.values()) {
            list.add(new ValueStats(s.def.name(), s.policy.describe(), s.hits.get(), s.misses.get(), s.invalidations.get(),
                    s.values.size(), s.lastInvalidated));
            hits += s.hits.get();
            misses += s.misses.get();
            inv += s.invalidations.get();
        }
        list.sort(java.util.Comparator.comparing(ValueStats::name));
        return new Stats(hits, misses, memoHits.get(), inv, foreignInvalidations.get(), droppedPuts.get(), refused.get(),
                List.copyOf(list), loads.get(), sharedLoads.get());
    }

    /** One value's counters, or empty when it was never declared. */
    public Optional<ValueStats> stats(NamedValue<?, ?> value) {
        return stats().values().stream().filter(v -> v.name().equals(value.name())).findFirst();
    }
}
