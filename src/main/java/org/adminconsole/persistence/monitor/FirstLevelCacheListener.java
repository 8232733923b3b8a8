package org.adminconsole.persistence.monitor;

import org.adminconsole.persistence.Transactions;
import org.adminconsole.persistence.audit.AuditInterceptor;
import org.hibernate.engine.spi.EntityKey;
import org.hibernate.event.spi.EventSource;
import org.hibernate.event.spi.LoadEvent;
import org.hibernate.event.spi.LoadEventListener;
import org.hibernate.persister.entity.EntityPersister;

/**
 * Counts first-level cache (persistence context) hits and misses per operation: runs before Hibernate's own
 * load listener and looks whether the requested entity is already managed by the session. A plain
 * {@code getReference} that would only create a proxy is not a lookup and is not counted unless it hits.
 * The operation is found through the session's {@link AuditInterceptor}; sessions not opened by
 * {@link Transactions} count nothing.
 */
public final class FirstLevelCacheListener implements LoadEventListener {

    @Override
    public void onLoad(LoadEvent event, LoadType loadType) {
        EventSource session = event.getSession();
        if (!(session.getInterceptor() instanceof AuditInterceptor audit) || event.getEntityId() == null) {
            return;
        }
        EntityPersister persister = session.getFactory().getMappingMetamodel()
                .getEntityDescriptor(event.getEntityClassName());
        EntityKey key = session.generateEntityKey(event.getEntityId(), persister);
        boolean hit = session.getPersistenceContextInternal().getEntity(key) != null;
        if (hit || !loadType.isAllowProxyCreation()) {
            audit.operation().stats().countL1(hit);
        }
    }
}
