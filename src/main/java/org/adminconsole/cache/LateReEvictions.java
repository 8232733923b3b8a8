package org.adminconsole.cache;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guard against the late-put race (see {@link CoherenceService}): remembers the operations in flight when an
 * eviction happens, and evicts the same tables again when the last of them has ended.
 */
final class LateReEvictions {

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

    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /** Orders "remember the operations in flight at an eviction" against "an operation ended". */
    private final Object flightLock = new Object();
    private final List<Pending> pending = new CopyOnWriteArrayList<>();

    void started(long opId) {
        inFlight.add(opId);
    }

    /** {@code tables} were just evicted: evict them again once every operation in flight now has ended. */
    void evicted(Set<String> tables) {
        synchronized (flightLock) {
            Set<Long> overlapping = new HashSet<>(inFlight);
            if (!overlapping.isEmpty()) {
                pending.add(new Pending(Set.copyOf(tables), overlapping));
            }
        }
    }

    /** Operation {@code opId} ended: re-evicts (with {@code evict}) the tables no running operation overlaps any more. */
    void ended(long opId, Consumer<Set<String>> evict) {
        synchronized (flightLock) {
            inFlight.remove(opId);
            for (Pending p : pending) {
                p.ops.remove(opId);
                // an operation that never reported its end (its session could not open) must not block forever
                if (p.ops.isEmpty() || System.nanoTime() - p.createdNanos > TimeUnit.MINUTES.toNanos(5)) {
                    evict.accept(p.tables);
                    pending.remove(p);
                    p.done.complete(null);
                }
            }
        }
    }

    /** Completes when every re-eviction pending now is done. */
    List<CompletableFuture<Void>> waits() {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (Pending p : pending) {
            waits.add(p.done);
        }
        return waits;
    }

    int pending() {
        return pending.size();
    }
}
