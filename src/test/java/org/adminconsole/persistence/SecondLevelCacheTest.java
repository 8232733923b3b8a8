package org.adminconsole.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;
import org.ehcache.config.CacheRuntimeConfiguration;
import org.ehcache.config.ResourceType;
import org.ehcache.jsr107.Eh107Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second-level cache regions are built from the console's settings ({@code cache.l2.*}) without an XML file: every
 * region Hibernate uses exists (a missing one fails the start), sized and timed as configured, and the update
 * timestamps never expire.
 */
class SecondLevelCacheTest {

    @TempDir
    Path dir;

    @Test
    void everyRegionIsSizedAndTimedByTheSettings() {
        Settings settings = TestDatabases.h2(dir, Map.of("cache.l2.entityMaxEntries", "123", "cache.l2.queryMaxEntries", "45",
                "cache.l2.ttlSeconds", "7"));
        try (CacheManager manager = SecondLevelCache.create(settings)) {
            for (String region : SecondLevelCache.ENTITY_REGIONS) {
                CacheRuntimeConfiguration<Object, Object> c = runtime(manager, region);
                assertThat(c.getResourcePools().getPoolForResource(ResourceType.Core.HEAP).getSize()).as(region).isEqualTo(123);
                assertThat(c.getExpiryPolicy().getExpiryForCreation(1, 1)).as(region).isEqualTo(Duration.ofSeconds(7));
            }
            CacheRuntimeConfiguration<Object, Object> query = runtime(manager, SecondLevelCache.QUERY_REGION);
            assertThat(query.getResourcePools().getPoolForResource(ResourceType.Core.HEAP).getSize()).isEqualTo(45);
            CacheRuntimeConfiguration<Object, Object> timestamps = runtime(manager, SecondLevelCache.TIMESTAMPS_REGION);
            assertThat(timestamps.getExpiryPolicy().getExpiryForCreation(1, 1)).isEqualTo(org.ehcache.expiry.ExpiryPolicy.INFINITE);
            assertThat(timestamps.getResourcePools().getPoolForResource(ResourceType.Core.HEAP).getSize())
                    .isEqualTo(SecondLevelCache.TIMESTAMPS_ENTRIES);
        }
    }

    @Test
    void aDatabaseStartsWithEveryRegionItNeedsAndEachGetsAManagerOfItsOwn() {
        try (Database a = Database.open(TestDatabases.h2(dir.resolve("a"))); Database b = Database.open(TestDatabases.h2(dir.resolve("b")))) {
            new org.adminconsole.service.demo.DemoDataService(a.transactions()).generate(5);
            new org.adminconsole.service.demo.DemoDataService(b.transactions()).generate(5);
            long id = a.transactions().read("min", s -> s.createSelectionQuery("select min(u.id) from User u", Long.class).getSingleResult());
            a.transactions().read("warm", s -> s.find(org.adminconsole.domain.User.class, id).getEmail());
            assertThat(a.sessionFactory().getCache().containsEntity(org.adminconsole.domain.User.class, id)).isTrue();
            assertThat(b.sessionFactory().getCache().containsEntity(org.adminconsole.domain.User.class, id)).isFalse();
        }
    }

    @SuppressWarnings("unchecked")
    private static CacheRuntimeConfiguration<Object, Object> runtime(CacheManager manager, String region) {
        Cache<Object, Object> cache = manager.getCache(region);
        assertThat(cache).as(region).isNotNull();
        Eh107Configuration<Object, Object> configuration = cache.getConfiguration(Eh107Configuration.class);
        return configuration.unwrap(CacheRuntimeConfiguration.class);
    }
}
