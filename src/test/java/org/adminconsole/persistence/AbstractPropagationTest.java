package org.adminconsole.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.adminconsole.service.users.BulkAction;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.service.users.UserBulk;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Propagation, isolation and retries in the spirit of Spring's TransactionTemplate: a call made inside a running
 * operation gets what its options ask for, or fails loudly; never silently loses them. Subclasses pick the database.
 */
abstract class AbstractPropagationTest {

    @TempDir Path dir;
    AppContext ctx;
    Transactions tx;
    final List<OperationRecord> records = new CopyOnWriteArrayList<>();

    abstract Settings settings(Path dir);

    @BeforeEach
    void open() {
        ctx = AppContext.start(settings(dir));
        tx = ctx.database().transactions();
        tx.addListener(OperationListener.onFinished(records::add));
    }

    @AfterEach
    void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    long sql(String query) throws Exception {
        try (Connection c = TestDatabases.connect(ctx.settings()); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long create(String name) {
        return tx.write("test.create", s -> {
            User u = new User(name + "@example.com", name, Role.USER);
            s.persist(u);
            s.flush();
            return u.getId();
        });
    }

    @Test
    void aDryRunInsideARunningWriteFailsLoudlyAndNothingIsCommitted() throws Exception {
        UserBulk bulk = ctx.get(UserBulk.class);
        long active = sql("SELECT COUNT(*) FROM users WHERE active = TRUE");
        assertThat(active).isGreaterThan(0);
        BulkAction deactivate = BulkAction.onQuery(BulkAction.Kind.DEACTIVATE, null, UserQuery.all().withActive(true));
        assertThatThrownBy(() -> tx.write("test.outer", s -> bulk.dryRun(deactivate)))
                .hasMessageContaining("is a dry run and cannot join the running write");
        assertThat(sql("SELECT COUNT(*) FROM users WHERE active = TRUE")).as("the rehearsal was not committed").isEqualTo(active);
        // as a nested call (a savepoint) the rehearsal gets what it asked for, and the outer write commits its own work
        long created = tx.write("test.outer", s -> {
            long count = tx.execute(TxOptions.write("test.rehearsal").asDryRun().nested(),
                    n -> n.createMutationQuery("update User u set u.active = false where u.active = true").executeUpdate());
            assertThat(count).isEqualTo(active);
            User u = new User("after.rehearsal@example.com", "after.rehearsal", Role.USER);
            s.persist(u);
            return u.getId();
        });
        assertThat(sql("SELECT COUNT(*) FROM users WHERE active = TRUE")).isEqualTo(active + 1);
        assertThat(sql("SELECT COUNT(*) FROM users WHERE id = " + created)).isEqualTo(1);
    }

    @Test
    void aJoinedCallGetsItsOwnTimeoutOrFailsLoudly() {
        assertThatThrownBy(() -> tx.execute(TxOptions.read("test.short").timeoutSeconds(2),
                s -> tx.execute(TxOptions.read("test.longer").timeoutSeconds(60), x -> 1)))
                .hasMessageContaining("asks for 60 s but joins");
        // a shorter deadline applies to the joined call's statements
        assertThatThrownBy(() -> tx.execute(TxOptions.read("test.outer").timeoutSeconds(30),
                s -> tx.execute(TxOptions.read("test.inner").timeoutSeconds(1),
                        x -> x.createNativeQuery(slowQuery(), Object.class).getSingleResult())))
                .satisfies(e -> assertThat(Failures.isTimeout(e) || e instanceof OperationTimeoutException).isTrue());
    }

    /** A SELECT that runs for minutes unless stopped. */
    abstract String slowQuery();

    @Test
    void aReadJoinedToAWriteMayNotInsertAndOtherConflictsFailLoudly() {
        assertThatThrownBy(() -> tx.write("test.outer", s -> tx.read("test.inner", r -> {
            r.persist(new User("sneaky@example.com", "sneaky", Role.USER));
            return null;
        }))).isInstanceOf(ReadOnlyViolationException.class);
        assertThatThrownBy(() -> tx.write("test.outer", s -> tx.execute(
                TxOptions.write("test.inner").isolation(Connection.TRANSACTION_SERIALIZABLE), x -> 1)))
                .hasMessageContaining("isolation");
        assertThatThrownBy(() -> tx.write("test.outer", s -> tx.execute(TxOptions.write("test.inner").retryOnConflict(2), x -> 1)))
                .hasMessageContaining("retries");
    }

    @Test
    void aJoinedCallGetsItsOwnFlushMode() {
        long id = create("flush.mode");
        String seen = tx.write("test.outer", s -> {
            s.find(User.class, id).setUsername("changed.in.outer");
            // the joined call asked for no autoflush: its native query runs before the change reaches the database
            return tx.execute(TxOptions.write("test.inner").noAutoFlush(), x -> (String) x.createNativeQuery(
                    "SELECT username FROM users WHERE id = " + id, String.class).getSingleResult());
        });
        assertThat(seen).isEqualTo("flush.mode");
    }

    @Test
    void requiresNewCommitsOnItsOwnWhateverTheCallerDoes() throws Exception {
        long before = sql("SELECT COUNT(*) FROM users");
        assertThatThrownBy(() -> tx.write("test.outer", s -> {
            s.persist(new User("rolled.back@example.com", "rolled.back", Role.USER));
            s.flush();
            long seenInside = tx.execute(TxOptions.write("test.keep").requiresNew(), n -> {
                n.persist(new org.adminconsole.domain.Department("Kept", "written on its own"));
                n.flush();
                // suspended: the new transaction does not see the caller's uncommitted row
                return (Long) n.createSelectionQuery("select count(u) from User u where u.emailKey = 'rolled.back@example.com'", Long.class)
                        .getSingleResult();
            });
            assertThat(seenInside).isZero();
            throw new IllegalStateException("the caller fails after the inner unit committed");
        })).hasMessageContaining("caller fails");
        assertThat(sql("SELECT COUNT(*) FROM users")).isEqualTo(before);
        assertThat(sql("SELECT COUNT(*) FROM departments WHERE name = 'Kept'")).isEqualTo(1);
        assertThat(records).extracting(OperationRecord::name).contains("test.keep", "test.outer");
    }

    @Test
    void aRequiresNewWaitingForItsOwnCallerSaysSo() {
        // both write users: the inner transaction waits for the users version row its suspended caller holds
        assertThatThrownBy(() -> tx.write("test.outer", s -> {
            s.persist(new User("outer.first@example.com", "outer.first", Role.USER));
            s.flush();
            return tx.execute(TxOptions.write("test.inner").requiresNew().timeoutSeconds(3), n -> {
                n.persist(new User("inner.second@example.com", "inner.second", Role.USER));
                n.flush();
                return null;
            });
        })).hasMessageContaining("waited for a lock held by its own suspended caller").hasMessageContaining("users");
    }

    @Test
    void aNestedUnitThatFailsRollsBackAloneAndCanBeRetried() throws Exception {
        create("taken");
        List<String> callbacks = new CopyOnWriteArrayList<>();
        long auditBefore = sql("SELECT COUNT(*) FROM audit_log");
        String kept = tx.write("test.outer", s -> {
            s.persist(new User("outer@example.com", "outer.user", Role.USER));
            String name = "taken";
            for (int attempt = 1; ; attempt++) {
                String candidate = attempt == 1 ? name : name + attempt;
                try {
                    tx.execute(TxOptions.write("test.nested").nested(), n -> {
                        tx.afterCommit(() -> callbacks.add(candidate));
                        n.persist(new User(candidate + ".x@example.com", candidate, Role.USER));
                        return null; // the savepoint's flush meets the unique username
                    });
                    return candidate;
                } catch (RuntimeException duplicate) {
                    assertThat(attempt).as("only the first name is taken").isEqualTo(1);
                }
            }
        });
        assertThat(kept).isEqualTo("taken2");
        assertThat(sql("SELECT COUNT(*) FROM users WHERE username IN ('outer.user', 'taken2')")).isEqualTo(2);
        assertThat(callbacks).as("the rolled-back unit's callback never runs").containsExactly("taken2");
        assertThat(sql("SELECT COUNT(*) FROM audit_log")).as("audit rows for the two inserts only").isEqualTo(auditBefore + 2);
    }

    @Test
    void afterRollbackCallbacksRunOnlyAfterARollback() {
        List<String> seen = new CopyOnWriteArrayList<>();
        tx.write("test.ok", s -> {
            tx.afterCommit(() -> seen.add("commit"));
            tx.afterRollback(() -> seen.add("rollback-of-ok"));
            return null;
        });
        assertThatThrownBy(() -> tx.write("test.fails", s -> {
            tx.afterCommit(() -> seen.add("commit-of-failed"));
            tx.afterRollback(() -> seen.add("rollback"));
            throw new IllegalStateException("boom");
        }));
        assertThat(seen).containsExactly("commit", "rollback");
    }

    @Test
    void theIsolationLevelAsked() {
        int level = tx.execute(TxOptions.read("test.serializable").isolation(Connection.TRANSACTION_SERIALIZABLE),
                s -> s.doReturningWork(Connection::getTransactionIsolation));
        assertThat(level).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        int after = tx.read("test.default", s -> s.doReturningWork(Connection::getTransactionIsolation));
        assertThat(after).as("the pooled connection came back with the default level").isNotEqualTo(Connection.TRANSACTION_SERIALIZABLE);
    }

    @Test
    void aDeadlockIsRetriedWithBackoffAndTheAttemptsAreLogged() throws Exception {
        String user = "UPDATE users SET quota = quota + 1 WHERE id = " + create("lock.a");
        String department = "UPDATE departments SET description = 'x' WHERE id = (SELECT MIN(id) FROM departments)";
        CountDownLatch bothLocked = new CountDownLatch(2);
        // Writers of one table queue on its version row, so two writers deadlock across tables: these two write users and
        // departments in opposite orders. The database picks a victim (or its lock wait times out); it is retried.
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> tx.execute(
                TxOptions.write("test.first").retryOnConflict(3), s -> lockBoth(s, user, department, bothLocked)));
        CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> tx.execute(
                TxOptions.write("test.second").retryOnConflict(3), s -> lockBoth(s, department, user, bothLocked)));
        first.get(60, TimeUnit.SECONDS);
        second.get(60, TimeUnit.SECONDS);
        List<OperationRecord> attempts = records.stream().filter(r -> r.name().startsWith("test.first") || r.name().startsWith("test.second")).toList();
        assertThat(attempts).filteredOn(r -> r.outcome() == OperationRecord.Outcome.FAILED).isNotEmpty();
        assertThat(attempts).filteredOn(r -> r.outcome() == OperationRecord.Outcome.COMMITTED).hasSize(2)
                .anySatisfy(r -> assertThat(r.attempt()).isGreaterThan(1));
    }

    private Object lockBoth(org.hibernate.Session s, String firstSql, String secondSql, CountDownLatch bothLocked) throws Exception {
        s.createNativeMutationQuery(firstSql).executeUpdate();
        bothLocked.countDown();
        bothLocked.await(30, TimeUnit.SECONDS); // only the first attempts wait: a retry finds the latch open
        s.createNativeMutationQuery(secondSql).executeUpdate();
        return null;
    }
}
