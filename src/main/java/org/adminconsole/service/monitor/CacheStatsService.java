package org.adminconsole.service.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.adminconsole.cache.CoherenceService;
import org.adminconsole.cache.HitRatio;
import org.adminconsole.cache.NamedValues;
import org.adminconsole.cache.UserCache;
import org.adminconsole.service.ValidationException;
import org.hibernate.SessionFactory;
import org.hibernate.stat.CacheRegionStatistics;
import org.hibernate.stat.Statistics;

/**
 * Second-level cache figures per region (from Hibernate's {@link Statistics}) and the user cache's counters,
 * and evictions: one region, one entity type (its entity, natural-id and collection data), or everything.
 * Figures JCache cannot report (element counts, sizes) are {@code null}, shown as "n/a".
 */
public final class CacheStatsService {

    public static final String QUERY_REGION = "default-query-results-region";
    public static final String TIMESTAMPS_REGION = "default-update-timestamps-region";

    /** What a region holds. */
    public enum Kind {
        ENTITY("entities"), COLLECTION("collections"), NATURAL_ID("natural ids"), QUERY("query results"),
        TIMESTAMPS("update timestamps");

        private final String label;

        Kind(String label) { this.label = label; }
        public String label() { return label; }
    }

    /** Counters of one region since start (or the last statistics reset). */
    public record RegionStats(String name, Kind kind, long hits, long misses, long puts, Long elementsInMemory) {
        /** Hits / (hits + misses); NaN when nothing was looked up yet. */
        public double hitRatio() {
            return HitRatio.of(hits, misses);
        }

        public long lookups() {
            return hits + misses;
        }
    }

    /** Everything the Caches view shows, at one moment. */
    public record Snapshot(List<RegionStats> regions, UserCache.Stats userCache, NamedValues.Stats namedValues,
                           long l2Hits, long l2Misses, long l2Puts) {
    }

    /** Hibernate's SessionFactory once built (empty during the first seconds after a start): never waited for. */
    private final java.util.function.Supplier<java.util.Optional<SessionFactory>> hibernate;
    private final UserCache userCache;
    private final NamedValues namedValues;
    private final CoherenceService coherence;

    private org.adminconsole.service.access.Access access = org.adminconsole.service.access.Access.asAdmin("owner");

    /** With the signed-in operator's rights checked before an eviction (admins only). */
    public CacheStatsService(java.util.function.Supplier<java.util.Optional<SessionFactory>> hibernate, UserCache userCache,
                             NamedValues namedValues, CoherenceService coherence, org.adminconsole.service.access.Access access) {
        this(hibernate, userCache, namedValues, coherence);
        this.access = access;
    }

    public CacheStatsService(SessionFactory sessionFactory, UserCache userCache, NamedValues namedValues,
                             CoherenceService coherence) {
        this(() -> java.util.Optional.of(sessionFactory), userCache, namedValues, coherence);
    }

    /**
     * {@code hibernate}: the SessionFactory once it is built; until then the second-level figures are empty and there
     * is nothing to evict, and nothing here waits (the Caches view asks on the JavaFX thread).
     */
    public CacheStatsService(java.util.function.Supplier<java.util.Optional<SessionFactory>> hibernate, UserCache userCache,
                             NamedValues namedValues, CoherenceService coherence) {
        this.namedValues = namedValues;
        this.coherence = coherence;
        this.hibernate = hibernate;
        this.userCache = userCache;
    }

    /** When the caches were last checked against the database and what other consoles changed (no database access). */
    public CoherenceService.Status coherence() {
        return coherence.status();
    }

    public Snapshot snapshot() {
        SessionFactory sessionFactory = hibernate.get().orElse(null);
        if (sessionFactory == null) {
            return new Snapshot(List.of(), userCache.stats(), namedValues.stats(), 0, 0, 0);
        }
        Statistics st = sessionFactory.getStatistics();
        List<RegionStats> regions = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(Arrays.asList(st.getSecondLevelCacheRegionNames()));
        names.add(TIMESTAMPS_REGION);
        for (String name : names) {
            regions.add(region(st, name));
        }
        return new Snapshot(List.copyOf(regions), userCache.stats(), namedValues.stats(), st.getSecondLevelCacheHitCount(),
                st.getSecondLevelCacheMissCount(), st.getSecondLevelCachePutCount());
    }

    private RegionStats region(Statistics st, String name) {
        Kind kind = kindOf(st, name);
        CacheRegionStatistics r = switch (kind) {
            case QUERY -> st.getQueryRegionStatistics(name);
            case TIMESTAMPS -> null;
            default -> st.getDomainDataRegionStatistics(name);
        };
        if (kind == Kind.TIMESTAMPS) {
            return new RegionStats(name, kind, st.getUpdateTimestampsCacheHitCount(), st.getUpdateTimestampsCacheMissCount(),
                    st.getUpdateTimestampsCachePutCount(), null);
        }
        if (r == null) {
            return new RegionStats(name, kind, 0, 0, 0, null);
        }
        long count = r.getElementCountInMemory();
        return new RegionStats(name, kind, r.getHitCount(), r.getMissCount(), r.getPutCount(),
                count == CacheRegionStatistics.NO_EXTENDED_STAT_SUPPORT_RETURN || count < 0 ? null : count);
    }

    private Kind kindOf(Statistics st, String name) {
        if (name.equals(QUERY_REGION)) {
            return Kind.QUERY;
        }
        if (name.equals(TIMESTAMPS_REGION)) {
            return Kind.TIMESTAMPS;
        }
        if (name.endsWith("##NaturalId")) {
            return Kind.NATURAL_ID;
        }
        if (Arrays.asList(st.getCollectionRoleNames()).contains(name)) {
            return Kind.COLLECTION;
        }
        return Kind.ENTITY;
    }

    /** Entity types with cached data (full names), for "evict one entity type". */
    public List<String> entityTypes() {
        List<String> out = new ArrayList<>();
        SessionFactory sessionFactory = hibernate.get().orElse(null);
        if (sessionFactory == null) {
            return out;
        }
        for (String name : sessionFactory.getStatistics().getEntityNames()) {
            if (persister(sessionFactory, name).canReadFromCache()) {
                out.add(name);
            }
        }
        out.sort(null);
        return out;
    }

    /** Evicts one region. The timestamps region is refused alone: cached query results would then look fresh. */
    public void evictRegion(String name) {
        access.require(org.adminconsole.service.access.Role.ADMIN, "Evicting caches");
        if (name == null || name.isBlank()) {
            throw new ValidationException("region", "Select a region to evict.");
        }
        SessionFactory sessionFactory = hibernate.get().orElse(null);
        if (sessionFactory == null) {
            return; // nothing is cached before Hibernate is built
        }
        Kind kind = kindOf(sessionFactory.getStatistics(), name);
        switch (kind) {
            case TIMESTAMPS -> throw new ValidationException("region", "The update-timestamps region cannot be evicted on"
                    + " its own: cached query results would then look up to date. Use \"Evict all\" instead.");
            case QUERY -> sessionFactory.getCache().evictQueryRegion(name);
            default -> sessionFactory.getCache().evictRegion(name);
        }
    }

    /** Evicts the entity data, natural-id data and owned collections of one entity type. */
    public void evictEntityType(String entityName) {
        access.require(org.adminconsole.service.access.Role.ADMIN, "Evicting caches");
        if (entityName == null || !entityTypes().contains(entityName)) {
            throw new ValidationException("entityType", "Choose an entity type to evict.");
        }
        SessionFactory sessionFactory = hibernate.get().orElseThrow();
        var cache = sessionFactory.getCache();
        cache.evictEntityData(entityName);
        if (persister(sessionFactory, entityName).hasNaturalIdentifier()) {
            cache.evictNaturalIdData(entityName);
        }
        for (String role : sessionFactory.getStatistics().getCollectionRoleNames()) {
            if (role.startsWith(entityName + ".")) {
                cache.evictCollectionData(role);
            }
        }
    }

    private static org.hibernate.persister.entity.EntityPersister persister(SessionFactory sessionFactory, String entityName) {
        return sessionFactory.unwrap(org.hibernate.engine.spi.SessionFactoryImplementor.class)
                .getMappingMetamodel().getEntityDescriptor(entityName);
    }

    /** Every second-level region (query results included) and the user cache. */
    public void evictAll() {
        access.require(org.adminconsole.service.access.Role.ADMIN, "Evicting caches");
        hibernate.get().ifPresent(sf -> sf.getCache().evictAllRegions());
        userCache.clear();
        namedValues.invalidateAll();
    }
}
