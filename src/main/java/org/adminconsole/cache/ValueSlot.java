package org.adminconsole.cache;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One declared named value in {@link NamedValues}: its cached variants (by key), its generation (bumped by every
 * invalidation, so a load that began before one never stores its result), the loads under way, and its counters.
 */
final class ValueSlot {

    /** A cached result (may be null). */
    record Holder(Object value) {
    }

    final NamedValue<?, ?> def;
    final NamedValue.Policy policy;
    final Map<Object, Holder> values = new ConcurrentHashMap<>();
    final AtomicLong generation = new AtomicLong();
    final AtomicLong hits = new AtomicLong();
    final AtomicLong misses = new AtomicLong();
    final AtomicLong invalidations = new AtomicLong();
    volatile Instant lastInvalidated;
    /** Loads under way, by variant key. */
    final SharedLoads<Object, Object> loading;

    ValueSlot(NamedValue<?, ?> def, AtomicLong joining, AtomicLong sharedLoads) {
        this.def = def;
        this.policy = def.policy();
        this.loading = new SharedLoads<>("a shared load", joining, sharedLoads);
    }

    String name() {
        return def.name();
    }

    /** Stores a value loaded in generation {@code gen}; false (nothing stored) when it was invalidated since. */
    synchronized boolean store(Object cacheKey, Object v, long gen) {
        if (generation.get() != gen) {
            return false;
        }
        values.put(cacheKey, new Holder(v));
        return true;
    }

    /** Drops every variant; loads under way will not store their results. */
    synchronized void invalidate() {
        generation.incrementAndGet();
        values.clear();
        invalidations.incrementAndGet();
        lastInvalidated = Instant.now();
    }

    NamedValues.ValueStats stats() {
        return new NamedValues.ValueStats(def.name(), policy.describe(), hits.get(), misses.get(), invalidations.get(),
                values.size(), lastInvalidated);
    }
}
