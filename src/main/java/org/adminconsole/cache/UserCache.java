package org.adminconsole.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserView;
import org.adminconsole.persistence.EntityChange;
import org.adminconsole.persistence.OperationRecord;
import org.ehcache.Cache;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ExpiryPolicyBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;

/**
 * The application-level user cache: immutable {@link UserView} snapshots by id, and ids by lower-case email,
 * on its own native Ehcache manager (Hibernate's JCache factory closes the manager it used).
 *
 * <p>Correctness rules: entries are evicted only after a commit (via {@link #onOperation}, fed by the
 * transaction helper's listener, which runs after commit and only for committed operations); a failed or
 * rolled-back edit evicts nothing. A loader that read the database before an eviction must not put its
 * (possibly older) value after it: every eviction bumps a generation, and a put is dropped when the
 * generation moved since the load began.
 */
public final class UserCache implements AutoCloseable {

    /** A looked-up user and whether it came from the cache (true) or the database (false). */
    public record Lookup(UserView user, boolean fromCache) {
    }

    /** Counters for the UI. {@code size} counts entries by id. */
    public record Stats(long hits, long misses, long puts, long evictions, long droppedPuts, long size) {
        public double hitRatio() {
            long total = hits + misses;
            return total == 0 ? 0 : (double) hits / total;
        }
    }

    private final CacheManager manager;
    private final Cache<Long, UserView> byId;
    private final Cache<String, Long> byEmail;
    private final Object lock = new Object();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong droppedPuts = new AtomicLong();

    public UserCache(long maxEntries, Duration ttl) {
        manager = CacheManagerBuilder.newCacheManagerBuilder()
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
        UserView cached = byId.get(id);
        if (cached != null) {
            hits.incrementAndGet();
            return Optional.of(new Lookup(cached, true));
        }
        misses.incrementAndGet();
        long gen = generation.get();
        Optional<UserView> loaded = loader.apply(id);
        loaded.ifPresent(u -> put(u, gen));
        return loaded.map(u -> new Lookup(u, false));
    }

    /** By email, case-insensitive. */
    public Optional<Lookup> byEmail(String email, Function<String, Optional<UserView>> loader) {
        String key = User.emailKeyOf(email);
        Long id = byEmail.get(key);
        UserView cached = id == null ? null : byId.get(id);
        if (cached != null && User.emailKeyOf(cached.email()).equals(key)) {
            hits.incrementAndGet();
            return Optional.of(new Lookup(cached, true));
        }
        misses.incrementAndGet();
        long gen = generation.get();
        Optional<UserView> loaded = loader.apply(key);
        loaded.ifPresent(u -> put(u, gen));
        return loaded.map(u -> new Lookup(u, false));
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
            byId.put(u.id(), u);
            byEmail.put(User.emailKeyOf(u.email()), u.id());
            puts.incrementAndGet();
        }
    }

    /** Evicts users by id and the given email keys (old and new). */
    public void evict(Collection<Long> ids, Collection<String> emails) {
        synchronized (lock) {
            generation.incrementAndGet();
            for (Long id : ids) {
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
                }
            }
        }
    }

    public void clear() {
        synchronized (lock) {
            generation.incrementAndGet();
            byId.clear();
            byEmail.clear();
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
        java.util.List<Long> ids = new java.util.ArrayList<>();
        java.util.List<String> emails = new java.util.ArrayList<>();
        for (EntityChange c : op.changes()) {
            if (c.entity().equals("User")) {
                ids.add(((Number) c.id()).longValue());
                c.field("email").ifPresent(f -> {
                    emails.add(f.oldValue());
                    emails.add(f.newValue());
                });
            }
        }
        if (!ids.isEmpty()) {
            evict(ids, emails);
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
        return new Stats(hits.get(), misses.get(), puts.get(), evictions.get(), droppedPuts.get(), size);
    }

    @Override
    public void close() {
        manager.close();
    }
}
