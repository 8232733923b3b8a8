package org.adminconsole.persistence.monitor;

import org.adminconsole.persistence.Operation;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.model.domain.NavigableRole;
import org.hibernate.stat.internal.StatisticsImpl;

/**
 * Hibernate's statistics, which also count every second-level cache hit, miss and put into the operation
 * bound to the current thread, so that an operation's L2 figures add up exactly to what the region
 * statistics show (entity, collection, natural-id and query-result regions; the update-timestamps region is
 * bookkeeping and counted only globally). Installed through {@code hibernate.stats.factory}.
 *
 * <p>Why not {@code SessionEventListener.cacheGetEnd}: Hibernate also calls it for the internal natural-id
 * check it makes after every entity load, and does not call {@code cachePutEnd} for natural-id puts, so
 * those per-session figures disagree with the region statistics.
 */
public final class OperationStatistics extends StatisticsImpl {

    private final SqlMonitor monitor;

    public OperationStatistics(SessionFactoryImplementor sf, SqlMonitor monitor) {
        super(sf);
        this.monitor = monitor;
    }

    private void count(java.util.function.Function<OperationStats, AtomicLong> counter) {
        Operation op = monitor.boundOperation();
        if (op != null) {
            counter.apply(op.stats()).incrementAndGet();
        }
    }

    @Override
    public void entityCacheHit(NavigableRole role, String region) {
        super.entityCacheHit(role, region);
        count(s -> s.l2Hits);
    }

    @Override
    public void entityCacheMiss(NavigableRole role, String region) {
        super.entityCacheMiss(role, region);
        count(s -> s.l2Misses);
    }

    @Override
    public void entityCachePut(NavigableRole role, String region) {
        super.entityCachePut(role, region);
        count(s -> s.l2Puts);
    }

    @Override
    public void collectionCacheHit(NavigableRole role, String region) {
        super.collectionCacheHit(role, region);
        count(s -> s.l2Hits);
    }

    @Override
    public void collectionCacheMiss(NavigableRole role, String region) {
        super.collectionCacheMiss(role, region);
        count(s -> s.l2Misses);
    }

    @Override
    public void collectionCachePut(NavigableRole role, String region) {
        super.collectionCachePut(role, region);
        count(s -> s.l2Puts);
    }

    @Override
    public void naturalIdCacheHit(NavigableRole role, String region) {
        super.naturalIdCacheHit(role, region);
        count(s -> s.l2Hits);
    }

    @Override
    public void naturalIdCacheMiss(NavigableRole role, String region) {
        super.naturalIdCacheMiss(role, region);
        count(s -> s.l2Misses);
    }

    @Override
    public void naturalIdCachePut(NavigableRole role, String region) {
        super.naturalIdCachePut(role, region);
        count(s -> s.l2Puts);
    }

    @Override
    public void queryCacheHit(String hql, String region) {
        super.queryCacheHit(hql, region);
        count(s -> s.l2Hits);
    }

    @Override
    public void queryCacheMiss(String hql, String region) {
        super.queryCacheMiss(hql, region);
        count(s -> s.l2Misses);
    }

    @Override
    public void queryCachePut(String hql, String region) {
        super.queryCachePut(hql, region);
        count(s -> s.l2Puts);
    }
}
