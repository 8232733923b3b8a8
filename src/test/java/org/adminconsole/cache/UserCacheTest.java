package org.adminconsole.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.adminconsole.AppContext;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserForm;
import org.adminconsole.service.users.UserPage;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.service.users.UserListing;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.service.users.UserLookup;
import org.adminconsole.service.users.UserBulk;
import org.adminconsole.testing.TestDatabases;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The explicit user cache against a real H2 database, through the user service. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserCacheTest {

    AppContext ctx;
    UserListing listing;
    UserEditing editing;
    UserBulk bulk;
    UserCache cache;
    List<UserView> sample;

    @BeforeAll
    void open() {
        ctx = AppContext.start(TestDatabases.h2(TestDatabases.tempDir("user-cache"), Map.of("db.seed.users", "500")));
        listing = ctx.get(UserListing.class);
        editing = ctx.get(UserEditing.class);
        bulk = ctx.get(UserBulk.class);
        cache = ctx.get(UserCache.class);
        sample = listing.page(UserQuery.all(), UserPage.Nav.FIRST, null, 100).rows();
    }

    @AfterAll
    void close() {
        ctx.close();
    }

    UserView save(UserForm f) {
        SaveResult r = editing.save(f);
        assertThat(r).isInstanceOf(SaveResult.Saved.class);
        return ((SaveResult.Saved) r).user();
    }

    static UserForm withEmail(UserForm f, String email) {
        return new UserForm(f.id(), f.version(), email, f.username(), f.role(), f.active(), f.quota(), f.usage(), f.departmentIds(), f.settings());
    }

    static UserForm withQuota(UserForm f, String quota) {
        return new UserForm(f.id(), f.version(), f.email(), f.username(), f.role(), f.active(), quota, f.usage(), f.departmentIds(), f.settings());
    }

    @Test
    void secondLookupIsAHitWithoutAnySelect() {
        long id = sample.get(0).id();
        Statistics stats = ctx.database().statistics();
        UserLookup first = editing.open(id).orElseThrow();
        long statements = stats.getPrepareStatementCount();
        long sessions = stats.getSessionOpenCount();
        long sqlEvents = ctx.database().sqlMonitor().snapshot().size();
        long hits = cache.stats().hits();
        UserLookup second = editing.open(id).orElseThrow();
        UserLookup byEmail = editing.openByEmail(first.user().email().toUpperCase()).orElseThrow();
        assertThat(second.fromCache()).isTrue();
        assertThat(byEmail.fromCache()).isTrue();
        assertThat(second.user()).isEqualTo(first.user());
        assertThat(stats.getPrepareStatementCount()).isEqualTo(statements);
        assertThat(stats.getSessionOpenCount()).isEqualTo(sessions);
        assertThat(ctx.database().sqlMonitor().snapshot().size()).isEqualTo(sqlEvents);
        assertThat(cache.stats().hits()).isEqualTo(hits + 2);
    }

    @Test
    void afterAnEmailChangeTheOldEmailMissesAndTheNewOneReturnsTheNewData() {
        UserView u = sample.get(1);
        String oldEmail = u.email();
        assertThat(editing.openByEmail(oldEmail)).isPresent();
        assertThat(editing.openByEmail(oldEmail).orElseThrow().fromCache()).isTrue();
        UserView changed = save(withEmail(UserForm.of(editing.open(u.id()).orElseThrow().user()), "Renamed.Person@Example.com"));
        assertThat(editing.openByEmail(oldEmail)).isEmpty();
        UserLookup byNew = editing.openByEmail("renamed.person@example.com").orElseThrow();
        assertThat(byNew.fromCache()).isFalse();
        assertThat(byNew.user().email()).isEqualTo("Renamed.Person@Example.com");
        assertThat(byNew.user().version()).isEqualTo(changed.version());
        assertThat(editing.open(u.id()).orElseThrow().user().email()).isEqualTo("Renamed.Person@Example.com");
        assertThat(editing.openByEmail(oldEmail)).isEmpty();
    }

    @Test
    void aRolledBackEditLeavesTheCacheAsItWas() {
        UserView u = editing.open(sample.get(2).id()).orElseThrow().user();
        editing.open(u.id());
        UserCache.Stats before = cache.stats();
        assertThatThrownBy(() -> ctx.database().transactions().writeVoid("test.failingEdit", s -> {
            User entity = s.find(User.class, u.id());
            entity.setEmail("rolled.back@example.com");
            entity.setActive(!entity.isActive());
            s.flush();
            throw new IllegalStateException("boom after flush");
        })).hasMessageContaining("boom");
        // a refused save (duplicate email found inside the write) also rolls back
        SaveResult dup = editing.save(withEmail(UserForm.of(u), sample.get(3).email().toUpperCase()));
        assertThat(dup).isInstanceOf(SaveResult.Invalid.class);
        // seen once on a loaded CI run (2026-12-01): the entry was gone although nothing here committed. The clear came
        // from the coherence check seeing another test's UPDATE behind the console's back (see the @AfterEach below);
        // should anything else ever clear it, a failure says what: the cache's counters and the check's foreign count
        java.util.function.Supplier<String> why = () -> "user cache " + cache.stats() + " (before: " + before + "), coherence "
                + ctx.get(CoherenceService.class).status();
        assertThat(cache.peek(u.id())).as(why).contains(u);
        assertThat(cache.stats().evictions()).as(why).isEqualTo(before.evictions());
        UserLookup again = editing.open(u.id()).orElseThrow();
        assertThat(again.fromCache()).isTrue();
        assertThat(again.user()).isEqualTo(u);
        assertThat(editing.openByEmail("rolled.back@example.com")).isEmpty();
    }

    @Test
    void aLoaderThatServesARowOlderThanTheLastCommitIsNotCached() {
        UserView before = editing.open(sample.get(5).id()).orElseThrow().user();
        UserView after = save(withQuota(UserForm.of(before), "4321"));
        assertThat(after.version()).isGreaterThan(before.version());
        UserCache.Stats stats = cache.stats();
        // a source below the cache (say, a second-level entry put late) hands back the pre-commit row: with no
        // other source it is returned once but never cached
        UserCache.Lookup stale = cache.byId(before.id(), id -> Optional.of(before)).orElseThrow();
        assertThat(stale.fromCache()).isFalse();
        assertThat(cache.peek(before.id())).isEmpty();
        assertThat(cache.stats().staleLoads()).isEqualTo(stats.staleLoads() + 1);
        assertThat(cache.stats().droppedPuts()).isEqualTo(stats.droppedPuts() + 1);
        // with a database loader, that one answers instead, and its copy is cached
        UserCache.Lookup healed = cache.byEmail(before.email(), k -> Optional.of(before), k -> Optional.of(after)).orElseThrow();
        assertThat(healed.user()).isEqualTo(after);
        assertThat(cache.peek(before.id())).contains(after);
        UserLookup again = editing.open(before.id()).orElseThrow();
        assertThat(again.fromCache()).isTrue();
        assertThat(again.user()).isEqualTo(after);
    }

    @Test
    void aBulkActionAlsoLeavesAFloorForEveryChangedUser() {
        UserView before = editing.open(sample.get(6).id()).orElseThrow().user();
        org.adminconsole.service.users.BulkAction flip = org.adminconsole.service.users.BulkAction.onIds(before.active()
                ? org.adminconsole.service.users.BulkAction.Kind.DEACTIVATE : org.adminconsole.service.users.BulkAction.Kind.ACTIVATE,
                null, List.of(before.id()));
        assertThat(bulk.apply(flip)).isEqualTo(1);
        assertThat(cache.byId(before.id(), id -> Optional.of(before)).orElseThrow().fromCache()).isFalse();
        assertThat(cache.peek(before.id())).isEmpty();
        UserView now = editing.open(before.id()).orElseThrow().user();
        assertThat(now.active()).isNotEqualTo(before.active());
        assertThat(now.version()).isGreaterThan(before.version());
    }

    /**
     * A bulk action's native UPDATE makes Hibernate empty the User region at commit; an operation that began
     * before that commit must not be able to refill it with what it read (the coherence service fences it).
     */
    @Test
    void anOperationRunningAcrossABulkCommitCannotPutItsRowIntoTheSecondLevelCache() throws Exception {
        long id = sample.get(7).id();
        UserView before = editing.open(id).orElseThrow().user();
        var region = ctx.database().statistics().getDomainDataRegionStatistics(User.class.getName());
        org.adminconsole.persistence.Transactions tx = ctx.database().transactions();
        tx.read("test.warm", s -> s.find(User.class, id));
        java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Long> early = ex.submit(() -> tx.read("test.early", s -> {
                opened.countDown();
                go.await(10, TimeUnit.SECONDS);
                long v = s.find(User.class, id).getVersion(); // loads after the bulk commit, then tries to cache it
                loaded.countDown();
                finish.await(10, TimeUnit.SECONDS);
                return v;
            }));
            assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
            org.adminconsole.service.users.BulkAction flip = org.adminconsole.service.users.BulkAction.onIds(before.active()
                    ? org.adminconsole.service.users.BulkAction.Kind.DEACTIVATE : org.adminconsole.service.users.BulkAction.Kind.ACTIVATE,
                    null, List.of(id));
            assertThat(bulk.apply(flip)).isEqualTo(1);
            go.countDown();
            assertThat(loaded.await(10, TimeUnit.SECONDS)).isTrue();
            long hits = region.getHitCount();
            User seen = tx.read("test.after", s -> s.find(User.class, id));
            assertThat(seen.isActive()).isNotEqualTo(before.active());
            assertThat(region.getHitCount()).as("the early operation's put was refused").isEqualTo(hits);
            tx.read("test.again", s -> s.find(User.class, id));
            assertThat(region.getHitCount()).as("a later operation caches again").isGreaterThan(hits);
            finish.countDown();
            assertThat(early.get(10, TimeUnit.SECONDS)).isGreaterThan(before.version());
        } finally {
            finish.countDown();
            ex.shutdown();
        }
    }

    /**
     * The interleaving behind a stale read seen once on a clean-clone CI run of the test below: the second-level
     * cache still held version n after n + 1 was committed; the user cache saw that the loaded copy was below the
     * version floor and asked the database again, but with {@code Session.setCacheMode(REFRESH)}, which Hibernate
     * 7.4's {@code find} ignores, so the re-read was the same stale entry. Made deterministic here: the row changes
     * behind Hibernate's back and the floor is raised as a commit raises it.
     */
    @Test
    void aUserOlderThanTheLastCommitIsReadAgainFromTheDatabaseByIdAndByEmail() throws Exception {
        UserView u = sample.get(30);
        editing.open(u.id()); // now in the second-level cache (and the user cache)
        long newer = u.version() + 1;
        try (var c = ctx.database().dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE users SET quota = quota + 1, version = " + newer + " WHERE id = " + u.id());
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        cache.evict(List.of(u.id()), List.of(u.email()), Map.of(u.id(), newer));
        assertThat(editing.open(u.id()).orElseThrow().user().version()).as("by id").isEqualTo(newer);
        long newest = newer + 1;
        try (var c = ctx.database().dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE users SET quota = quota + 1, version = " + newest + " WHERE id = " + u.id());
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        cache.evict(List.of(u.id()), List.of(u.email()), Map.of(u.id(), newest));
        assertThat(editing.openByEmail(u.email()).orElseThrow().user().version()).as("by email").isEqualTo(newest);
    }

    /**
     * The UPDATEs above bypass the console, so its table-version check takes them for another console's and empties the
     * user cache when it next runs (every second). Left to the schedule, that clear landed inside a later test of this
     * class between a load and the lookup expected to hit it (CI of 2026-12-01: afterAnEmailChange... saw a miss; earlier
     * aRolledBackEdit... saw its entry gone). The test that wrote behind the console's back lets it see that write now.
     */
    @org.junit.jupiter.api.AfterEach
    void letTheConsoleSeeWritesMadeBehindItsBack() {
        ctx.get(CoherenceService.class).checkNow();
    }

    @Test
    void concurrentEditsAndLookupsNeverSeeAValueOlderThanTheLastCommit() throws Exception {
        List<Long> ids = sample.subList(10, 14).stream().map(UserView::id).toList();
        Map<Long, Long> committed = new ConcurrentHashMap<>();
        for (Long id : ids) {
            committed.put(id, editing.open(id).orElseThrow().user().version());
        }
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicInteger saves = new AtomicInteger();
        AtomicInteger lookups = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = 42 + t;
            futures.add(pool.submit(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                for (int i = 0; i < 150; i++) {
                    long id = ids.get(rnd.nextInt(ids.size()));
                    if (rnd.nextInt(3) == 0) {
                        UserView current = editing.open(id).orElseThrow().user();
                        SaveResult r = editing.save(withQuota(UserForm.of(current), String.valueOf(rnd.nextInt(100_000))));
                        if (r instanceof SaveResult.Saved s) {
                            committed.merge(id, s.user().version(), Math::max);
                            saves.incrementAndGet();
                        }
                    } else {
                        long floor = committed.get(id);
                        boolean byId = rnd.nextBoolean();
                        UserLookup l = (byId ? editing.open(id) : editing.openByEmail(emailOf(id))).orElseThrow();
                        UserView seen = l.user();
                        lookups.incrementAndGet();
                        if (seen.version() < floor) {
                            violations.add("user " + id + ": saw version " + seen.version() + " after version " + floor
                                    + " committed (" + (byId ? "by id" : "by email") + ", from " + (l.fromCache() ? "the user cache" : "a load")
                                    + "; cached now: " + cache.peek(id).map(UserView::version).orElse(null) + ")");
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(violations.size()).as("stale reads, the first: %s", violations.stream().limit(3).toList()).isZero();
        assertThat(saves.get()).isGreaterThan(20);
        assertThat(lookups.get()).isGreaterThan(200);
        assertThat(cache.stats().hits()).isGreaterThan(0);
        for (Long id : ids) {
            assertThat(editing.open(id).orElseThrow().user().version()).isEqualTo(committed.get(id));
        }
    }

    private String emailOf(long id) {
        return sample.stream().filter(u -> u.id() == id).findFirst().orElseThrow().email();
    }
}
