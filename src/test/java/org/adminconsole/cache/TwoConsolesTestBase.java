package org.adminconsole.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Two complete consoles (two SessionFactories, second-level caches, user caches, named values) on one shared
 * database. Subclasses choose the database (H2 TCP server, H2 AUTO_SERVER file, PostgreSQL).
 */
abstract class TwoConsolesTestBase {

    @TempDir Path dir;
    Console a;
    Console b;

    /** The same settings for both consoles. */
    abstract Settings settings(Path dir, Map<String, String> extra);

    void open(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(extra);
        m.putIfAbsent("cache.check.intervalMs", "200");
        Settings s = settings(dir, m);
        a = new Console(s);
        b = new Console(s);
    }

    @AfterEach
    void closeConsoles() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    /** PostgreSQL: NOTIFY triggers a check at once, so "before the next check" cannot be observed there. */
    boolean notifies() {
        return false;
    }

    Connection outside() throws Exception {
        Settings s = a.ctx.settings();
        return org.adminconsole.testing.TestDatabases.connect(s);
    }

    @Test
    void anEditCommittedInOneConsoleIsSeenByTheOthersNextLookupAfterACheck() {
        open(Map.of("cache.check.intervalMs", "3600000")); // only explicit checks: "the next check" is ours
        long id = a.createUser("ann@example.com", Role.USER);
        b.coherence.checkNow(); // absorbs the creation (on PostgreSQL its NOTIFY may arrive any time)
        long adminsBefore = b.admins();
        // B caches the user everywhere: second-level by id and natural id, user cache, named value
        assertThat(b.find(id).role()).isEqualTo(Role.USER);
        long l2Hits = b.statistics().getSecondLevelCacheHitCount();
        assertThat(b.find(id).role()).isEqualTo(Role.USER);
        assertThat(b.statistics().getSecondLevelCacheHitCount()).isGreaterThan(l2Hits);
        assertThat(b.byEmail("ann@example.com")).isPresent();
        assertThat(b.cached(id).fromCache()).isFalse();
        assertThat(b.cached(id).fromCache()).isTrue();
        assertThat(b.admins()).isEqualTo(adminsBefore);
        assertThat(b.values.isCached(Console.ADMINS, null)).isTrue();
        long foreignA = a.foreign();
        long foreignB = b.foreign();

        a.setRole(id, Role.ADMIN);
        a.setEmail(id, "Ann.New@example.com");
        if (!notifies()) {
            // without a check B still serves its caches (the point of caching) ...
            assertThat(b.cached(id).user().role()).isEqualTo(Role.USER);
        }
        TableVersionWatcher.CheckResult r = b.coherence.checkNow();
        if (!notifies()) {
            assertThat(r.foreign()).contains("users");
        }
        assertThat(b.cached(id).fromCache()).isFalse();
        assertThat(b.cached(id).user().role()).isEqualTo(Role.ADMIN);
        assertThat(b.find(id).role()).isEqualTo(Role.ADMIN);
        assertThat(b.find(id).email()).isEqualTo("Ann.New@example.com");
        assertThat(b.byEmail("ann.new@example.com")).map(v -> v.id()).contains(id);
        assertThat(b.byEmail("ann@example.com")).isEmpty();
        assertThat(b.admins()).isEqualTo(adminsBefore + 1);
        assertThat(b.foreign()).isGreaterThan(foreignB);
        // A's own commits are not "from other consoles"
        assertThat(a.coherence.checkNow().foreign()).isEmpty();
        assertThat(a.foreign()).isEqualTo(foreignA);
        // A's caches were updated by its own commits
        assertThat(a.cached(id).user().role()).isEqualTo(Role.ADMIN);
        assertThat(a.admins()).isEqualTo(adminsBefore + 1);
    }

    @Test
    void theScheduledCheckPicksUpAnEditWithoutAnyExplicitCheck() {
        open(Map.of("cache.check.intervalMs", "200"));
        long id = a.createUser("bob@example.com", Role.USER);
        b.coherence.checkNow();
        waitUntil(() -> b.cached(id).fromCache());
        assertThat(b.cached(id).user().role()).isEqualTo(Role.USER);
        long admins = b.admins();
        a.setRole(id, Role.ADMIN);
        waitUntil(() -> b.cached(id).user().role() == Role.ADMIN);
        waitUntil(() -> b.values.isCached(Console.ADMINS, null) == false);
        assertThat(b.admins()).isEqualTo(admins + 1);
    }

    @Test
    void anEditThatIsRolledBackInvalidatesNothing() {
        open(Map.of("cache.check.intervalMs", "3600000"));
        long id = a.createUser("cat@example.com", Role.USER);
        b.coherence.checkNow();
        a.coherence.checkNow();
        b.cached(id);
        b.admins();
        a.admins();
        long invB = b.values.stats().invalidations();
        long invA = a.values.stats().invalidations();
        long foreignB = b.foreign();
        Map<String, Long> versions = b.coherence.watcher().knownVersions();

        assertThatThrownBy(() -> a.tx.writeVoid("test.cancelled", s -> {
            s.find(User.class, id).setRole(Role.ADMIN);
            s.flush();
            s.createNativeQuery("UPDATE users SET quota = 5 WHERE id = " + id).addSynchronizedQuerySpace("users").executeUpdate();
            throw new IllegalStateException("operator cancelled");
        })).hasMessageContaining("operator cancelled");

        assertThat(b.coherence.checkNow().changed()).isFalse();
        assertThat(b.coherence.watcher().knownVersions()).isEqualTo(versions);
        assertThat(b.foreign()).isEqualTo(foreignB);
        assertThat(b.cached(id).fromCache()).isTrue();
        assertThat(b.values.isCached(Console.ADMINS, null)).isTrue();
        assertThat(b.values.stats().invalidations()).isEqualTo(invB);
        assertThat(a.values.stats().invalidations()).isEqualTo(invA);
        assertThat(b.find(id).role()).isEqualTo(Role.USER);
    }

    @Test
    void optimisticLockingStillGuardsAnEditMadeFromAnOlderCopy() {
        open(Map.of("cache.check.intervalMs", "3600000"));
        long id = a.createUser("ole@example.com", Role.USER);
        User stale = a.tx.read("test.load", s -> s.find(User.class, id)); // detached copy, as an editor form holds it
        b.setRole(id, Role.GUEST);
        stale.setRole(Role.ADMIN);
        assertThatThrownBy(() -> a.tx.writeVoid("test.save", s -> s.merge(stale)))
                .isInstanceOf(jakarta.persistence.OptimisticLockException.class);
        a.coherence.checkNow();
        assertThat(a.find(id).role()).isEqualTo(Role.GUEST);
        assertThat(b.find(id).role()).isEqualTo(Role.GUEST);
    }

    @Test
    void aWriteOutsideAnyConsoleIsDetectedToo() throws Exception {
        open(Map.of("cache.check.intervalMs", "3600000"));
        long id = a.createUser("dan@example.com", Role.USER);
        b.coherence.checkNow();
        a.coherence.checkNow();
        assertThat(b.cached(id).user().role()).isEqualTo(Role.USER);
        assertThat(a.find(id).role()).isEqualTo(Role.USER);
        long admins = a.admins();
        long foreignA = a.foreign();
        try (Connection c = outside(); PreparedStatement ps = c.prepareStatement("UPDATE users SET role = 'ADMIN' WHERE id = ?")) {
            ps.setLong(1, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        TableVersionWatcher.CheckResult ra = a.coherence.checkNow();
        TableVersionWatcher.CheckResult rb = b.coherence.checkNow();
        if (!notifies()) {
            assertThat(ra.foreign()).contains("users");
            assertThat(rb.foreign()).contains("users");
        }
        assertThat(a.foreign()).isGreaterThan(foreignA);
        assertThat(a.find(id).role()).isEqualTo(Role.ADMIN);
        assertThat(b.cached(id).user().role()).isEqualTo(Role.ADMIN);
        assertThat(a.admins()).isEqualTo(admins + 1);
    }

    /**
     * The department list is a cacheable query: the second listing is a query-cache hit with no SQL, and a change
     * made by another console (here a plain JDBC write, as psql would) evicts the query results at the next check,
     * so the list shows the new name, never the old one.
     */
    @Test
    void theDepartmentListComesFromTheQueryCacheUntilAnotherConsoleChangesIt() throws Exception {
        open(Map.of("cache.check.intervalMs", "3600000"));
        try (Connection c = outside(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO departments (name, description) VALUES ('Query cache', 'before')");
        }
        a.coherence.checkNow();
        org.adminconsole.service.users.UserListing listing = a.ctx.get(org.adminconsole.service.users.UserListing.class);
        List<org.adminconsole.domain.DepartmentView> first = listing.departments();
        long hits = a.statistics().getQueryCacheHitCount();
        long statements = a.statistics().getPrepareStatementCount();
        assertThat(listing.departments()).isEqualTo(first);
        assertThat(a.statistics().getQueryCacheHitCount()).as("query cache hits").isEqualTo(hits + 1);
        assertThat(a.statistics().getPrepareStatementCount()).as("statements for the cached list").isEqualTo(statements);

        try (Connection c = outside(); java.sql.Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE departments SET name = 'Renamed elsewhere', version = version + 1"
                    + " WHERE name = 'Query cache'")).isEqualTo(1);
        }
        a.coherence.checkNow();
        assertThat(listing.departments()).extracting(org.adminconsole.domain.DepartmentView::name)
                .contains("Renamed elsewhere").doesNotContain("Query cache");
    }

    /**
     * An operation whose session began before an eviction loads a row afterwards: it must not put it into the
     * second-level cache (it could be older than the change that caused the eviction), while an operation that
     * began after the eviction caches normally.
     */
    @Test
    void anOperationThatBeganBeforeAnEvictionCannotPutItsRowBack() throws Exception {
        open(Map.of("cache.check.intervalMs", "3600000"));
        long id = a.createUser("hub@example.com", Role.USER);
        long other = a.createUser("ivy@example.com", Role.USER);
        b.coherence.checkNow();
        b.find(id);
        b.find(id); // cached in B
        java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        var userRegion = b.statistics().getDomainDataRegionStatistics(User.class.getName());
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Long> early = ex.submit(() -> b.tx.read("test.early", s -> {
                opened.countDown();
                go.await(10, TimeUnit.SECONDS);
                s.find(User.class, id); // loads from the database after the eviction, then tries to cache it
                loaded.countDown();
                finish.await(10, TimeUnit.SECONDS);
                return 0L;
            }));
            assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
            try (Connection c = outside(); PreparedStatement ps = c.prepareStatement("UPDATE users SET quota = 7 WHERE id = ?")) {
                ps.setLong(1, other); // another row of the same table: B must evict the region
                ps.executeUpdate();
            }
            b.coherence.watcher().checkNow(); // the eviction, while "early" is open
            go.countDown();
            assertThat(loaded.await(10, TimeUnit.SECONDS)).isTrue();
            // while "early" still runs (before any re-eviction at its end), a new operation misses
            long hits = userRegion.getHitCount();
            b.find(id);
            assertThat(userRegion.getHitCount()).as("the early operation's put was refused").isEqualTo(hits);
            b.find(id);
            assertThat(userRegion.getHitCount()).as("a later operation caches again").isGreaterThan(hits);
            finish.countDown();
            early.get(10, TimeUnit.SECONDS);
        } finally {
            finish.countDown();
            ex.shutdown();
        }
    }

    /**
     * Writers in both consoles increment one user's quota (read-modify-write under optimistic locking, so
     * the committed values rise in commit order); readers in both consoles note the highest value whose
     * commit had finished, run a complete check, then read through every cache: never anything lower.
     */
    @Test
    void randomizedNeverObservesAValueOlderThanTheLastCommitBeforeTheCheck() throws Exception {
        open(Map.of("cache.check.intervalMs", "100"));
        long id = a.createUser("eve@example.com", Role.USER);
        AtomicLong finished = new AtomicLong();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicLong reads = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> futures = new ArrayList<>();
        for (Console writer : List.of(a, b)) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        BigDecimal v = writer.tx.write("test.increment", s -> {
                            User u = s.find(User.class, id);
                            u.setQuota(u.getQuota().add(BigDecimal.ONE));
                            return u.getQuota();
                        });
                        finished.accumulateAndGet(v.longValue(), Math::max);
                    } catch (RuntimeException conflict) {
                        // optimistic lock conflict with the other writer: try again
                    }
                    sleepRandom();
                }
                return null;
            }));
        }
        for (Console reader : List.of(a, b, a, b)) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    long floor = finished.get();
                    reader.coherence.checkNow();
                    long viaUserCache = reader.cached(id).user().quota().longValue();
                    long viaL2 = reader.find(id).quota().longValue();
                    long viaValue = reader.values.get(Console.QUOTA, id).longValue();
                    long viaEmail = reader.byEmail("eve@example.com").orElseThrow().quota().longValue();
                    reads.incrementAndGet();
                    if (viaUserCache < floor || viaL2 < floor || viaValue < floor || viaEmail < floor) {
                        violations.add("floor " + floor + ": user cache " + viaUserCache + ", L2 " + viaL2
                                + ", named value " + viaValue + ", by email " + viaEmail);
                    }
                    sleepRandom();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(finished.get()).as("commits").isGreaterThan(10);
        assertThat(reads.get()).as("reads").isGreaterThan(10);
        assertThat(violations).isEmpty();
    }

    static void sleepRandom() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void waitUntil(java.util.concurrent.Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("condition not met within 20 s", e);
        }
    }
}
