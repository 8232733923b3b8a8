package org.adminconsole.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.adminconsole.AppContext;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserForm;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Caches that load once: concurrent misses of one key run one load and share it; a missing user is remembered
 * briefly and forgotten when it is created; the TTL and the size bound of the user cache work as configured;
 * named values refuse lazy results.
 */
class LoadOnceTest {

    @TempDir Path dir;

    private static UserView user(long id, String email) {
        return new UserView(id, email, "u" + id, Role.USER, true, BigDecimal.TEN, BigDecimal.ONE, null, List.of(),
                LocalDateTime.now(), LocalDateTime.now(), "t", "t", null, 1L);
    }

    @Test
    void eightConcurrentMissesOfOneUserRunOneLoad() throws Exception {
        UserCache cache = new UserCache(100, Duration.ofMinutes(5));
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Optional<UserCache.Lookup>>> lookups = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lookups.add(CompletableFuture.supplyAsync(() -> cache.byId(7, id -> {
                loads.incrementAndGet();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.of(user(id, "seven@example.com"));
            })));
        }
        // one thread loads, the seven others have joined its load
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> loads.get() == 1 && cache.joining.get() == 7);
        release.countDown();
        for (var l : lookups) {
            assertThat(l.get(30, TimeUnit.SECONDS)).map(x -> x.user().id()).contains(7L);
        }
        assertThat(loads).hasValue(1);
        assertThat(cache.stats().loads()).isEqualTo(1);
        assertThat(cache.stats().sharedLoads()).isEqualTo(7);
        cache.close();
    }

    @Test
    void aLoadThatBeganBeforeAnEvictionIsNotShared() throws Exception {
        UserCache cache = new UserCache(100, Duration.ofMinutes(5));
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Optional<UserCache.Lookup>> first = CompletableFuture.supplyAsync(() -> cache.byId(9, id -> {
            inFirst.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(user(id, "old@example.com"));
        }));
        inFirst.await(30, TimeUnit.SECONDS);
        cache.evict(List.of(9L), List.of()); // a commit changed user 9 while the first load ran
        Optional<UserCache.Lookup> second = cache.byId(9, id -> Optional.of(user(id, "new@example.com")));
        assertThat(second).map(x -> x.user().email()).contains("new@example.com");
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        assertThat(cache.peek(9)).map(UserView::email).contains("new@example.com");
        cache.close();
    }

    @Test
    void aMissingUserIsLookedUpOnceAndFoundOnceCreated() {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.seed.users", "10")))) {
            UserEditing editing = ctx.get(UserEditing.class);
            UserCache cache = ctx.get(UserCache.class);
            long loadsBefore = cache.stats().loads();
            for (int i = 0; i < 10; i++) {
                assertThat(editing.openByEmail("Later@Example.com")).isEmpty();
                assertThat(editing.open(987_654)).isEmpty();
            }
            assertThat(cache.stats().loads() - loadsBefore).as("one query per missing key").isEqualTo(2);
            assertThat(cache.stats().absentHits()).isEqualTo(18);
            SaveResult r = editing.save(new UserForm(null, 0, "later@example.com", "later", Role.USER, true, "1", "0", java.util.Set.of(), null));
            assertThat(r).isInstanceOf(SaveResult.Saved.class);
            assertThat(editing.openByEmail("later@example.com")).map(l -> l.user().username()).contains("later");
        }
    }

    @Test
    void absenceMemoryCanBeSwitchedOffBySetting() {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("cache.user.absentTtlSeconds", "0")))) {
            UserEditing editing = ctx.get(UserEditing.class);
            UserCache cache = ctx.get(UserCache.class);
            long loadsBefore = cache.stats().loads();
            for (int i = 0; i < 3; i++) {
                assertThat(editing.open(987_654)).isEmpty();
            }
            assertThat(cache.stats().loads() - loadsBefore).as("no absence kept: one query per look-up").isEqualTo(3);
            assertThat(cache.stats().absentHits()).isZero();
        }
    }

    @Test
    void entriesAndAbsencesExpireWithTheirTtl() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        UserCache cache = new UserCache(100, Duration.ofSeconds(300), Duration.ofSeconds(10), now::get);
        AtomicInteger loads = new AtomicInteger();
        cache.byId(1, id -> {
            loads.incrementAndGet();
            return Optional.of(user(id, "one@example.com"));
        });
        cache.byId(2, id -> {
            loads.incrementAndGet();
            return Optional.empty();
        });
        assertThat(cache.byId(1, id -> Optional.empty())).map(UserCache.Lookup::fromCache).contains(true);
        assertThat(cache.byId(2, id -> Optional.of(user(id, "two@example.com")))).isEmpty(); // remembered as missing
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(cache.byId(2, id -> Optional.of(user(id, "two@example.com")))).as("absence expired")
                .map(l -> l.user().email()).contains("two@example.com");
        assertThat(cache.byId(1, id -> Optional.empty())).as("entry still within 300 s").isPresent();
        now.addAndGet(Duration.ofSeconds(300).toNanos());
        assertThat(cache.peek(1)).as("entry expired").isEmpty();
        cache.close();
    }

    @Test
    void theSizeBoundHolds() {
        UserCache cache = new UserCache(10, Duration.ofMinutes(5));
        for (long id = 1; id <= 50; id++) {
            cache.byId(id, i -> Optional.of(user(i, "u" + i + "@example.com")));
        }
        assertThat(cache.stats().size()).isLessThanOrEqualTo(10).isGreaterThan(0);
        cache.close();
    }

    @Test
    void fourConcurrentMissesOfANamedValueRunOneLoadAndLazyResultsAreRefused() throws Exception {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.seed.users", "10")))) {
            NamedValues values = ctx.get(NamedValues.class);
            AtomicInteger loads = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            NamedValue<Void, Long> slow = values.declare(NamedValue.of("test.slowCount", s -> {
                loads.incrementAndGet();
                release.await(30, TimeUnit.SECONDS);
                return s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult();
            }).onTables("users"));
            List<CompletableFuture<Long>> gets = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                gets.add(CompletableFuture.supplyAsync(() -> values.get(slow)));
            }
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> loads.get() == 1 && values.joining.get() == 3);
            release.countDown();
            for (var g : gets) {
                assertThat(g.get(30, TimeUnit.SECONDS)).isEqualTo(10);
            }
            assertThat(loads).hasValue(1);
            assertThat(values.stats().sharedLoads()).isEqualTo(3);

            NamedValue<Void, Stream<String>> lazy = NamedValue.<Stream<String>>of("test.lazy",
                    s -> s.createSelectionQuery("select u.email from User u", String.class).getResultStream()).onTables("users");
            assertThatThrownBy(() -> values.get(lazy)).isInstanceOf(CachedEntityException.class)
                    .hasMessageContaining("lazy").hasMessageContaining("toList()");
        }
    }

    @Test
    void aValueWithoutAPolicyOrANameTakenTwiceIsRefused() {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.seed.users", "0")))) {
            NamedValues values = ctx.get(NamedValues.class);
            assertThatThrownBy(() -> values.declare(NamedValue.of("test.noPolicy", s -> 1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no invalidation policy");
            values.declare(NamedValue.of("test.twice", s -> 1).onTables("users"));
            assertThatThrownBy(() -> values.declare(NamedValue.of("test.twice", s -> 2).onTables("users")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already declared");
        }
    }
}
