package org.adminconsole.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserView;
import org.adminconsole.domain.Visibility;
import org.adminconsole.persistence.OperationRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application-level user cache: immutable {@link UserView} snapshots by id, and ids by lower-case email,
 * on its own native Ehcache manager ({@link UserStore}; Hibernate's JCache factory closes the manager it used).
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

    /**
     * The entries of each {@link Visibility}, kept apart (issue 15): a copy read with full rights is never served to a
     * viewer, who may only see the masked one, nor a masked copy to an operator. {@link Visibility#FULL}'s store exists
     * from the start; the masked one when first used. Every eviction applies to all of them.
     */
    private final Map<Visibility, UserStore> stores = new java.util.concurrent.ConcurrentHashMap<>();
    private final UserStore store;
    private final long maxEntries;
    private final Duration ttl;
    private final TimeSource clock;
    private final Object lock = new Object();
    /** Lowest cacheable version per user id, from committed changes (guarded by {@link #lock}). */
    private final VersionFloors floors;
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
    /** Loads under way, by key ("id:7", "email:ann@example.com"). */
    private final SharedLoads<String, Optional<UserView>> inFlight = new SharedLoads<>("a user lookup", joining, sharedLoads);
    /** Keys known not to exist (guarded by {@link #lock}). */
    private final AbsentUsers absent;

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
        absent = new AbsentUsers((int) Math.min(Math.max(maxEntries, 100), 100_000), absentTtl, clock);
        floors = new VersionFloors((int) Math.min(Math.max(maxEntries, 1_000), 1_000_000));
        store = new UserStore(maxEntries, ttl, clock);
        stores.put(Visibility.FULL, store);
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.clock = clock;
    }

    private UserStore store(Visibility v) {
        return v == Visibility.FULL ? store : stores.computeIfAbsent(v, k -> new UserStore(maxEntries, ttl, clock));
    }

    /** A lookup key of the visibility's own (the full-rights keys are unchanged: "id:7", "email:ann@example.com"). */
    private static String key(Visibility v, String key) {
        return v == Visibility.FULL ? key : v.name() + ":" + key;
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
        return byId(Visibility.FULL, id, loader, databaseLoader);
    }

    /**
     * By id, among the copies of visibility {@code v} only: {@code loader} and {@code databaseLoader} must read what
     * {@code v} may see (a viewer's: {@code users_masked}).
     */
    public Optional<Lookup> byId(Visibility v, long id, LongFunction<Optional<UserView>> loader,
                                 LongFunction<Optional<UserView>> databaseLoader) {
        UserView cached = store(v).byId(id);
        if (cached != null) {
            hits.incrementAndGet();
            return Optional.of(new Lookup(cached, true));
        }
        return loadOnce(v, key(v, "id:" + id), () -> loader.apply(id), () -> databaseLoader.apply(id));
    }

    /** By email, case-insensitive. */
    public Optional<Lookup> byEmail(String email, Function<String, Optional<UserView>> loader) {
        return byEmail(email, loader, loader);
    }

    /** By email, case-insensitive, with a cache-bypassing {@code databaseLoader} as for {@link #byId(long, LongFunction, LongFunction)}. */
    public Optional<Lookup> byEmail(String email, Function<String, Optional<UserView>> loader,
                                    Function<String, Optional<UserView>> databaseLoader) {
        // full rights only: a lookup by the real email would tell a viewer which emails exist
        String key = User.emailKeyOf(email);
        UserView cached = store.byEmail(key);
        if (cached != null) {
            hits.incrementAndGet();
            return Optional.of(new Lookup(cached, true));
        }
        return loadOnce(Visibility.FULL, "email:" + key, () -> loader.apply(key), () -> databaseLoader.apply(key));
    }

    /**
     * A miss: answered from the memory of absent users, by joining a load of the same key that began after the last
     * eviction, or by loading (and letting later misses of the key join this load).
     */
    private Optional<Lookup> loadOnce(Visibility v, String key, Supplier<Optional<UserView>> loader,
                                      Supplier<Optional<UserView>> databaseLoader) {
        if (isAbsent(key)) {
            hits.incrementAndGet();
            absentHits.incrementAndGet();
            return Optional.empty();
        }
        misses.incrementAndGet();
        return inFlight.load(key, generation::get, gen -> load(v, key, loader, databaseLoader, gen)).map(u -> new Lookup(u, false));
    }

    private boolean isAbsent(String key) {
        synchronized (lock) {
            return absent.contains(key);
        }
    }

    private Optional<UserView> load(Visibility v, String key, Supplier<Optional<UserView>> loader,
                                    Supplier<Optional<UserView>> databaseLoader, long gen) {
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
            put(v, loaded.get(), loadedAt);
        } else {
            rememberAbsent(key, loadedAt);
        }
        return loaded;
    }

    private void rememberAbsent(String key, long loadedAtGeneration) {
        synchronized (lock) {
            if (generation.get() == loadedAtGeneration) {
                absent.remember(key);
            }
        }
    }

    /** The version floor {@code u} is below (it is older than this console's last committed change), else null. */
    private Long floorAbove(UserView u) {
        synchronized (lock) {
            return floors.above(u);
        }
    }

    /** Peeks without loading or counting (for tests and the UI). */
    public Optional<UserView> peek(long id) {
        return peek(Visibility.FULL, id);
    }

    /** Peeks among the copies of visibility {@code v}. */
    public Optional<UserView> peek(Visibility v, long id) {
        UserStore s = stores.get(v);
        return Optional.ofNullable(s == null ? null : s.byId(id));
    }

    private void put(Visibility v, UserView u, long loadedAtGeneration) {
        synchronized (lock) {
            if (generation.get() != loadedAtGeneration) {
                droppedPuts.incrementAndGet(); // an eviction happened while we loaded: our copy may be older
                return;
            }
            if (floorAbove(u) != null) {
                droppedPuts.incrementAndGet(); // even the database loader raced an edit: not cached, next lookup reloads
                return;
            }
            store(v).put(u);
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
            floors.raise(versionFloors);
            for (Long id : ids) {
                for (Map.Entry<Visibility, UserStore> s : stores.entrySet()) {
                    absent.forget(key(s.getKey(), "id:" + id)); // a created user is no longer missing
                    s.getValue().remove(id);
                }
                evictions.incrementAndGet();
            }
            for (String e : emails) {
                if (e != null) {
                    store.removeEmail(User.emailKeyOf(e)); // only full-rights copies are found by email
                    absent.forget("email:" + User.emailKeyOf(e)); // the new email of a change, or of a created user
                }
            }
        }
    }

    public void clear() {
        synchronized (lock) {
            generation.incrementAndGet();
            stores.values().forEach(UserStore::clear);
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
        UserChanges changes = UserChanges.of(op);
        if (!changes.ids().isEmpty()) {
            evict(changes.ids(), changes.emails(), changes.versionFloors());
        }
        if (changes.clearAll()) {
            clear();
        }
    }

    public Stats stats() {
        return new Stats(hits.get(), misses.get(), puts.get(), evictions.get(), droppedPuts.get(), staleLoads.get(),
                stores.values().stream().mapToLong(UserStore::size).sum(),
                loads.get(), sharedLoads.get(), absentHits.get());
    }

    @Override
    public void close() {
        stores.values().forEach(UserStore::close);
    }
}
