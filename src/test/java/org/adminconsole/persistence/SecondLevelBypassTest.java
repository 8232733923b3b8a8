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

    /**
     * The user cache's re-read of a user older than a committed change ({@code UserEditing}): CacheMode.REFRESH passed to
     * the load reads the database and replaces the stale second-level entry, by id and by natural id.
     */
    @Test
    void aLoadWithCacheModeRefreshReadsTheDatabaseAndReplacesAStaleEntry() throws Exception {
        String email = db.transactions().read("email", s -> s.find(User.class, id).getEmail());
        try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
            // a change the second-level cache cannot know of: its entry is now stale
            st.executeUpdate("UPDATE users SET quota = quota + 1, version = version + 1 WHERE id = " + id);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        long stale = db.transactions().read("stale", s -> (long) s.find(User.class, id).getVersion());
        long[] refreshed = new long[1];
        long[] byId = statementsAndHits(() -> refreshed[0] = db.transactions().read("find.refresh",
                s -> (long) s.find(User.class, id, CacheMode.REFRESH).getVersion()));
        assertThat(refreshed[0]).isEqualTo(stale + 1);
        assertThat(byId[1]).as("no second-level hit").isZero();
        assertThat(byId[0]).as("a statement").isPositive();
        long after = db.transactions().read("after", s -> (long) s.find(User.class, id).getVersion());
        assertThat(after).as("the entry was replaced").isEqualTo(stale + 1);

        try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE users SET quota = quota + 1, version = version + 1 WHERE id = " + id);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        String key = User.emailKeyOf(email);
        long byKey = db.transactions().read("byKey.refresh", s -> (long) s.find(User.class, s.createSelectionQuery(
                "select u.id from User u where u.emailKey = :key", Long.class).setParameter("key", key).getSingleResult(),
                CacheMode.REFRESH).getVersion());
        assertThat(byKey).as("by email: the id from a query, then the row").isEqualTo(stale + 2);
    }
}
