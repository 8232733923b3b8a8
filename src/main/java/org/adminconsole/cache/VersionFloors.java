package org.adminconsole.cache;

import java.util.Map;
import org.adminconsole.domain.UserView;

/**
 * The lowest cacheable version per user id, raised by this console's committed changes: a snapshot older than
 * the last committed change of its user is never cached (a layer below, such as the second-level cache, served a
 * stale row). LRU-bounded. Not thread-safe: {@link UserCache} guards it with its lock.
 */
final class VersionFloors {

    private final Map<Long, Long> floors;

    VersionFloors(int maxUsers) {
        this.floors = new LruMap<>(256, maxUsers);
    }

    /** Raises the floors of committed changes (user id to the version the change produced). */
    void raise(Map<Long, Long> versionFloors) {
        versionFloors.forEach((id, floor) -> floors.merge(id, floor, Math::max));
    }

    /** The version floor {@code u} is below (it is older than this console's last committed change), else null. */
    Long above(UserView u) {
        Long floor = floors.get(u.id());
        return floor != null && u.version() < floor ? floor : null;
    }
}
