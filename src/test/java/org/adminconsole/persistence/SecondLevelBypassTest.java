package org.adminconsole.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.adminconsole.domain.User;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.testing.TestDatabases;
import org.hibernate.CacheMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a find bypasses the second-level cache in Hibernate 7 ({@code UserLookupBench}'s database find relies on it):
 * {@code CacheMode.IGNORE} passed to {@code find} goes to the database; {@code Session.setCacheMode(IGNORE)} before a
 * plain {@code find} does not (it was served by the cache, which made the benchmark's "database find" a cache hit).
 */
class SecondLevelBypassTest {

    @TempDir
    Path dir;
    Database db;
    long id;

    @BeforeEach
    void setUp() {
        db = Database.open(TestDatabases.h2(dir));
        new DemoDataService(db.transactions()).generate(20);
        id = db.transactions().read("min", s -> s.createSelectionQuery("select min(u.id) from User u", Long.class).getSingleResult());
        db.transactions().read("warm", s -> s.find(User.class, id)); // now in the second-level cache
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private long[] statementsAndHits(Runnable r) {
        long statements = db.sqlMonitor().totalStatements();
        long hits = db.statistics().getSecondLevelCacheHitCount();
        r.run();
        return new long[] {db.sqlMonitor().totalStatements() - statements, db.statistics().getSecondLevelCacheHitCount() - hits};
    }

    @Test
    void aFindWithCacheModeIgnoreReadsTheDatabase() {
        long[] d = statementsAndHits(() -> db.transactions().read("find.ignore", s -> s.find(User.class, id, CacheMode.IGNORE).getEmail()));
        assertThat(d).as("statements, second-level hits").containsExactly(1, 0);
    }

    @Test
    void aPlainFindIsACacheHitEvenAfterSetCacheModeIgnore() {
        long[] plain = statementsAndHits(() -> db.transactions().read("find", s -> s.find(User.class, id).getEmail()));
        assertThat(plain).as("statements, second-level hits").containsExactly(0, 1);
        long[] afterSetCacheMode = statementsAndHits(() -> db.transactions().read("find.setCacheMode", s -> {
            s.setCacheMode(CacheMode.IGNORE);
            return s.find(User.class, id).getEmail();
        }));
        assertThat(afterSetCacheMode).as("Hibernate 7.4: find ignores Session.setCacheMode").containsExactly(0, 1);
    }
}
