package org.adminconsole.persistence;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.ConfigurationBuilder;
import org.ehcache.config.builders.ExpiryPolicyBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.jsr107.EhcacheCachingProvider;

/**
 * Builds the JCache (Ehcache 3) manager for Hibernate's second-level cache with Ehcache's configuration builders:
 * every region Hibernate uses is declared here ({@code hibernate.javax.cache.missing_cache_strategy=fail} refuses any
 * other), sized and timed by the console's settings ({@code cache.l2.*}). Each database gets its own manager (unique
 * URI), so two contexts in one JVM never share regions. Hibernate's region factory closes the manager when the
 * SessionFactory closes.
 *
 * <p>No {@code ehcache.xml}: parsing it built an XML schema validator (JAXB and the XSD) on every start, about a third
 * of Hibernate's start-up on this machine, for a file whose sizes and TTLs were all replaced from the settings anyway.
 * Values are stored by reference (on-heap, no copier): Hibernate's cache entries are already disassembled immutable
 * structures, and store-by-value costs ~8x per hit. No JCache statistics or management beans: the console reads
 * Hibernate's own statistics.
 */
final class SecondLevelCache {

    static final String TIMESTAMPS_REGION = "default-update-timestamps-region";
    static final String QUERY_REGION = "default-query-results-region";
    /** The entity, collection and natural-id regions (named as Hibernate names them for the mapped classes). */
    static final List<String> ENTITY_REGIONS = List.of("org.adminconsole.domain.User", "org.adminconsole.domain.User.departments",
            "org.adminconsole.domain.User##NaturalId", "org.adminconsole.domain.Department");
    /** The update timestamps never expire or shrink while queries are cached: stale query results would follow. */
    static final long TIMESTAMPS_ENTRIES = 1_000;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private SecondLevelCache() {
    }

    static CacheManager create(Settings settings) {
        ConfigurationBuilder builder = ConfigurationBuilder.newConfigurationBuilder();
        for (String alias : ENTITY_REGIONS) {
            builder = builder.withCache(alias, region(settings.get(Keys.L2_ENTITY_MAX), settings));
        }
        builder = builder.withCache(QUERY_REGION, region(settings.get(Keys.L2_QUERY_MAX), settings));
        builder = builder.withCache(TIMESTAMPS_REGION, CacheConfigurationBuilder.newCacheConfigurationBuilder(Object.class, Object.class,
                ResourcePoolsBuilder.heap(TIMESTAMPS_ENTRIES)).withExpiry(ExpiryPolicyBuilder.noExpiration()));
        EhcacheCachingProvider provider = (EhcacheCachingProvider) Caching.getCachingProvider(EhcacheCachingProvider.class.getName());
        URI uri = URI.create("urn:adminconsole:l2:" + ProcessHandle.current().pid() + ":" + COUNTER.incrementAndGet());
        return provider.getCacheManager(uri, builder.build());
    }

    private static CacheConfigurationBuilder<Object, Object> region(long entries, Settings settings) {
        return CacheConfigurationBuilder.newCacheConfigurationBuilder(Object.class, Object.class, ResourcePoolsBuilder.heap(entries))
                .withExpiry(ExpiryPolicyBuilder.timeToLiveExpiration(settings.get(Keys.L2_TTL)));
    }
}
