package org.adminconsole.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.service.dashboard.DashboardService;
import org.adminconsole.service.users.UserListing;
import org.adminconsole.service.users.UserPage;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.support.DeferredStart;
import org.adminconsole.testing.HeldBootstrap;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14: the window's first data does not wait for Hibernate. {@link AppContext#startBeforeHibernate} returns once the
 * pool is open and the schema current; the Users pages and totals and the Dashboard's estimate run as plain JDBC
 * operations at once, everything that needs a session waits for the build, and a build or schema check that fails
 * afterwards gives the same sentence the start used to give. The build is held back by the test ({@link HeldBootstrap}),
 * so "before Hibernate" is a fact here, not a race.
 */
class HibernateInBackgroundTest {

    @TempDir Path dir;
    private final DeferredStart bootstrap = HeldBootstrap.held();
    private AppContext ctx;

    @AfterEach
    void close() {
        bootstrap.release();
        if (ctx != null) {
            ctx.close();
        }
    }

    private Settings seeded(String db, int users) {
        Settings s = db.equals("pg") ? TestDatabases.postgres(dir, Map.of("db.seed.users", "" + users))
                : TestDatabases.h2(dir, Map.of("db.seed.users", "" + users));
        AppContext.start(s).close(); // migrations and demo users (seeding needs Hibernate)
        if (db.equals("pg")) {
            try (Connection c = TestDatabases.connect(s); Statement st = c.createStatement()) {
                st.execute("ANALYZE users"); // the estimate reads the planner's statistics, as on any server that has run a while
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void theUsersPageTotalsAndEstimateComeWhileHibernateIsStillBuilding(String db) throws Exception {
        Settings s = seeded(db, 300);
        ctx = AppContext.startBeforeHibernate(s, bootstrap);
        List<OperationRecord> finished = new CopyOnWriteArrayList<>();
        ctx.database().transactions().addListener(OperationListener.onFinished(finished::add));
        assertThat(ctx.database().sessionFactoryIfReady()).as("Hibernate is held back").isEmpty();

        UserListing users = ctx.get(UserListing.class);
        UserPage first = users.page(UserQuery.all(), UserPage.Nav.FIRST, null, 50);
        assertThat(first.rows()).hasSize(50);
        assertThat(first.hasNext()).isTrue();
        assertThat(first.rows()).as("each row with its departments (demo users have one or two)")
                .allMatch(u -> !u.departments().isEmpty());
        UserPage next = users.page(UserQuery.all(), UserPage.Nav.NEXT, first.last(), 50);
        assertThat(next.rows()).hasSize(50).doesNotContainAnyElementsOf(first.rows());
        assertThat(users.count(UserQuery.all()).value()).isEqualTo(300);
        assertThat(users.estimate(UserQuery.all().withSearch(first.rows().get(0).username().substring(0, 3))).value()).isPositive();
        assertThat(ctx.get(DashboardService.class).estimatedUsers()).isPositive();
        assertThat(ctx.database().sessionFactoryIfReady()).as("all of it without Hibernate").isEmpty();

        // each is an operation like any other: recorded with its statements, none of them holding a connection now
        assertThat(finished).extracting(OperationRecord::name)
                .contains("users.page", "users.count", "users.estimate", "dashboard.estimate");
        OperationRecord page = finished.stream().filter(r -> r.name().equals("users.page")).findFirst().orElseThrow();
        assertThat(page.outcome()).isEqualTo(OperationRecord.Outcome.COMMITTED);
        assertThat(page.stats().statements()).as("the page and its departments").isGreaterThanOrEqualTo(2);
        assertThat(ctx.database().poolStats().active()).isZero();

        // what needs a session waits for the build, in its own background work, and then runs
        CompletableFuture<Integer> departments = CompletableFuture.supplyAsync(() -> users.departments().size());
        CompletableFuture<Long> counted = CompletableFuture.supplyAsync(() -> ctx.get(DashboardService.class).counts().users());
        assertThat(departments).as("it cannot finish while the build is held").isNotDone();
        bootstrap.release();
        assertThat(departments.get(60, TimeUnit.SECONDS)).isEqualTo(12);
        assertThat(counted.get(60, TimeUnit.SECONDS)).isEqualTo(300);
        assertThat(ctx.database().sessionFactoryIfReady()).isPresent();
        // and from now on the same JDBC reads run in a Hibernate session, as every other operation
        assertThat(users.page(UserQuery.all(), UserPage.Nav.FIRST, null, 50).rows()).isEqualTo(first.rows());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void aWriteSlippedIntoAnEarlyReadIsNeverKept(String db) throws Exception {
        Settings s = seeded(db, 20);
        ctx = AppContext.startBeforeHibernate(s, bootstrap);
        Transactions tx = ctx.database().transactions();
        java.math.BigDecimal before = quotaOfFirstUser(tx);
        try {
            tx.readJdbc("sneaky.update", c -> {
                try (Statement st = c.createStatement()) {
                    return st.executeUpdate("UPDATE users SET quota = quota + 1000 WHERE id = (SELECT MIN(id) FROM users)");
                }
            });
            assertThat(db).as("PostgreSQL refuses the write (READ ONLY transaction); H2 rolls it back").isEqualTo("h2");
        } catch (RuntimeException refused) {
            assertThat(db).isEqualTo("pg");
            assertThat(refused).hasStackTraceContaining("read-only");
        }
        assertThat(quotaOfFirstUser(tx)).isEqualByComparingTo(before);
    }

    private static java.math.BigDecimal quotaOfFirstUser(Transactions tx) {
        return tx.readJdbc("quota", c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT quota FROM users WHERE id = (SELECT MIN(id) FROM users)")) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void aSchemaThatNoLongerMatchesFailsEveryLaterOperationWithTheStartupSentence(String db) throws Exception {
        Settings s = seeded(db, 20);
        ctx = AppContext.startBeforeHibernate(s, bootstrap);
        assertThat(ctx.get(UserListing.class).count(UserQuery.all()).value()).isEqualTo(20);
        try (Connection c = TestDatabases.connect(s); Statement st = c.createStatement()) {
            // someone changes the schema under the console while Hibernate is still building
            st.execute("ALTER TABLE departments RENAME COLUMN name TO title");
        }
        bootstrap.release();
        Throwable failure = ctx.database().hibernateReady().handle((sf, e) -> e).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(failure).isNotNull().hasRootCauseInstanceOf(Exception.class);
        assertThat(failure.getCause()).isInstanceOf(DatabaseStartupException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> ctx.get(UserListing.class).departments())
                .isInstanceOf(DatabaseStartupException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> ctx.get(UserListing.class).count(UserQuery.all()))
                .as("the JDBC reads too: the console cannot work on").isInstanceOf(DatabaseStartupException.class);
        assertThat(ctx.database().poolStats().active()).isZero();
        ctx.close();
        ctx = null;
        try (Connection c = TestDatabases.connect(s); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            assertThat(rs.getInt(1)).as("no session of the console is left open").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void closingWhileHibernateBuildsLeavesNothingOpen(String db) throws Exception {
        Settings s = seeded(db, 20);
        ctx = AppContext.startBeforeHibernate(s, bootstrap);
        Database database = ctx.database();
        ctx.close();
        ctx = null;
        bootstrap.release();
        Object outcome = database.hibernateReady().handle((sf, e) -> e != null ? e : sf).toCompletableFuture().get(60, TimeUnit.SECONDS);
        if (outcome instanceof org.hibernate.SessionFactory sf) {
            assertThat(sf.isClosed()).as("a build that completes after the close is closed").isTrue();
        } else {
            assertThat((Throwable) outcome).hasMessageContaining("closed while Hibernate was still starting");
        }
        try (Connection c = TestDatabases.connect(s); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
