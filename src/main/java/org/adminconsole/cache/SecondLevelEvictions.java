package org.adminconsole.cache;

import org.adminconsole.persistence.SecondLevelFence;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.adminconsole.persistence.OperationRecord;
import org.hibernate.Cache;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.MappingMetamodel;
import org.hibernate.persister.collection.CollectionPersister;

/**
 * The Hibernate second-level regions behind each table, mapped once from the metamodel: entities, natural ids and
 * collections stored in a table, each evicted through {@link SecondLevelFence} so that no older row can be put
 * back; and, per entity, a fence for the entries of given ids (the entity and the collections it owns).
 */
final class SecondLevelEvictions {

    private final SessionFactoryImplementor sessionFactory;
    private final Map<String, List<Runnable>> evictionsByTable = new HashMap<>();
    /** Per entity (simple name): fences the second-level entries of given ids (entity and owned collections). */
    private final Map<String, Consumer<List<Object>>> keyFencesByEntity = new HashMap<>();

    /** No regions (Hibernate not built yet): evicts nothing. */
    static final SecondLevelEvictions NONE = new SecondLevelEvictions(null);

    SecondLevelEvictions(SessionFactoryImplementor sessionFactory) {
        this.sessionFactory = sessionFactory;
        if (sessionFactory != null) {
            mapRegions();
        }
    }

    private void mapRegions() {
        Cache cache = sessionFactory.getCache();
        MappingMetamodel mm = sessionFactory.getMappingMetamodel();
        mm.forEachEntityDescriptor(p -> {
            if (!p.hasCache() && !p.hasNaturalIdCache()) {
                return;
            }
            String entity = p.getEntityName();
            for (Serializable space : p.getQuerySpaces()) {
                List<Runnable> evictions = evictionsByTable.computeIfAbsent(space.toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>());
                if (p.hasCache()) {
                    evictions.add(() -> SecondLevelFence.fence(sessionFactory, p.getCacheAccessStrategy(), () -> cache.evictEntityData(entity)));
                }
                if (p.hasNaturalIdCache()) {
                    evictions.add(() -> SecondLevelFence.fence(sessionFactory, p.getNaturalIdCacheAccessStrategy(),
                            () -> cache.evictNaturalIdData(entity)));
                }
            }
        });
        mm.forEachEntityDescriptor(p -> {
            if (!p.hasCache()) {
                return;
            }
            List<CollectionPersister> owned = new ArrayList<>();
            mm.forEachCollectionDescriptor(cp -> {
                if (cp.hasCache() && cp.getOwnerEntityPersister() == p) {
                    owned.add(cp);
                }
            });
            String simpleName = p.getEntityName().substring(p.getEntityName().lastIndexOf('.') + 1);
            keyFencesByEntity.put(simpleName, ids -> {
                List<Object> keys = new ArrayList<>();
                for (Object id : ids) {
                    keys.add(p.getCacheAccessStrategy().generateCacheKey(id, p.getRootEntityDescriptor().getEntityPersister(), sessionFactory, null));
                }
                SecondLevelFence.fence(sessionFactory, p.getCacheAccessStrategy(), keys, () -> ids.forEach(id -> cache.evictEntityData(p.getEntityName(), id)));
                for (var cp : owned) {
                    List<Object> collectionKeys = new ArrayList<>();
                    for (Object id : ids) {
                        collectionKeys.add(cp.getCacheAccessStrategy().generateCacheKey(id, cp, sessionFactory, null));
                    }
                    SecondLevelFence.fence(sessionFactory, cp.getCacheAccessStrategy(), collectionKeys,
                            () -> ids.forEach(id -> cache.evictCollectionData(cp.getRole(), id)));
                }
            });
        });
        mm.forEachCollectionDescriptor(p -> {
            if (!p.hasCache()) {
                return;
            }
            String role = p.getRole();
            for (String space : p.getCollectionSpaces()) {
                evictionsByTable.computeIfAbsent(space.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(() -> SecondLevelFence.fence(sessionFactory, p.getCacheAccessStrategy(), () -> cache.evictCollectionData(role)));
            }
        });
    }

    /** The tables with cached regions, sorted. */
    Set<String> tables() {
        return new TreeSet<>(evictionsByTable.keySet());
    }

    /** Evicts (fenced) the regions stored in {@code tables}, and the query results when there were any. */
    void evict(Set<String> tables) {
        boolean secondLevel = false;
        for (String t : tables) {
            for (Runnable r : evictionsByTable.getOrDefault(t, List.of())) {
                r.run();
                secondLevel = true;
            }
        }
        if (secondLevel) {
            sessionFactory.getCache().evictQueryRegions();
        }
    }

    void evictAll() {
        if (sessionFactory == null) {
            return;
        }
        sessionFactory.getCache().evictAllRegions();
    }

    /**
     * An own commit of synchronized native DML: Hibernate emptied the regions of those tables wholesale, so an
     * operation that read a changed row before the commit could put it into the now empty slot. The changed
     * rows (the operation reports each one) are fenced like a foreign change; unchanged rows cannot be stale.
     */
    void fenceChangedRows(OperationRecord rec) {
        Map<String, List<Object>> idsByEntity = new HashMap<>();
        for (var c : rec.changes()) {
            idsByEntity.computeIfAbsent(c.entity(), k -> new ArrayList<>()).add(c.id());
        }
        idsByEntity.forEach((entity, ids) -> {
            var fence = keyFencesByEntity.get(entity);
            if (fence != null) {
                fence.accept(ids);
            }
        });
    }
}
