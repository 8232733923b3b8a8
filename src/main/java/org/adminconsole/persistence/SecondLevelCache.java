package org.adminconsole.persistence;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.ehcache.config.CacheConfiguration;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.ConfigurationBuilder;
import org.ehcache.config.builders.ExpiryPolicyBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.jsr107.EhcacheCachingProvider;
import org.ehcache.xml.XmlConfiguration;

/**
 * Builds the JCache (Ehcache 3) manager for Hibernate's second-level cache from {@code ehcache.xml}, where
 * every region is declared, with sizes and TTLs replaced by the console's settings. Each database gets its
 * own manager (unique URI), so two contexts in one JVM never share regions. Hibernate's region factory
 * closes the manager when the SessionFactory closes.
 */
final class SecondLevelCache {

    static final String TIMESTAMPS_REGION = "default-update-timestamps-region";
    static final String QUERY_REGION = "default-query-results-region";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private SecondLevelCache() {
    }

    static CacheManager create(Settings settings) {
        XmlConfiguration xml = new XmlConfiguration(SecondLevelCache.class.getResource("/ehcache.xml"));
        ConfigurationBuilder builder = ConfigurationBuilder.newConfigurationBuilder(xml);
        for (Map.Entry<String, CacheConfiguration<?, ?>> e : xml.getCacheConfigurations().entrySet()) {
            String alias = e.getKey();
            if (alias.equals(TIMESTAMPS_REGION)) {
                continue; // never expires, never shrinks: stale query results would follow
            }
            long entries = alias.equals(QUERY_REGION) ? settings.get(Keys.L2_QUERY_MAX) : settings.get(Keys.L2_ENTITY_MAX);
            builder = builder.withCache(alias, resize(e.getValue(), entries, settings));
        }
        EhcacheCachingProvider provider = (EhcacheCachingProvider) Caching.getCachingProvider(EhcacheCachingProvider.class.getName());
        URI uri = URI.create("urn:adminconsole:l2:" + ProcessHandle.current().pid() + ":" + COUNTER.incrementAndGet());
        return provider.getCacheManager(uri, builder.build());
    }

    private static <K, V> CacheConfiguration<K, V> resize(CacheConfiguration<K, V> cfg, long entries, Settings settings) {
        return CacheConfigurationBuilder.newCacheConfigurationBuilder(cfg)
                .withResourcePools(ResourcePoolsBuilder.heap(entries))
                .withExpiry(ExpiryPolicyBuilder.timeToLiveExpiration(settings.get(Keys.L2_TTL)))
                .build();
    }
}
