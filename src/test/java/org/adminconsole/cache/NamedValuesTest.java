package org.adminconsole.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.audit.EntityChange;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named values in one console on a real H2 file database. */
class NamedValuesTest {

    @TempDir Path dir;
    Console c;
    NamedValues values;
    long id;

    @BeforeEach
    void start() {
        c = new Console(TestDatabases.h2(dir, Map.of("cache.check.intervalMs", "3600000")));
        values = c.values;
        id = c.createUser("gil@example.com", Role.USER);
        c.createUser("hal@example.com", Role.ADMIN);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private NamedValue<Void, Long> counting(String name, AtomicInteger loads, String... tables) {
        return NamedValue.of(name, s -> {
            loads.incrementAndGet();
            return s.createSelectionQuery("select count(u) from User u where u.role = :r", Long.class)
                    .setParameter("r", Role.ADMIN).getSingleResult();
        }).onTables(tables);
    }

    @Test
    void servedFromTheProcessCacheUntilAListedTableChangesButNotAnotherTable() {
        AtomicInteger loads = new AtomicInteger();
        NamedValue<Void, Long> admins = counting("admins", loads, "users");
        assertThat(values.get(admins)).isEqualTo(1);
        assertThat(values.get(admins)).isEqualTo(1);
        assertThat(loads).hasValue(1);

        c.tx.writeVoid("test.renameDepartment", s -> s.createSelectionQuery("from Department order by id", Department.class)
                .setMaxResults(1).getSingleResult().setDescription("renamed"));
        assertThat(values.get(admins)).isEqualTo(1);
        assertThat(loads).as("a change of departments does not drop a value on users").hasValue(1);

        c.setRole(id, Role.ADMIN);
        assertThat(values.isCached(admins, null)).isFalse();
        assertThat(values.get(admins)).isEqualTo(2);
        assertThat(loads).hasValue(2);
        NamedValues.ValueStats st = values.stats(admins).orElseThrow();
        assertThat(st.hits()).isEqualTo(2);
        assertThat(st.misses()).isEqualTo(2);
        assertThat(st.invalidations()).isEqualTo(1);
        assertThat(st.policy()).isEqualTo("on change of users");
    }

    @Test
    void aPredicatePolicyFiresOnlyWhenTheChangeMatches() {
        AtomicInteger loads = new AtomicInteger();
        NamedValue<Void, Long> admins = NamedValue.of("admins.byRole", s -> {
            loads.incrementAndGet();
            return s.createSelectionQuery("select count(u) from User u where u.role = :r", Long.class)
                    .setParameter("r", Role.ADMIN).getSingleResult();
        }).onChange("users", ch -> ch.entity().equals("User") && (ch.action() != EntityChange.Action.UPDATE || ch.changed("role")));
        values.get(admins);
        c.tx.writeVoid("test.quota", s -> s.find(User.class, id).setQuota(new BigDecimal("42.00")));
        assertThat(values.isCached(admins, null)).as("a quota change is not a role change").isTrue();
        values.get(admins);
        assertThat(loads).hasValue(1);

        c.setRole(id, Role.OPERATOR);
        assertThat(values.isCached(admins, null)).isFalse();
        values.get(admins);
        assertThat(loads).hasValue(2);

        // a write without entity details (bulk / native SQL on the table) counts as matching
        c.tx.writeVoid("test.native", s -> {
            s.createNativeQuery("UPDATE users SET usage_amount = 1 WHERE id = " + id)
                    .addSynchronizedQuerySpace("users").executeUpdate();
            c.tx.current().orElseThrow().touch("users");
        });
        assertThat(values.isCached(admins, null)).isFalse();
    }

    @Test
    void anOperationsOwnUnflushedEditIsVisibleAndNeverLeaksIntoTheProcessCache() {
        NamedValue<Void, Long> admins = counting("admins.own", new AtomicInteger(), "users");
        assertThat(values.get(admins)).isEqualTo(1);
        long inside = c.tx.write("test.promote", s -> {
            assertThat(values.get(admins)).isEqualTo(1);
            s.find(User.class, id).setRole(Role.ADMIN); // not flushed
            return values.get(admins);
        });
        assertThat(inside).isEqualTo(2);
        assertThat(values.get(admins)).isEqualTo(2);

        // an edit that is rolled back: seen inside, gone afterwards
        assertThatThrownBy(() -> c.tx.writeVoid("test.demote", s -> {
            s.find(User.class, id).setRole(Role.GUEST);
            assertThat(values.get(admins)).isEqualTo(1);
            throw new IllegalStateException("cancelled");
        })).hasMessage("cancelled");
        assertThat(values.get(admins)).isEqualTo(2);
    }

    @Test
    void sqlThatAWriteDidNotDeclareNeitherLeaksNorConfusesTheVersionCheck() {
        NamedValue<Void, Long> admins = counting("admins.undeclared", new AtomicInteger(), "users");
        assertThat(values.get(admins)).isEqualTo(1);
        Map<String, Long> versions = c.coherence.watcher().knownVersions();
        assertThatThrownBy(() -> c.tx.writeVoid("test.undeclared", s -> {
            s.createNativeQuery("UPDATE users SET role = 'ADMIN' WHERE id = " + id).addSynchronizedQuerySpace("users").executeUpdate();
            assertThat(values.get(admins)).as("the operation sees its own SQL").isEqualTo(2);
            throw new IllegalStateException("cancelled");
        })).hasMessage("cancelled");
        assertThat(c.coherence.watcher().knownVersions()).isEqualTo(versions);
        assertThat(values.get(admins)).isEqualTo(1);
        c.setRole(id, Role.ADMIN);
        assertThat(values.get(admins)).isEqualTo(2);
    }

    @Test
    void withinOneOperationTheSameValueIsReturnedEachTime() {
        AtomicInteger loads = new AtomicInteger();
        NamedValue<Void, List<String>> emails = NamedValue.of("emails", s -> {
            loads.incrementAndGet();
            return List.copyOf(s.createSelectionQuery("select u.email from User u order by u.id", String.class).getResultList());
        }).onTables("users");
        c.tx.read("test.twice", s -> {
            List<String> first = values.get(emails);
            // a change committed meanwhile by another program does not change the value within this operation
            var st = c.ctx.settings();
            try (var conn = org.adminconsole.testing.TestDatabases.connect(st);
                 var stmt = conn.createStatement()) {
                stmt.executeUpdate("UPDATE users SET email = 'gil2@example.com', email_key = 'gil2@example.com' WHERE id = " + id);
            }
            assertThat(values.get(emails)).isSameAs(first).contains("gil@example.com");
            return null;
        });
        assertThat(loads).hasValue(1);
        assertThat(values.stats().memoHits()).isEqualTo(1);
        // the next operation sees the change
        assertThat(values.get(emails)).contains("gil2@example.com");
        assertThat(loads).hasValue(2);
    }

    @Test
    void perRoleVariantsAreCachedSeparately() {
        AtomicInteger loads = new AtomicInteger();
        NamedValue<Role, Long> byRole = NamedValue.<Role, Long>keyed("users.byRole", (s, role) -> {
            loads.incrementAndGet();
            return s.createSelectionQuery("select count(u) from User u where u.role = :r", Long.class)
                    .setParameter("r", role).getSingleResult();
        }).onTables("users");
        assertThat(values.get(byRole, Role.ADMIN)).isEqualTo(1);
        assertThat(values.get(byRole, Role.USER)).isEqualTo(1);
        assertThat(values.get(byRole, Role.GUEST)).isZero();
        assertThat(values.get(byRole, Role.ADMIN)).isEqualTo(1);
        assertThat(loads).hasValue(3);
        assertThat(values.stats(byRole).orElseThrow().entries()).isEqualTo(3);
    }

    @Test
    void cachingAnEntityIsRefusedWithAClearMessage() {
        NamedValue<Void, User> entity = NamedValue.of("bad.entity", s -> s.find(User.class, id)).onTables("users");
        assertThatThrownBy(() -> values.get(entity)).isInstanceOf(CachedEntityException.class)
                .hasMessageContaining("bad.entity").hasMessageContaining(User.class.getName()).hasMessageContaining("toView");
        NamedValue<Void, List<User>> list = NamedValue.of("bad.list",
                s -> List.of(s.find(User.class, id))).onTables("users");
        assertThatThrownBy(() -> values.get(list)).isInstanceOf(CachedEntityException.class).hasMessageContaining("value[0]");
        NamedValue<Void, Map<String, Object>> map = NamedValue.of("bad.map",
                s -> Map.<String, Object>of("who", Optional.of(s.getReference(User.class, id)))).onTables("users");
        assertThatThrownBy(() -> values.get(map)).isInstanceOf(CachedEntityException.class).hasMessageContaining("value[who]");
        record Holder(String label, Object inner) { }
        NamedValue<Void, Holder> rec = NamedValue.of("bad.record",
                s -> new Holder("x", s.find(User.class, id).getDepartments())).onTables("users");
        assertThatThrownBy(() -> values.get(rec)).isInstanceOf(CachedEntityException.class).hasMessageContaining("value.inner");
        assertThat(values.isCached(entity, null)).isFalse();
        assertThat(values.stats().refused()).isEqualTo(4);
        // the same data as immutable views is fine
        NamedValue<Void, List<Object>> views = NamedValue.of("good.views",
                s -> List.<Object>of(s.find(User.class, id).toView())).onTables("users");
        assertThat(values.get(views)).hasSize(1);
    }

    @Test
    void aLoadThatOverlapsAnInvalidationDoesNotStoreItsOlderValue() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        NamedValue<Void, Long> slow = NamedValue.of("slow.admins", s -> {
            long n = s.createSelectionQuery("select count(u) from User u where u.role = :r", Long.class)
                    .setParameter("r", Role.ADMIN).getSingleResult();
            if (loads.incrementAndGet() == 1) {
                loading.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
            return n;
        }).onTables("users");
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Long> first = ex.submit(() -> values.get(slow));
            assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
            c.setRole(id, Role.ADMIN); // committed while the first load holds the old count
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            ex.shutdown();
        }
        assertThat(values.isCached(slow, null)).as("the older value was not stored").isFalse();
        assertThat(values.stats().droppedPuts()).isEqualTo(1);
        assertThat(values.get(slow)).isEqualTo(2);
    }

    @Test
    void aWriteOutsideTheConsoleIsDetectedBeforeAValueIsServed() throws Exception {
        NamedValue<Void, Long> admins = counting("admins.outside", new AtomicInteger(), "users");
        assertThat(values.get(admins)).isEqualTo(1);
        long foreign = c.foreign();
        long foreignInvalidations = values.stats().foreignInvalidations();
        // every declared value that reads users (this one and the dashboard's) is dropped once by the foreign write
        long readingUsers = values.stats().values().stream().filter(v -> v.policy().contains("users")).count();
        var s = c.ctx.settings();
        try (var conn = org.adminconsole.testing.TestDatabases.connect(s);
             var st = conn.createStatement()) {
            st.executeUpdate("UPDATE users SET role = 'ADMIN' WHERE id = " + id);
        }
        // no scheduled check ran (interval one hour): the read itself checks the versions
        assertThat(values.get(admins)).isEqualTo(2);
        assertThat(c.foreign()).as("users, and audit_log where the database's trigger recorded the outside write").isEqualTo(foreign + 2);
        assertThat(values.stats().foreignInvalidations() - foreignInvalidations).isEqualTo(readingUsers);
    }
}
