package org.adminconsole.cache;

import java.time.Duration;
import java.util.Map;

/**
 * The user cache's memory of users that do not exist, by lookup key ("id:7", "email:ann@example.com"), so repeated
 * lookups of a missing id or email do not each run a query. Each key is remembered for a while (nothing when the
 * time is zero); LRU-bounded. Not thread-safe: {@link UserCache} guards it with its lock.
 */
final class AbsentUsers {

    /** Until when (nanoTime) each key is known not to exist. */
    private final Map<String, Long> until;
    private final long ttlNanos;
    private final UserCache.TimeSource clock;

    AbsentUsers(int maxKeys, Duration ttl, UserCache.TimeSource clock) {
        this.until = new LruMap<>(64, maxKeys);
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
    }

    /** Whether {@code key} is known not to exist (an expired memory is dropped). */
    boolean contains(String key) {
        Long end = until.get(key);
        if (end == null) {
            return false;
        }
        if (clock.nanoTime() - end < 0) {
            return true;
        }
        until.remove(key);
        return false;
    }

    void remember(String key) {
        if (ttlNanos > 0) {
            until.put(key, clock.nanoTime() + ttlNanos);
        }
    }

    void forget(String key) {
        until.remove(key);
    }

    void clear() {
        until.clear();
    }
}
