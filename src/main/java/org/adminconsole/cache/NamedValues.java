package org.adminconsole.cache;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.adminconsole.persistence.Operation;
import org.adminconsole.persistence.OperationRecord;
import org.adminconsole.persistence.Transactions;
import org.hibernate.Session;

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

    private final Transactions tx;
    private final VersionCheck versionCheck;
    private final Map<String, ValueSlot> slots = new ConcurrentHashMap<>();
    private final OperationMemo memo = new OperationMemo();
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

    /** A value's variant as kept: the audience it was read for, and its key. */
    private record Scoped(Object audience, Object key) {
    }

    /** Who the values are read for now (null: everyone alike); see {@link #scopeBy}. */
    private volatile Supplier<?> audience;

    /**
     * Keeps every value apart per audience (issue 15: the signed-in role's {@code Visibility}): a value read for one
     * audience (an operator's, with real emails) is never served to another (a viewer's), in the process cache, the
     * per-operation memo and shared loads alike. The loader gets the value's own key; it reads as the console's
     * current login, so what it may read is the database's decision.
     */
    public void scopeBy(Supplier<?> audience) {
        this.audience = audience;
    }

    private Object cacheKey(Object key) {
        Supplier<?> a = audience;
        Object k = key == null ? NO_KEY : key;
        return a == null ? k : new Scoped(a.get(), k);
    }

    /** Declares a value (optional: {@link #get} declares on first use). A name can be declared once. */
    public <K, V> NamedValue<K, V> declare(NamedValue<K, V> value) {
        slot(value);
        return value;
    }

    private ValueSlot slot(NamedValue<?, ?> value) {
        ValueSlot s = slots.computeIfAbsent(value.name(), n -> new ValueSlot(value, joining, sharedLoads));
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
        ValueSlot slot = slot(value);
        Object cacheKey = cacheKey(key);
        Optional<Operation> current = tx.current();
        if (current.isPresent()) {
            return (V) getInOperation(slot, cacheKey, key, current.get());
        }
        versionCheck.checkNow();
        ValueSlot.Holder h = slot.values.get(cacheKey);
        if (h != null) {
            slot.hits.incrementAndGet();
            return (V) h.value();
        }
        return (V) loadAndStore(slot, cacheKey, key, true);
    }

    private Object getInOperation(ValueSlot slot, Object cacheKey, Object key, Operation op) {
        if (op.kind() == Operation.Kind.BULK) {
            throw new IllegalStateException("Named value '" + slot.def.name() + "' cannot be read inside bulk operation "
                    + op.label() + " (it has no session to read with)");
        }
        Session session = op.session();
        if (!op.readOnly() && session.isDirty()) {
            session.flush(); // the value must include this operation's own edits
        }
        long stamp = op.readOnly() ? 0 : OperationMemo.writeStamp(op);
        OperationMemo.Entry e = memo.get(op, slot.def.name(), cacheKey);
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
            ValueSlot.Holder h = slot.values.get(cacheKey);
            if (h != null) {
                slot.hits.incrementAndGet();
                memo.put(op, slot.def.name(), cacheKey, h.value(), stamp);
                return h.value();
            }
        }
        v = loadAndStore(slot, cacheKey, key, !ownChanges);
        memo.put(op, slot.def.name(), cacheKey, v, stamp);
        return v;
    }

    /**
     * A miss. A value that will be kept (no own uncommitted changes) is loaded once: concurrent misses of the same
     * variant wait for the first load and share it, unless the value was invalidated after that load began.
     */
    private Object loadAndStore(ValueSlot slot, Object cacheKey, Object key, boolean store) {
        slot.misses.incrementAndGet();
        if (!store) {
            return load(slot, cacheKey, key, false, slot.generation.get());
        }
        return slot.loading.load(cacheKey, slot.generation::get, gen -> load(slot, cacheKey, key, true, gen));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object load(ValueSlot slot, Object cacheKey, Object key, boolean store, long gen) {
        loads.incrementAndGet();
        NamedValue.Loader loader = slot.def.loader();
        Object v = tx.read("value." + slot.def.name(), s -> loader.load(s, key));
        try {
            CacheableValues.check(slot.def.name(), v);
        } catch (CachedEntityException ex) {
            refused.incrementAndGet();
            throw ex;
        }
        if (store && !slot.store(cacheKey, v, gen)) {
            droppedPuts.incrementAndGet(); // invalidated while loading: our copy may be older
        }
        return v;
    }

    /** Listener of this console's operations: committed changes drop matching values; the memo ends with its operation. */
    public void onOperation(OperationRecord rec) {
        memo.ended(rec.id());
        if (rec.outcome() != OperationRecord.Outcome.COMMITTED || rec.tables().isEmpty()) {
            return;
        }
        for (ValueSlot s : slots.values()) {
            if (s.policy.matches(rec)) {
                s.invalidate();
            }
        }
    }

    /** Drops every value reading one of {@code tables} (changes without entity details: predicates not consulted). */
    public void invalidateTables(Set<String> tables, boolean foreign) {
        for (ValueSlot s : slots.values()) {
            if (s.policy.readsAny(tables)) {
                s.invalidate();
                if (foreign) {
                    foreignInvalidations.incrementAndGet();
                }
            }
        }
    }

    /** Drops every named value (the Caches view's "Evict all"). */
    public void invalidateAll() {
        slots.values().forEach(ValueSlot::invalidate);
    }

    /** Drops one value (all its variants). */
    public void invalidate(NamedValue<?, ?> value) {
        ValueSlot s = slots.get(value.name());
        if (s != null) {
            s.invalidate();
        }
    }

    /** Whether a value for {@code key} is in the process cache (tests, UI); no check, no load, not counted. */
    public boolean isCached(NamedValue<?, ?> value, Object key) {
        ValueSlot s = slots.get(value.name());
        return s != null && s.values.containsKey(cacheKey(key));
    }

    public Stats stats() {
        List<ValueStats> list = new ArrayList<>();
        long hits = 0;
        long misses = 0;
        long inv = 0;
        for (ValueSlot s : slots.values()) {
            list.add(s.stats());
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
