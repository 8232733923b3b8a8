package org.adminconsole.persistence;

import org.adminconsole.persistence.monitor.SqlEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.hibernate.Session;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction helper's contract, the first- and second-level caches, audit and the SQL monitor, on a
 * real database. Subclasses choose H2 or PostgreSQL.
 */
abstract class AbstractTransactionsTest {

    @TempDir Path dir;
    Database db;
    Transactions tx;

    abstract Settings settings(Path dir);

    /** A SELECT that runs for minutes unless cancelled. */
    abstract String slowQuery();

    @BeforeEach
    void open() {
        db = Database.open(settings(dir));
        tx = db.transactions();
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    long countUsers() throws Exception {
        // A separate JDBC connection, outside any operation: sees only committed rows.
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM users")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long createUser(String email) {
        return tx.write("test.create", s -> {
            User u = new User(email, email.substring(0, email.indexOf('@')), Role.USER);
            u.setQuota(new BigDecimal("100.00"));
            s.persist(u);
            return u.getId();
        });
    }

    @Test
    void innerOperationJoinsTheOuterSessionAndTransaction() {
        List<Object> seen = new ArrayList<>();
        tx.write("outer", s -> {
            seen.add(s);
            seen.add(s.getTransaction());
            long outerId = tx.current().orElseThrow().id();
            tx.read("inner", inner -> {
                seen.add(inner);
                seen.add(inner.getTransaction());
                assertThat(tx.current().orElseThrow().id()).isEqualTo(outerId);
                return null;
            });
            return null;
        });
        assertThat(seen.get(2)).isSameAs(seen.get(0));
        assertThat(seen.get(3)).isSameAs(seen.get(1));
        assertThat(tx.current()).isEmpty();
    }

    @Test
    void innerFailureMakesTheOuterCommitFailLoudlyAndNothingIsWritten() throws Exception {
        assertThatThrownBy(() -> tx.write("outer", s -> {
            s.persist(new User("outer@example.com", "outer", Role.USER));
            try {
                tx.write("inner", inner -> {
                    inner.persist(new User("inner@example.com", "inner", Role.USER));
                    throw new IllegalStateException("inner broke");
                });
            } catch (IllegalStateException swallowed) {
                // the outer code ignores the failure: the commit must still refuse
            }
            return null;
        })).isInstanceOf(RollbackOnlyException.class)
                .hasMessageContaining("outer#")
                .hasMessageContaining("inner operation 'inner' failed: inner broke");
        assertThat(countUsers()).isZero();
    }

    @Test
    void anyExceptionRollsBackAndLeavesNoRow() throws Exception {
        assertThatThrownBy(() -> tx.write("failing", s -> {
            s.persist(new User("x@example.com", "x", Role.USER));
            s.flush();
            throw new java.io.IOException("disk on fire");
        })).isInstanceOf(OperationFailedException.class).hasMessageContaining("failing#").hasRootCauseMessage("disk on fire");
        assertThat(countUsers()).isZero();
    }

    @Test
    void readOnlyOperationCannotWriteAndWritesNothing() throws Exception {
        assertThatThrownBy(() -> tx.read("sneaky", s -> {
            s.persist(new User("ro@example.com", "ro", Role.USER));
            return null;
        })).isInstanceOf(ReadOnlyViolationException.class).hasMessageContaining("read-only");
        long id = createUser("real@example.com");
        assertThatThrownBy(() -> tx.read("sneaky.update", s -> {
            s.find(User.class, id).setUsername("changed");
            s.flush();
            return null;
        })).isInstanceOf(ReadOnlyViolationException.class);
        assertThatThrownBy(() -> tx.read("sneaky.nested", s -> tx.write("nested.write", w -> null)))
                .isInstanceOf(ReadOnlyViolationException.class).hasMessageContaining("cannot run inside read-only");
        assertThatThrownBy(() -> tx.read("sneaky.sql", s -> s.createNativeQuery(
                "UPDATE users SET username = 'hacked'").executeUpdate()))
                .isInstanceOf(ReadOnlyViolationException.class);
        // Plain JDBC bypasses Hibernate: the read-only connection (PostgreSQL) refuses it, and a read always
        // ends in rollback (H2, which ignores the read-only hint), so it can never persist.
        try {
            tx.read("sneaky.jdbc", s -> {
                s.doWork(c -> c.createStatement().executeUpdate("UPDATE users SET username = 'hacked'"));
                return null;
            });
        } catch (RuntimeException refusedByDatabase) {
            // PostgreSQL: cannot execute UPDATE in a read-only transaction
        }
        assertThat(countUsers()).isEqualTo(1);
        String name = tx.read("check", s -> s.find(User.class, id).getUsername());
        assertThat(name).isEqualTo("real");
    }

    @Test
    void afterCommitCallbacksRunOnlyAfterCommitAndAreIsolated() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        AtomicReference<Long> rowsSeenByCallback = new AtomicReference<>();
        tx.write("committing", s -> {
            s.persist(new User("a@example.com", "a", Role.USER));
            tx.afterCommit(() -> ran.add("first"));
            tx.afterCommit(() -> {
                throw new IllegalStateException("callback broke");
            });
            tx.afterCommit(() -> {
                ran.add("third");
                try {
                    rowsSeenByCallback.set(countUsers());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(ran).isEmpty();
            return null;
        });
        assertThat(ran).containsExactly("first", "third");
        assertThat(rowsSeenByCallback.get()).isEqualTo(1L); // the commit was visible to another connection

        ran.clear();
        assertThatThrownBy(() -> tx.write("rolling back", s -> {
            tx.afterCommit(() -> ran.add("must not run"));
            throw new IllegalArgumentException("no");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(ran).isEmpty();
    }

    @Test
    void afterCommitInsideJoinedScopeRunsAfterTheOutermostCommit() {
        List<String> order = new CopyOnWriteArrayList<>();
        tx.write("outer", s -> {
            tx.write("inner", i -> {
                tx.afterCommit(() -> order.add("inner callback"));
                return null;
            });
            order.add("outer body end");
            return null;
        });
        assertThat(order).containsExactly("outer body end", "inner callback");
    }

    @Test
    void failuresAreReportedWithOperationIdAndName() {
        List<OperationRecord> records = new CopyOnWriteArrayList<>();
        tx.addListener(OperationListener.onFinished(records::add));
        assertThatThrownBy(() -> tx.write("users.save", s -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(records).hasSize(1);
        OperationRecord r = records.get(0);
        assertThat(r.name()).isEqualTo("users.save");
        assertThat(r.id()).isPositive();
        assertThat(r.outcome()).isEqualTo(OperationRecord.Outcome.FAILED);
        assertThat(r.message()).isEqualTo("boom");
    }

    @Test
    void firstLevelCacheInOneOperationAndSecondLevelCacheAcrossOperations() {
        long id = createUser("cached@example.com");
        db.sessionFactory().getCache().evictAllRegions();
        Statistics st = db.statistics();
        st.clear();
        tx.read("twice", s -> {
            User a = s.find(User.class, id);
            User b = s.find(User.class, id);
            assertThat(b).isSameAs(a);
            return null;
        });
        assertThat(st.getPrepareStatementCount()).isEqualTo(1);
        assertThat(st.getSecondLevelCacheMissCount()).isEqualTo(1);
        assertThat(st.getSecondLevelCachePutCount()).isEqualTo(1);

        st.clear();
        String username = tx.read("again", s -> s.find(User.class, id).getUsername());
        assertThat(username).isEqualTo("cached");
        assertThat(st.getSecondLevelCacheHitCount()).isEqualTo(1);
        assertThat(st.getSecondLevelCacheMissCount()).isZero();
        assertThat(st.getPrepareStatementCount()).isZero();
    }

    @Test
    void emailNaturalIdIsCachedAndFollowsAnEmailChange() {
        long id = createUser("old@example.com");
        Statistics st = db.statistics();
        // First lookup resolves the natural id (maybe from the cache filled at insert), then it must be a cache hit.
        Long first = tx.read("byEmail", s -> s.bySimpleNaturalId(User.class).load("old@example.com").getId());
        assertThat(first).isEqualTo(id);
        st.clear();
        Long second = tx.read("byEmail.again", s -> s.bySimpleNaturalId(User.class).load("old@example.com").getId());
        assertThat(second).isEqualTo(id);
        assertThat(st.getNaturalIdCacheHitCount()).isEqualTo(1);
        assertThat(st.getPrepareStatementCount()).isZero();

        tx.write("change email", s -> {
            s.find(User.class, id).setEmail("New@Example.com");
            return null;
        });
        User old = tx.read("old", s -> s.bySimpleNaturalId(User.class).load("old@example.com"));
        assertThat(old).isNull();
        User found = tx.read("new", s -> s.bySimpleNaturalId(User.class).load("new@example.com"));
        assertThat(found).isNotNull();
        assertThat(found.getEmail()).isEqualTo("New@Example.com");
        st.clear();
        Long again = tx.read("new.again", s -> s.bySimpleNaturalId(User.class).load("new@example.com").getId());
        assertThat(again).isEqualTo(id);
        assertThat(st.getPrepareStatementCount()).isZero();
    }

    @Test
    void auditFieldsAndAuditRowsCarryTheOperatorAndFieldDiffs() throws Exception {
        long deptId = tx.write("dept.create", s -> {
            Department d = new Department("Audit", "audited");
            s.persist(d);
            return d.getId();
        });
        long id = createUser("audited@example.com");
        User created = tx.read("load", s -> s.find(User.class, id));
        assertThat(created.getCreatedBy()).isEqualTo("tester");
        assertThat(created.getUpdatedBy()).isEqualTo("tester");
        assertThat(created.getCreatedAt()).isNotNull();

        tx.write("users.save", s -> {
            User u = s.find(User.class, id);
            u.setRole(Role.ADMIN);
            u.setQuota(new BigDecimal("250.50"));
            u.getDepartments().add(s.find(Department.class, deptId));
            return null;
        });
        List<String[]> rows = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT l.operation, l.operator, l.action, ch.field, ch.old_value, ch.new_value FROM audit_log l "
                             + "JOIN audit_changes ch ON ch.audit_id = l.id WHERE l.entity_type = 'User' AND l.entity_id = ? "
                             + "AND l.operation = 'users.save' ORDER BY ch.seq")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)});
                }
            }
        }
        assertThat(rows).extracting(r -> r[1]).containsOnly("tester");
        assertThat(rows).extracting(r -> r[2]).containsOnly("UPDATE");
        assertThat(rows).extracting(r -> r[3] + ":" + r[4] + "->" + r[5])
                .containsExactlyInAnyOrder("role:USER->ADMIN", "quota:100.00->250.50", "departments:->Audit");
        User updated = tx.read("load", s -> s.find(User.class, id));
        assertThat(updated.getUpdatedAt()).isAfterOrEqualTo(updated.getCreatedAt());
        assertThat(updated.getVersion()).isEqualTo(1);

        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'User' AND action = 'INSERT'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    void committedWritesBumpTheVersionOfTouchedTablesOnly() throws Exception {
        long before = version("users");
        long deptBefore = version("departments");
        createUser("v@example.com");
        assertThat(version("users")).isEqualTo(before + 1);
        assertThat(version("departments")).isEqualTo(deptBefore);
        assertThatThrownBy(() -> tx.write("rolled back", s -> {
            s.persist(new User("w@example.com", "w", Role.USER));
            s.flush();
            throw new IllegalStateException("no");
        }));
        assertThat(version("users")).isEqualTo(before + 1);
    }

    long version(String table) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT version FROM table_versions WHERE table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void slowStatementIsCapturedWithItsOperationName() {
        db.sqlMonitor().setSlowThreshold(Duration.ofNanos(1));
        long id = createUser("slow@example.com");
        db.sessionFactory().getCache().evictAllRegions();
        tx.read("users.slowLookup", s -> s.find(User.class, id));
        List<SqlEvent> events = db.sqlMonitor().snapshot().stream()
                .filter(e -> e.operationName().equals("users.slowLookup")).toList();
        assertThat(events).isNotEmpty();
        SqlEvent select = events.stream().filter(SqlEvent::isQuery).findFirst().orElseThrow();
        assertThat(select.slow()).isTrue();
        assertThat(select.sql().toLowerCase()).contains("from users");
        assertThat(select.parameterText()).contains(String.valueOf(id));
        assertThat(select.rows()).isEqualTo(1);
        assertThat(select.durationNanos()).isPositive();

        db.sqlMonitor().setSlowThreshold(Duration.ofHours(1));
        db.sessionFactory().getCache().evictAllRegions();
        tx.read("users.fastLookup", s -> s.find(User.class, id));
        assertThat(db.sqlMonitor().snapshot().stream().filter(e -> e.operationName().equals("users.fastLookup")))
                .isNotEmpty().noneMatch(SqlEvent::slow);
    }

    @Test
    void sqlMonitorRecordsBatchSizeAndUpdateCounts() {
        tx.bulk("bulk.insert", 100, s -> {
            s.doWork(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO departments (name, version) VALUES (?, 0)")) {
                    for (int i = 0; i < 30; i++) {
                        ps.setString(1, "bulk-" + i);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            });
            tx.current().orElseThrow().touch("departments");
            return null;
        });
        SqlEvent batch = db.sqlMonitor().snapshot().stream()
                .filter(e -> e.operationName().equals("bulk.insert") && e.sql().startsWith("INSERT INTO departments"))
                .findFirst().orElseThrow();
        assertThat(batch.batchSize()).isEqualTo(30);
        assertThat(batch.rows()).isEqualTo(30);
    }

    @Test
    void noAutoFlushModeDefersWritesUntilCommitWhileTheDefaultFlushesBeforeQueries() throws Exception {
        long id = createUser("flush@example.com");
        String query = "select count(u) from User u where u.role = org.adminconsole.domain.Role.ADMIN";
        Long seenWithAutoFlush = tx.write("auto", s -> {
            s.find(User.class, id).setRole(Role.ADMIN);
            return s.createSelectionQuery(query, Long.class).getSingleResult();
        });
        assertThat(seenWithAutoFlush).isEqualTo(1);
        Long seenWithoutAutoFlush = tx.execute(TxOptions.write("bulkish").noAutoFlush(), s -> {
            s.find(User.class, id).setRole(Role.GUEST);
            return s.createSelectionQuery(query, Long.class).getSingleResult();
        });
        assertThat(seenWithoutAutoFlush).isEqualTo(1); // the query did not see the unflushed change...
        Role committed = tx.read("check", s -> s.find(User.class, id).getRole());
        assertThat(committed).isEqualTo(Role.GUEST); // ...which was still written at commit
    }

    @Test
    void statelessBulkModeBatchesInserts() {
        int before = db.sqlMonitor().snapshot().size();
        tx.bulk("bulk.users", 50, s -> {
            for (int i = 0; i < 120; i++) {
                User u = new User("bulk" + i + "@example.com", "bulk" + i, Role.USER);
                s.insert(u);
            }
            return null;
        });
        Long count = db.transactions().read("count", s -> s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
        assertThat(count).isEqualTo(120L);
        List<SqlEvent> inserts = db.sqlMonitor().snapshot().stream().skip(before)
                .filter(e -> e.operationName().equals("bulk.users") && e.sql().toLowerCase().startsWith("insert")).toList();
        // really batched: 120 rows as JDBC batches of 50, 50 and 20, not 120 round trips
        assertThat(inserts.stream().filter(e -> e.sql().toLowerCase().startsWith("insert into users")).map(SqlEvent::batchSize))
                .as("batch sizes of the user inserts").containsExactly(50, 50, 20);
        User one = tx.read("one", s -> s.bySimpleNaturalId(User.class).load("bulk7@example.com"));
        assertThat(one.getCreatedBy()).isEqualTo("tester");
        assertThat(one.getCreatedAt()).isNotNull();
    }

    /**
     * Entity inserts through a normal session batch too: ids come from a sequence with a pooled optimizer (one
     * sequence call per block of ids, not per row), so Hibernate can group the inserts at its JDBC batch size.
     */
    @Test
    void entityInsertsAreBatchedWithPooledSequenceIds() throws Exception {
        int before = db.sqlMonitor().snapshot().size();
        tx.write("users.createMany", s -> {
            for (int i = 0; i < 120; i++) {
                s.persist(new User("many" + i + "@example.com", "many" + i, Role.USER));
            }
            return null;
        });
        List<SqlEvent> events = db.sqlMonitor().snapshot().stream().skip(before)
                .filter(e -> e.operationName().equals("users.createMany")).toList();
        assertThat(events.stream().filter(e -> e.sql().toLowerCase().startsWith("insert into users")).map(SqlEvent::batchSize))
                .as("batch sizes of the user inserts (hibernate.jdbc.batch_size = 50)").containsExactly(50, 50, 20);
        long sequenceCalls = events.stream().filter(e -> e.sql().toLowerCase().contains("users_seq")).count();
        assertThat(sequenceCalls).as("sequence calls for 120 ids in blocks of " + User.ID_BLOCK)
                .isLessThanOrEqualTo(120 / User.ID_BLOCK + 2);
        assertThat(countUsers()).isEqualTo(120);
    }

    @Test
    void aDryRunDoesEverythingThenRollsBackOnPurpose() throws Exception {
        List<OperationRecord> records = new CopyOnWriteArrayList<>();
        tx.addListener(OperationListener.onFinished(records::add));
        List<String> callbacks = new CopyOnWriteArrayList<>();
        long versionBefore = version("users");
        Long idSeenInside = tx.execute(TxOptions.write("users.create.dryRun").asDryRun(), s -> {
            User u = new User("rehearsal@example.com", "rehearsal", Role.USER);
            s.persist(u);
            tx.afterCommit(() -> callbacks.add("ran"));
            return u.getId();
        });
        assertThat(idSeenInside).isNotNull(); // the insert really ran inside the transaction
        assertThat(countUsers()).isZero();
        assertThat(version("users")).isEqualTo(versionBefore);
        assertThat(callbacks).isEmpty();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(OperationRecord.Outcome.ROLLED_BACK);
            assertThat(r.changes()).isEmpty();
        });
        // A dry run still refuses what the real run would refuse (constraints are checked by the flush).
        createUser("taken@example.com");
        assertThatThrownBy(() -> tx.execute(TxOptions.write("dup.dryRun").asDryRun(), s -> {
            s.persist(new User("TAKEN@example.com", "other", Role.USER));
            return null;
        })).isInstanceOf(org.hibernate.exception.ConstraintViolationException.class);
    }

    @Test
    void anOperationIsCancelledFromAnotherThreadInTheDatabaseAndRollsBack() throws Exception {
        long id = createUser("cancel.me@example.com");
        List<OperationRecord> records = new CopyOnWriteArrayList<>();
        tx.addListener(OperationListener.onFinished(records::add));
        org.adminconsole.support.TaskHandle handle = new org.adminconsole.support.TaskHandle("test task");
        java.util.concurrent.atomic.AtomicReference<Throwable> slowFailure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            // a background task: its operations run in a cancellation scope
            java.util.concurrent.Future<String> task = ex.submit(() -> handle.run(() -> {
                {
                    try {
                        tx.write("test.slow", w -> {
                            w.find(User.class, id).setUsername("never.saved");
                            w.flush();
                            return w.createNativeQuery(slowQuery(), Object.class).getSingleResult();
                        });
                        return "not cancelled";
                    } catch (OperationCancelledException e) {
                        slowFailure.set(e);
                    }
                    try {
                        tx.read("test.later", r -> r.find(User.class, id));
                        return "a later operation of the cancelled task ran";
                    } catch (OperationCancelledException e) {
                        return "later operation cancelled too";
                    }
                }
            }));
            // the operation holds its connection from its first statement on; the slow one follows at once (a cancel
            // landing between the two is repeated by the handle until the operation ends)
            org.testfx.util.WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS, () -> db.poolStats().active() > 0);
            handle.cancel();
            // the slow statement runs for minutes unless cancelled
            assertThat(task.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("later operation cancelled too");
            assertThat(slowFailure.get()).hasMessageContaining("test.slow#").hasMessageContaining("cancelled");
        } finally {
            ex.shutdownNow();
        }
        assertThat(records).anySatisfy(r -> {
            assertThat(r.name()).isEqualTo("test.slow");
            assertThat(r.outcome()).isEqualTo(OperationRecord.Outcome.ROLLED_BACK);
            assertThat(r.message()).isEqualTo("cancelled");
        });
        String after = tx.read("after", s -> s.find(User.class, id).getUsername());
        assertThat(after).isEqualTo("cancel.me");
        assertThat(db.poolStats().active()).isZero();
    }

    @Test
    void everyStatementOfAnOperationTimesOutAtItsDeadline() {
        // H2 times statements in the driver (JDBC query timeout), PostgreSQL in the server (statement_timeout)
        long timeoutMs = tx.execute(TxOptions.read("timed").timeoutSeconds(7),
                s -> s.doReturningWork(c -> {
                    try (java.sql.Statement st = c.createStatement()) {
                        if (db.dialect().timesOutStatementsInDriver()) {
                            return st.getQueryTimeout() * 1000L;
                        }
                        try (java.sql.ResultSet rs = st.executeQuery("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    }
                }));
        assertThat(timeoutMs).isBetween(6_000L, 7_000L);
        assertThatThrownBy(() -> tx.execute(TxOptions.read("too.slow").timeoutSeconds(1),
                s -> s.createNativeQuery(slowQuery(), Object.class).getSingleResult()))
                .isInstanceOf(OperationTimeoutException.class)
                .hasMessageContaining("too.slow#").hasMessageContaining("deadline");
        assertThat(db.poolStats().active()).isZero();
    }
}
