package org.adminconsole.cache;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserView;
import org.ehcache.Cache;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ExpiryPolicyBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.impl.internal.TimeSourceConfiguration;

/**
 * Where {@link UserCache} keeps its entries: snapshots by id and ids by lower-case email, with a time to live and a
 * size bound, on its own native Ehcache manager (Hibernate's JCache factory closes the manager it used). It applies
 * no coherence rule: the user cache decides what may be put and when to evict.
 */
final class UserStore implements AutoCloseable {

    private final CacheManager manager;
    private final Cache<Long, UserView> byId;
    private final Cache<String, Long> byEmail;

    UserStore(long maxEntries, Duration ttl, UserCache.TimeSource clock) {
        manager = CacheManagerBuilder.newCacheManagerBuilder()
                .using(new TimeSourceConfiguration(() -> TimeUnit.NANOSECONDS.toMillis(clock.nanoTime())))
                .withCache("usersById", CacheConfigurationBuilder.newCacheConfigurationBuilder(Long.class, UserView.class,
                        ResourcePoolsBuilder.heap(maxEntries)).withExpiry(ExpiryPolicyBuilder.timeToLiveExpiration(ttl)))
                .withCache("userIdsByEmail", CacheConfigurationBuilder.newCacheConfigurationBuilder(String.class, Long.class,
                        ResourcePoolsBuilder.heap(maxEntries)).withExpiry(ExpiryPolicyBuilder.timeToLiveExpiration(ttl)))
                .build(true);
        byId = manager.getCache("usersById", Long.class, UserView.class);
        byEmail = manager.getCache("userIdsByEmail", String.class, Long.class);
    }

    /** The snapshot of user {@code id}, or null. */
    UserView byId(long id) {
        return byId.get(id);
    }

    /** The snapshot whose email has the lower-case {@code emailKey}, or null (also when the user's email changed since). */
    UserView byEmail(String emailKey) {
        Long id = byEmail.get(emailKey);
        UserView cached = id == null ? null : byId.get(id);
        return cached != null && User.emailKeyOf(cached.email()).equals(emailKey) ? cached : null;
    }

    void put(UserView u) {
        byId.put(u.id(), u);
        byEmail.put(User.emailKeyOf(u.email()), u.id());
    }

    /** Removes user {@code id} and the email its snapshot had. */
    void remove(long id) {
        UserView old = byId.get(id);
        if (old != null) {
            byEmail.remove(User.emailKeyOf(old.email()));
        }
        byId.remove(id);
    }

    void removeEmail(String emailKey) {
        byEmail.remove(emailKey);
    }

    void clear() {
        byId.clear();
        byEmail.clear();
    }

    /** Entries by id. */
    long size() {
        long size = 0;
        for (Cache.Entry<Long, UserView> ignored : byId) {
            size++;
        }
        return size;
    }

    @Override
    public void close() {
        manager.close();
    }
}
