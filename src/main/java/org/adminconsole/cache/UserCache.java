package org.adminconsole.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserView;
import org.adminconsole.persistence.audit.EntityChange;
import org.adminconsole.persistence.OperationRecord;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.ehcache.Cache;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ExpiryPolicyBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application-level user cache: immutable {@link UserView} snapshots by id, and ids by lower-case email,
 * on its own native Ehcache manager (Hibernate's JCache factory closes the manager it used).
 *
 * <p>Correctness rules: entries are evicted only after a commit (via {@link #onOperation}, fed by the
 * transaction helper's listener, which runs after commit and only for committed operations); a failed or
 * rolled-back edit evicts nothing. A loader that read the database before an eviction must not put its
 * (possibly older) value after it: every eviction bumps a generation, and a put is dropped when the
 * generation moved since the load began. Independently of where a loader got its copy (the database, or a
 * second-level cache entry), a committed change also leaves a per-user version floor: a snapshot older than
 * the last committed change is never cached, and such a refusal is logged, because it means a layer below
 * served a stale row.
 *
 * <p>Loads happen once per key: concurrent misses of one user (by id, or by email) wait for the first one's load
 * and share its result, unless an eviction happened after that load began. A user that does not exist is
 * remembered briefly ({@code absentTtl}), so repeated lookups of a missing id or email do not each run a query;
 * that memory is dropped when a user is created or an email changes (and by every other eviction).
 */
public final class UserCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UserCache.class);

    /** A looked-up user and whether it came from the cache (true) or the database (false). */
    public record Lookup(UserView user, boolean fromCache) {
    }

    /**
     * Counters for the UI. {@code size} counts entries by id; {@code droppedPuts} are loads not cached because an
     * edit raced them; {@code staleLoads} are copies older than a committed edit that were re-read from the database.
     */
    public record Stats(long hits, long misses, long puts, long evictions, long droppedPuts, long staleLoads, long size,
                        long loads, long sharedLoads, long absentHits) {
        public double hitRatio() {
            return HitRatio.orZero(hits, misses);
        }
    }

    private final CacheManager manager;
    private final Cache<Long, UserView> byId;
    private final Cache<String, Long> byEmail;
    private final Object lock = new Object();
    /** Lowest cacheable version per user id, from committed changes (LRU-bounded; guarded by {@link #lock}). */
    private final Map<Long, Long> floors;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong droppedPuts = new AtomicLong();
    private final AtomicLong staleLoads = new AtomicLong();
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong sharedLoads = new AtomicLong();
    private final AtomicLong absentHits = new AtomicLong();
    /** Lookups that joined a load under way (tests wait for them). */
    final AtomicLong joining = new AtomicLong();
    /** Loads under way, by key ("id:7", "email:ann@example.com"), with the generation they started in. */
    private final Map<String, Flight> inFlight = new ConcurrentHashMap<>();
    /** Keys known not to exist, until when (nanoTime); LRU-bounded, guarded by {@link #lock}. */
    private final Map<String, Long> absent;
    private final long absentTtlNanos;
    private final TimeSource clock;

    private record Flight(long generation, CompletableFuture<Optional<UserView>> result) {
    }

    /** Time for expiry decisions; tests pass a clock they can move. */
    public interface TimeSource {
        long nanoTime();
    }

    public UserCache(long maxEntries, Duration ttl) {
        this(maxEntries, ttl, Duration.ofSeconds(10), System::nanoTime);
    }

    /**
     * {@code absentTtl}: how long a missing user is remembered; {@code clock}: the time source of the TTLs (entries and
     * absences alike), so a test can let them expire without waiting.
     */
    public UserCache(long maxEntries, Duration ttl, Duration absentTtl, TimeSource clock) {
        this.clock = clock;
        this.absentTtlNanos = absentTtl.toNanos();
        int maxAbsent = (int) Math.min(Math.max(maxEntries, 100), 100_000);
        absent = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxAbsent;
            }
        };
        int maxFloors = (int) Math.min(Math.max(maxEntries, 1_000), 1_000_000);
        floors = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > maxFloors;
            }
        };
        manager = CacheManagerBuilder.newCacheManagerBuilder()
                .using(new org.ehcache.impl.internal.TimeSourceConfiguration(() -> java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(clock.nanoTime())))
                .withCache("usersById", CacheConfigurationBuilder.newCacheConfigurationBuilder(Long.class, UserView.class,
                        ResourcePoolsBuilder.heap(maxEntries)).withExpiry(ExpiryPolicyBuilder.timeToLiveExpiration(ttl)))
                .withCache("userIdsByEmail", CacheConfigurationBuilder.newCacheConfigurationBuilder(String.class, Long.class,
                        ResourcePoolsBuilder.heap(maxEntries)).withExpiry(ExpiryPolicyBuilder.timeToLiveExpiration(ttl)))
                .build(true);
        byId = manager.getCache("usersById", Long.class, UserView.class);
        byEmail = manager.getCache("userIdsByEmail", String.class, Long.class);
    }

    /** By id: from the cache, else from {@code loader} (which runs its own read operation). */
    public Optional<Lookup> byId(long id, LongFunction<Optional<UserView>> loader) {
        return byId(id, loader, loader);
    }

    /**
     * By id; when {@code loader} (which may read through the second-level cache) returns a copy older than
     * this console's last committed change of that user, {@code databaseLoader} (which must bypass every
     * cache) is asked instead, so the caller never sees, and the cache never keeps, such a copy.
     */
    public Optional<Lookup> byId(long id, LongFunction<Optional<UserView>> loader, LongFunction<Optional<UserView>> databaseLoader) {
        UserView cached = byId.get(id);
        if (cached != null) {
            hits.incrementAndGet();
            return Optional.of(new Lookup(cached, true));
        }
        return loadOnce("id:" + id, () -> loader.apply(id), () -> databaseLoader.apply(id));
    }

    /** By email, case-insensitive. */
    public Optional<Lookup> byEmail(String email, Function<String, Optional<UserView>> loader) {
        return byEmail(email, loader, loader);
    }

    /** By email, case-insensitive, with a cache-bypassing {@code databaseLoader} as for {@link #byId(long, LongFunction, LongFunction)}. */
    public Optional<Lookup> byEmail(String email, Function<String, Optional<UserView>> loader,
                                    Function<String, Optional<UserView>> databaseLoader) {
        String key = User.emailKeyOf(email);
        Long id = byEmail.get(key);
        UserView cached = id == null ? null : byId.get(id);
        if (cached != null && User.emailKeyOf(cached.email()).equals(key)) {
            hits.incrementAndGet();
            return Optional.of(new Lookup(cached, true));
        }
        return loadOnce("email:" + key, () -> loader.apply(key), () -> databaseLoader.apply(key));
    }

    /**
     * A miss: answered from the memory of absent users, by joining a load of the same key that began after the last
     * eviction, or by loading (and letting later misses of the key join this load).
     */
    private Optional<Lookup> loadOnce(String key, Supplier<Optional<UserView>> loader, Supplier<Optional<UserView>> databaseLoader) {
        if (isAbsent(key)) {
            hits.incrementAndGet();
            absentHits.incrementAndGet();
            return Optional.empty();
        }
        misses.incrementAndGet();
        while (true) {
            long gen = generation.get();
            Flight mine = new Flight(gen, new CompletableFuture<>());
            Flight running = inFlight.putIfAbsent(key, mine);
            if (running == null) {
                try {
                    Optional<Lookup> result = load(key, loader, databaseLoader, gen);
                    mine.result().complete(result.map(Lookup::user));
                    return result;
                } catch (RuntimeException | Error e) {
                    mine.result().completeExceptionally(e);
                    throw e;
                } finally {
                    inFlight.remove(key, mine);
                }
            }
            if (running.generation() != gen) {
                // that load began before an eviction: its copy may be older than a committed edit; load ourselves
                return load(key, loader, databaseLoader, gen);
            }
            joining.incrementAndGet();
            Optional<Optional<UserView>> shared = await(running.result());
            if (shared.isPresent()) {
                sharedLoads.incrementAndGet();
                return shared.get().map(u -> new Lookup(u, false));
            }
            // the load we waited for was cancelled with its task: ours runs on
        }
    }

    /** The shared result, or empty when that load was cancelled; stops waiting when the caller's own task is cancelled. */
    private static Optional<Optional<UserView>> await(CompletableFuture<Optional<UserView>> result) {
        TaskHandle task = TaskHandle.current();
        while (true) {
            task.throwIfCancelled();
            try {
                return Optional.of(result.get(50, java.util.concurrent.TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.TimeoutException e) {
                // still loading
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("Interrupted while waiting for a user lookup", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof CancelledException) {
                    return Optional.empty();
                }
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
    }

    private boolean isAbsent(String key) {
        synchronized (lock) {
            Long until = absent.get(key);
            if (until == null) {
                return false;
            }
            if (clock.nanoTime() - until < 0) {
                return true;
            }
            absent.remove(key);
            return false;
        }
    }

    private Optional<Lookup> load(String key, Supplier<Optional<UserView>> loader, Supplier<Optional<UserView>> databaseLoader,
                                  long gen) {
        loads.incrementAndGet();
        Optional<UserView> loaded = loader.get();
        Long floor = loaded.map(this::floorAbove).orElse(null);
        if (floor != null) {
            staleLoads.incrementAndGet();
            LOG.warn("User {} was served at version {} although version {} or later was committed (a stale second-level "
                    + "cache entry?); reading it from the database instead", loaded.get().id(), loaded.get().version(), floor);
            gen = generation.get();
            loaded = databaseLoader.get();
        }
        long loadedAt = gen;
        if (loaded.isPresent()) {
            put(loaded.get(), loadedAt);
        } else {
            rememberAbsent(key, loadedAt);
        }
        return loaded.map(u -> new Lookup(u, false));
    }

    private void rememberAbsent(String key, long loadedAtGeneration) {
        synchronized (lock) {
            if (generation.get() == loadedAtGeneration && absentTtlNanos > 0) {
                absent.put(key, clock.nanoTime() + absentTtlNanos);
            }
        }
    }

    /** The version floor {@code u} is below (it is older than this console's last committed change), else null. */
    private Long floorAbove(UserView u) {
        synchronized (lock) {
            Long floor = floors.get(u.id());
            return floor != null && u.version() < floor ? floor : null;
        }
    }

    /** Peeks without loading or counting (for tests and the UI). */
    public Optional<UserView> peek(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    private void put(UserView u, long loadedAtGeneration) {
        synchronized (lock) {
            if (generation.get() != loadedAtGeneration) {
                droppedPuts.incrementAndGet(); // an eviction happened while we loaded: our copy may be older
                return;
            }
            if (floorAbove(u) != null) {
                droppedPuts.incrementAndGet(); // even the database loader raced an edit: not cached, next lookup reloads
                return;
            }
            byId.put(u.id(), u);
            byEmail.put(User.emailKeyOf(u.email()), u.id());
            puts.incrementAndGet();
        }
    }

    /** Evicts users by id and the given email keys (old and new). */
    public void evict(Collection<Long> ids, Collection<String> emails) {
        evict(ids, emails, Map.of());
    }

    /** As {@link #evict(Collection, Collection)}, and raises the version floors of committed changes. */
    public void evict(Collection<Long> ids, Collection<String> emails, Map<Long, Long> versionFloors) {
        synchronized (lock) {
            generation.incrementAndGet();
            versionFloors.forEach((id, floor) -> floors.merge(id, floor, Math::max));
            for (Long id : ids) {
                absent.remove("id:" + id); // a created user is no longer missing
                UserView old = byId.get(id);
                if (old != null) {
                    byEmail.remove(User.emailKeyOf(old.email()));
                }
                byId.remove(id);
                evictions.incrementAndGet();
            }
            for (String e : emails) {
                if (e != null) {
                    byEmail.remove(User.emailKeyOf(e));
                    absent.remove("email:" + User.emailKeyOf(e)); // the new email of a change, or of a created user
                }
            }
        }
    }

    public void clear() {
        synchronized (lock) {
            generation.incrementAndGet();
            byId.clear();
            byEmail.clear();
            absent.clear();
            evictions.incrementAndGet();
        }
    }

    /**
     * Called by the transaction helper after every operation. Committed user changes evict their id and
     * their old and new emails; a committed write to the users table without entity-level changes (bulk
     * SQL) clears the cache. Anything not committed changes nothing.
     */
    public void onOperation(OperationRecord op) {
        if (op.outcome() != OperationRecord.Outcome.COMMITTED) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        Map<Long, Long> versionFloors = new HashMap<>();
        for (EntityChange c : op.changes()) {
            if (c.entity().equals("User")) {
                long id = ((Number) c.id()).longValue();
                ids.add(id);
                c.versionFloor().ifPresent(f -> versionFloors.merge(id, f, Math::max));
                c.field("email").ifPresent(f -> {
                    emails.add(f.oldValue());
                    emails.add(f.newValue());
                });
            }
        }
        if (!ids.isEmpty()) {
            evict(ids, emails, versionFloors);
        }
        boolean usersTouched = op.tables().contains("users") || op.tables().contains("user_departments")
                || op.tables().contains("departments");
        // SQL without entity details, or a change to another entity a snapshot shows (a department's name)
        boolean notCoveredByKeys = op.changes().isEmpty() || op.changes().stream().anyMatch(c -> !c.entity().equals("User"));
        if (usersTouched && notCoveredByKeys) {
            clear();
        }
    }

    public Stats stats() {
        long size = 0;
        for (Cache.Entry<Long, UserView> ignored : byId) {
            size++;
        }
        return new Stats(hits.get(), misses.get(), puts.get(), evictions.get(), droppedPuts.get(), staleLoads.get(), size,
                loads.get(), sharedLoads.get(), absentHits.get());
    }

    @Override
    public void close() {
        manager.close();
    }
}
