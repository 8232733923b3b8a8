package org.adminconsole.service.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.monitor.OperationStats;
import org.adminconsole.persistence.monitor.SqlEvent;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.ValidationException;
import org.adminconsole.testing.TestDatabases;
import org.hibernate.Hibernate;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitoring services on a real database: exact per-operation figures, the analysis, EXPLAIN, caches. */
class MonitoringServicesTest {

    @TempDir Path dir;
    private AppContext ctx;

    @AfterEach
    void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    private AppContext start(Settings settings, int users) {
        ctx = AppContext.start(settings);
        ctx.get(DemoDataService.class).generate(users);
        ctx.get(CacheStatsService.class).evictAll();
        return ctx;
    }

    private Transactions tx() {
        return ctx.database().transactions();
    }

    private List<Long> userIds() {
        return tx().read("test.ids", s -> s.createSelectionQuery("select u.id from User u order by u.id", Long.class).getResultList());
    }

    private OperationEntry entry(String name) {
        return ctx.get(OperationsLog.class).snapshot().stream().filter(e -> e.name().equals(name))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no operation " + name + " in the log"));
    }

    @Test
    void perOperationFiguresAreExactOnH2() {
        start(TestDatabases.h2(dir), 5);
        assertExactFigures();
    }

    @Test
    void perOperationFiguresAreExactOnPostgres() {
        start(TestDatabases.postgres(dir, Map.of()), 5);
        assertExactFigures();
    }

    /**
     * A read with a known shape: user A is in the L2 cache, B is not. find(A) = L1 miss + L2 hit; find(B) =
     * L1 miss + L2 miss + 1 SELECT + L2 puts of the entity and its natural id; find(A) again = L1 hit.
     * Then a write of A: L1 miss, L2 hit, UPDATE + audit rows + version bump, two flushes.
     */
    private void assertExactFigures() {
        List<Long> ids = userIds();
        long a = ids.get(0);
        long b = ids.get(1);
        tx().read("test.warm", s -> s.find(User.class, a));
        Statistics st = ctx.database().statistics();
        st.clear();
        tx().read("test.exact", s -> {
            s.find(User.class, a);
            s.find(User.class, b);
            s.find(User.class, a);
            return null;
        });
        OperationEntry read = entry("test.exact");
        OperationStats.Snapshot r = read.stats();
        assertThat(r.statements()).isEqualTo(1).isEqualTo(read.statements().size());
        assertThat(read.statements().get(0).sql()).startsWith("select").contains("users");
        assertThat(r.entitiesLoaded()).isEqualTo(2); // A assembled from L2, B from its row
        assertThat(r.l1Hits()).isEqualTo(1);
        assertThat(r.l1Misses()).isEqualTo(2);
        assertThat(r.l2Hits()).isEqualTo(1).isEqualTo(st.getSecondLevelCacheHitCount() + st.getNaturalIdCacheHitCount());
        assertThat(r.l2Misses()).isEqualTo(1).isEqualTo(st.getSecondLevelCacheMissCount() + st.getNaturalIdCacheMissCount());
        assertThat(r.l2Puts()).isEqualTo(2).isEqualTo(st.getSecondLevelCachePutCount() + st.getNaturalIdCachePutCount());
        assertThat(r.flushes()).isZero();
        assertThat(r.entitiesInserted() + r.entitiesUpdated()).isZero();
        assertThat(read.outcomeText()).isEqualTo("ok (read-only)");
        assertThat(read.flagged()).isFalse();

        st.clear();
        tx().write("test.write", s -> {
            s.find(User.class, a).setUsername("renamed.a");
            return null;
        });
        OperationEntry write = entry("test.write");
        OperationStats.Snapshot w = write.stats();
        // UPDATE users, INSERT audit_log, INSERT audit_changes, UPDATE table_versions (one batch), the coherence
        // watcher's read-back of the versions this transaction bumped (so its own commit is not foreign), and on
        // PostgreSQL the transaction id (a commit whose reply is lost is checked with txid_status); first of all the
        // transaction's console-write mark, which the external-audit triggers read to skip what the console audits itself
        boolean pg = ctx.database().dialect() == org.adminconsole.persistence.Dialect.POSTGRES;
        assertThat(w.statements()).isEqualTo(pg ? 7 : 6).isEqualTo(write.statements().size());
        assertThat(write.statements().get(0).sql()).containsIgnoringCase(pg ? "set_config('admin_console.audited'" : "@ADMIN_CONSOLE_AUDITED");
        assertThat(w.entitiesUpdated()).isEqualTo(1).isEqualTo(st.getEntityUpdateCount());
        assertThat(w.entitiesLoaded()).isEqualTo(1);
        assertThat(w.l1Misses()).isEqualTo(1);
        assertThat(w.l2Hits()).isEqualTo(1).isEqualTo(st.getSecondLevelCacheHitCount());
        assertThat(w.flushes()).isEqualTo(st.getFlushCount()).isEqualTo(2);
        assertThat(write.outcomeText()).isEqualTo("committed");
    }

    @Test
    void failedAndRolledBackOperationsShowTheirOutcome() {
        start(TestDatabases.h2(dir), 1);
        assertThatThrownBy(() -> tx().read("test.fails", s -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(entry("test.fails").outcomeText()).isEqualTo("failed: boom");
        assertThatThrownBy(() -> tx().write("test.rollback", s -> {
            try {
                tx().read("inner", x -> {
                    throw new IllegalStateException("inner broke");
                });
            } catch (IllegalStateException ignored) {
                // swallowed: the outer operation is rollback-only anyway
            }
            return null;
        }));
        assertThat(entry("test.rollback").outcomeText()).startsWith("rolled back").contains("inner broke");
    }

    @Test
    void nPlusOneIsFlaggedAndTheFetchJoinIsNot() {
        start(TestDatabases.h2(dir), 12);
        assertNPlusOneFlagged();
    }

    @Test
    void nPlusOneIsFlaggedAndTheFetchJoinIsNotOnPostgres() {
        start(TestDatabases.postgres(dir, Map.of()), 12);
        assertNPlusOneFlagged();
    }

    private void assertNPlusOneFlagged() {
        tx().read("test.lazyDepartments", s -> {
            for (User u : s.createSelectionQuery("from User u order by u.id", User.class).getResultList()) {
                Hibernate.initialize(u.getDepartments());
            }
            return null;
        });
        ctx.get(CacheStatsService.class).evictAll();
        tx().read("test.fetchJoin", s -> {
            for (User u : s.createSelectionQuery("select distinct u from User u left join fetch u.departments order by u.id", User.class).getResultList()) {
                Hibernate.initialize(u.getDepartments());
            }
            return null;
        });
        OperationEntry lazy = entry("test.lazyDepartments");
        assertThat(lazy.stats().statements()).isEqualTo(13);
        assertThat(lazy.has(OperationEntry.WarningKind.N_PLUS_ONE)).isTrue();
        assertThat(lazy.warningText()).contains("N+1").contains("12 times").contains("user_departments").contains("join fetch");
        OperationEntry joined = entry("test.fetchJoin");
        assertThat(joined.stats().statements()).isEqualTo(1);
        assertThat(joined.flagged()).isFalse();
    }

    @Test
    void tooManyStatementsAreFlaggedAgainstTheRuntimeThreshold() {
        start(TestDatabases.h2(dir), 1);
        ctx.get(OperationsLog.class).analyzer().setStatementThreshold(3);
        Runnable fourCounts = () -> tx().read("test.counts", s -> {
            for (int i = 0; i < 4; i++) {
                s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult();
            }
            return null;
        });
        fourCounts.run();
        assertThat(entry("test.counts").warningText()).contains("Issued 4 statements (threshold 3)");
        assertThat(entry("test.counts").has(OperationEntry.WarningKind.N_PLUS_ONE)).isFalse(); // no key, no loop
        ctx.get(OperationsLog.class).analyzer().setStatementThreshold(4);
        fourCounts.run();
        assertThat(entry("test.counts").flagged()).isFalse();
    }

    @Test
    void anOperationThatWaitedForAConnectionIsFlagged() throws Exception {
        start(TestDatabases.h2(dir, Map.of("pool.maxSize", "2", "pool.minIdle", "2",
                "cache.check.intervalMs", "3600000", "pool.connectionTimeoutMs", "60000")), 1); // Flyway needs two connections
        // both connections open before the holders take them: a holder that had to wait for the pool to open its second
        // connection was flagged too (CI, a loaded machine); the threshold is above a busy machine's scheduling delays,
        // the waiter's wait well above it
        org.testfx.util.WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ctx.database().poolStats().idle() == 2);
        ctx.get(OperationsLog.class).analyzer().setConnectionWaitThreshold(Duration.ofMillis(100));
        CountDownLatch holding = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> holders = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> tx().read("test.holder", s -> {
                // connections are taken at the first statement (lazy acquisition): run one to hold it
                s.createNativeQuery("SELECT 1", Integer.class).getSingleResult();
                holding.countDown();
                release.await();
                return null;
            }));
            t.start();
            holders.add(t);
        }
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        Thread waiter = new Thread(() -> tx().read("test.waiter", s -> s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult()));
        waiter.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ctx.database().poolStats().waiting() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(ctx.database().poolStats().waiting()).isEqualTo(1);
        Thread.sleep(300); // the waiter now waits at least this long: above the 100 ms threshold
        release.countDown();
        for (Thread t : holders) {
            t.join(30_000);
        }
        waiter.join(30_000);
        OperationEntry waited = entry("test.waiter");
        assertThat(waited.has(OperationEntry.WarningKind.CONNECTION_WAIT)).isTrue();
        assertThat(waited.warningText()).contains("for a database connection").contains("pool max 2");
        assertThat(ctx.get(OperationsLog.class).connectionWaits(10)).extracting(OperationEntry::name).containsExactly("test.waiter");
    }

    @Test
    void slowThresholdChangesApplyToTheNextStatements() {
        start(TestDatabases.h2(dir), 1);
        SqlLogService sql = ctx.get(SqlLogService.class);
        sql.setSlowThreshold("100000");
        long before = sql.lastSeq();
        tx().read("test.fast", s -> s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
        sql.setSlowThreshold("0.001"); // 1 microsecond: every statement is slower
        tx().read("test.slow", s -> s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
        List<SqlEvent> events = sql.since(before, 100);
        assertThat(events).filteredOn(e -> e.operationName().equals("test.fast")).singleElement().matches(e -> !e.slow());
        assertThat(events).filteredOn(e -> e.operationName().equals("test.slow")).singleElement().matches(SqlEvent::slow);
        assertThat(SqlLogService.format(sql.slowThreshold())).isEqualTo("0.001 ms");
        assertThatThrownBy(() -> sql.setSlowThreshold("fast")).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).fieldErrors()).containsKey("slowThreshold"));
        assertThatThrownBy(() -> sql.setSlowThreshold("-1")).isInstanceOf(ValidationException.class);
        assertThat(SqlLogService.format(sql.slowThreshold())).isEqualTo("0.001 ms");
    }

    @Test
    void explainShowsThePlanOfACapturedSelectOnH2() {
        start(TestDatabases.h2(dir), 3);
        String plan = explainCapturedFind();
        assertThat(plan).containsIgnoringCase("users").contains("scanCount");
    }

    @Test
    void explainShowsThePlanOfACapturedSelectOnPostgres() {
        start(TestDatabases.postgres(dir, Map.of()), 3);
        String plan = explainCapturedFind();
        assertThat(plan).contains("Scan").contains("actual time");
    }

    private String explainCapturedFind() {
        long id = userIds().get(1);
        tx().read("test.find", s -> s.find(User.class, id));
        SqlEvent select = entry("test.find").statements().get(0);
        assertThat(select.parameters()).containsExactly(id);
        ExplainService explain = ctx.get(ExplainService.class);
        ExplainService.Plan plan = explain.explain(select);
        assertThat(plan.analyzed()).isTrue();
        assertThat(plan.command()).startsWith("EXPLAIN");
        // EXPLAIN ANALYZE runs the statement: on the SQL console's reader connection, never on the pool as the owner
        assertThat(ctx.get(OperationsLog.class).snapshot()).noneMatch(e -> e.name().equals("monitor.explain"));
        tx().write("test.update", s -> {
            s.find(User.class, id).setUsername("explained");
            return null;
        });
        SqlEvent update = entry("test.update").statements().stream().filter(e -> e.sql().startsWith("update")).findFirst().orElseThrow();
        assertThatThrownBy(() -> explain.explain(update)).isInstanceOf(ValidationException.class).hasMessageContaining("SELECT statements only");
        return plan.text();
    }

    @Test
    void evictingARegionMakesTheNextLookupAMiss() {
        start(TestDatabases.h2(dir), 2);
        long id = userIds().get(0);
        CacheStatsService caches = ctx.get(CacheStatsService.class);
        String region = User.class.getName();
        tx().read("test.warm", s -> s.find(User.class, id));
        tx().read("test.hit", s -> s.find(User.class, id));
        assertThat(entry("test.hit").stats().l2Hits()).isEqualTo(1);
        CacheStatsService.RegionStats before = region(caches, region);
        caches.evictRegion(region);
        tx().read("test.afterEvict", s -> s.find(User.class, id));
        CacheStatsService.RegionStats after = region(caches, region);
        assertThat(entry("test.afterEvict").stats().l2Misses()).isEqualTo(1);
        assertThat(entry("test.afterEvict").stats().statements()).isEqualTo(1);
        assertThat(after.misses()).isEqualTo(before.misses() + 1);
        assertThat(after.hits()).isEqualTo(before.hits());
        assertThat(after.elementsInMemory()).isNull(); // JCache cannot say: shown as n/a
        assertThatThrownBy(() -> caches.evictRegion(CacheStatsService.TIMESTAMPS_REGION)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("Evict all");
        assertThat(caches.entityTypes()).contains(org.adminconsole.domain.Department.class.getName(), region);
        caches.evictEntityType(region);
        tx().read("test.afterTypeEvict", s -> s.find(User.class, id));
        assertThat(entry("test.afterTypeEvict").stats().l2Misses()).isEqualTo(1);
    }

    private static CacheStatsService.RegionStats region(CacheStatsService caches, String name) {
        return caches.snapshot().regions().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void reloadFromDatabaseBypassesTheCacheAndShowsWhatChangedBehindHibernatesBack() throws Exception {
        start(TestDatabases.h2(dir, NO_COHERENCE_CHECKS), 3);
        assertReloadShowsOutsideChange();
    }

    @Test
    void reloadFromDatabaseShowsWhatChangedBehindHibernatesBackOnPostgres() throws Exception {
        start(TestDatabases.postgres(dir, NO_COHERENCE_CHECKS), 3);
        assertReloadShowsOutsideChange();
    }

    /**
     * The demonstration needs a change the caches have not noticed: with checks running, the write below
     * is detected (within a NOTIFY round trip on PostgreSQL) and the cached copy is fresh again.
     */
    static final Map<String, String> NO_COHERENCE_CHECKS = Map.of("cache.check.intervalMs", "3600000", "cache.check.notify", "false");

    private void assertReloadShowsOutsideChange() throws Exception {
        long id = userIds().get(2);
        SessionDemoService demo = ctx.get(SessionDemoService.class);
        demo.openCached(String.valueOf(id)); // warms the caches
        SessionDemoService.Result cached = demo.openCached(String.valueOf(id));
        assertThat(cached.operation().stats().statements()).isZero();
        assertThat(cached.operation().stats().l2Hits()).isGreaterThanOrEqualTo(2); // the user and its departments
        try (Connection c = ctx.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE users SET username = 'changed.outside' WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        SessionDemoService.Result stale = demo.openCached(String.valueOf(id));
        assertThat(stale.user().username()).isNotEqualTo("changed.outside");
        SessionDemoService.Result reloaded = demo.reloadFromDatabase(String.valueOf(id));
        assertThat(reloaded.user().username()).isEqualTo("changed.outside");
        assertThat(reloaded.operation().stats().statements()).isEqualTo(2); // the user row and its departments
        assertThat(reloaded.operation().stats().l2Hits()).isZero();
        assertThat(demo.openCached(reloaded.user().email()).user().username()).isEqualTo("changed.outside");
        assertThatThrownBy(() -> demo.openCached("  ")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> demo.openCached("999999")).hasMessageContaining("No user with id 999999");
        assertThatThrownBy(() -> demo.openCached("nobody")).hasMessageContaining("neither an id");
    }

    @Test
    void samplerKeepsHitRatiosAndPoolFigures() throws Exception {
        start(TestDatabases.h2(dir), 2);
        // a sampler of the test's own, which samples only when asked: the console's samples every second by itself, and
        // a sample of its own between the miss and the hit (or after both) left the last interval at 1.0 (or NaN)
        try (MonitorSampler sampler = new MonitorSampler(ctx.get(CacheStatsService.class), ctx.database()::poolStats,
                java.time.Duration.ofHours(1), java.time.Duration.ofHours(2))) {
            long id = userIds().get(0);
            sampler.sampleNow();
            tx().read("test.warm", s -> s.find(User.class, id));
            tx().read("test.hit", s -> s.find(User.class, id));
            sampler.sampleNow();
            MonitorSampler.RatioPoint last = sampler.hitRatios().get(sampler.hitRatios().size() - 1);
            assertThat(last.l2HitRatio()).isEqualTo(0.5); // one miss, one hit since the previous sample
            assertThat(sampler.latest().pool().max()).isEqualTo(ctx.settings().get(Keys.POOL_MAX_SIZE));
            assertThat(sampler.latest().pool().total()).isGreaterThanOrEqualTo(1);
        }
        // the console's own sampler runs by itself
        org.testfx.util.WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS,
                () -> ctx.get(MonitorSampler.class).history().size() >= 2);
    }
}
