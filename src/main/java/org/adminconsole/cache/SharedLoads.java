package org.adminconsole.cache;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;

/**
 * Loads once per key, for the caches that guard their puts with a generation (the user cache, named values):
 * concurrent misses of one key wait for the first one's load and share its result, unless an eviction came after
 * that load began (its copy may be older than a committed edit: the caller then loads itself). A waiter stops
 * waiting when its own task is cancelled; when the load it waited for is cancelled with that load's task, the
 * waiter loads (and others may join it).
 *
 * @param <K> the key
 * @param <V> the loaded value (may be null)
 */
final class SharedLoads<K, V> {

    private record Flight<V>(long generation, CompletableFuture<V> result) {
    }

    /** What {@link #await} returns when the load waited for was cancelled with its task. */
    private static final Object CANCELLED = new Object();

    /** Loads under way, by key, with the generation they started in. */
    private final Map<K, Flight<V>> inFlight = new ConcurrentHashMap<>();
    private final String waitingFor;
    private final AtomicLong joining;
    private final AtomicLong shared;

    /**
     * @param waitingFor what a waiter waits for, for the message when it is interrupted ("a user lookup")
     * @param joining    counts misses that joined a load under way (tests wait for them)
     * @param shared     counts misses answered by another one's load
     */
    SharedLoads(String waitingFor, AtomicLong joining, AtomicLong shared) {
        this.waitingFor = waitingFor;
        this.joining = joining;
        this.shared = shared;
    }

    /**
     * A miss of {@code key}: joins a load of it that began in the current {@code generation}, or runs
     * {@code load} (given the generation it began in) and lets later misses of the key join it.
     */
    @SuppressWarnings("unchecked")
    V load(K key, LongSupplier generation, LongFunction<V> load) {
        while (true) {
            long gen = generation.getAsLong();
            Flight<V> mine = new Flight<>(gen, new CompletableFuture<>());
            Flight<V> running = inFlight.putIfAbsent(key, mine);
            if (running == null) {
                try {
                    V v = load.apply(gen);
                    mine.result().complete(v);
                    return v;
                } catch (RuntimeException | Error e) {
                    mine.result().completeExceptionally(e);
                    throw e;
                } finally {
                    inFlight.remove(key, mine);
                }
            }
            if (running.generation() != gen) {
                // that load began before an eviction: its copy may be older than a committed edit; load ourselves
                return load.apply(gen);
            }
            joining.incrementAndGet();
            Object result = await(running.result());
            if (result != CANCELLED) {
                shared.incrementAndGet();
                return (V) result;
            }
            // the load we waited for was cancelled with its task: ours runs on
        }
    }

    /** The shared result, or {@link #CANCELLED}; stops waiting when the caller's own task is cancelled. */
    private Object await(CompletableFuture<V> result) {
        TaskHandle task = TaskHandle.current();
        while (true) {
            task.throwIfCancelled();
            try {
                return result.get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still loading
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("Interrupted while waiting for " + waitingFor, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof CancelledException) {
                    return CANCELLED;
                }
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
    }
}
