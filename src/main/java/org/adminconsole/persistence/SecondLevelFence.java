package org.adminconsole.persistence;

import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import org.hibernate.Session;
import org.hibernate.cache.jcache.internal.JCacheAccessImpl;
import org.hibernate.cache.spi.access.CachedDomainDataAccess;
import org.hibernate.cache.spi.access.SoftLock;
import org.hibernate.cache.spi.support.AbstractCachedDomainDataAccess;
import org.hibernate.cache.spi.support.AbstractReadWriteAccess;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;

/**
 * Evicts a READ_WRITE second-level region without giving up Hibernate's protection against late puts.
 *
 * <p>A plain {@code evictEntityData} empties the region, and Hibernate puts a loaded entity into an empty slot
 * unconditionally: an operation that read a row before a commit (this console's or another's) could then put
 * that older row back after the eviction, even after a later check completed. So instead every cached entry
 * is replaced by an unlocked, version-less soft lock (what Hibernate itself leaves behind after a write):
 * readers miss and reload, a put from a session that began before the fence is refused, sessions that began
 * after it cache again normally. A key being written by this console at that moment keeps its lock (Hibernate
 * then skips caching it until the lock times out). Regions of other strategies or stores are evicted plainly.
 *
 * <p>It lives in persistence because it opens a bare Hibernate session to reach the region's locking API; the
 * cache layer decides what to fence and when.
 */
public final class SecondLevelFence {

    private SecondLevelFence() {
    }

    /** Fences every entry of {@code access}; {@code plainEviction} when this region cannot be fenced. */
    public static void fence(SessionFactoryImplementor sessionFactory, CachedDomainDataAccess access, Runnable plainEviction) {
        if (!(access instanceof AbstractReadWriteAccess rw)
                || !(((AbstractCachedDomainDataAccess) access).getStorageAccess() instanceof JCacheAccessImpl jcache)) {
            plainEviction.run();
            return;
        }
        List<Object> keys = new ArrayList<>();
        for (Cache.Entry<Object, Object> e : jcache.getUnderlyingCache()) {
            if (e != null) {
                keys.add(e.getKey());
            }
        }
        fenceKeys(sessionFactory, rw, keys, plainEviction);
    }

    /**
     * Fences the given keys of {@code access}, whether cached or not: an absent key gets a version-less lock
     * too, so that an operation that began before now cannot fill the slot with what it read.
     */
    public static void fence(SessionFactoryImplementor sessionFactory, CachedDomainDataAccess access, List<Object> keys,
                      Runnable plainEviction) {
        if (!(access instanceof AbstractReadWriteAccess rw)) {
            plainEviction.run();
            return;
        }
        fenceKeys(sessionFactory, rw, keys, plainEviction);
    }

    private static void fenceKeys(SessionFactoryImplementor sessionFactory, AbstractReadWriteAccess rw, List<Object> keys,
                                  Runnable plainEviction) {
        if (keys.isEmpty()) {
            return;
        }
        try (Session s = sessionFactory.openSession()) {
            SharedSessionContractImplementor session = s.unwrap(SharedSessionContractImplementor.class);
            for (Object key : keys) {
                // remove() keeps a soft lock of a write in progress, drops a cached value; the version-less lock
                // then refuses puts from sessions that began before now, and lets newer ones cache again
                rw.remove(session, key);
                SoftLock lock = rw.lockItem(session, key, null);
                rw.unlockItem(session, key, lock);
            }
        } catch (RuntimeException e) {
            plainEviction.run(); // never leave a region half-fenced
        }
    }
}
