package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.service.ValidationException;
import org.adminconsole.support.TaskHandle;
import org.adminconsole.testing.Tasks;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console's bounds, enforced where they hold: an open result is closed after its idle time (no transaction, lock or
 * session left), every statement stops at the statement timeout, a lost connection closes the result with a message,
 * values and results too large for the console's memory close the result instead of escaping as an error, and the
 * queries that made H2 close its database are refused or stopped first.
 */
class SqlConsoleLimitsTest {

    @TempDir Path dir;

    /** The operator's name appears in PostgreSQL's application_name: unique, so that other runs' sessions never count. */
    private static final String OPERATOR = "limits" + ProcessHandle.current().pid();

    private AppContext open(String db, Map<String, String> extraSettings) {
        Map<String, String> extra = new java.util.HashMap<>(extraSettings);
        extra.put("operator", OPERATOR);
        Settings s = db.equals("pg") ? TestDatabases.postgres(dir, extra) : TestDatabases.h2(dir, extra);
        return AppContext.start(s);
    }

    private static String rows(String db, int n) {
        return db.equals("pg") ? "SELECT g FROM generate_series(1, " + n + ") g" : "SELECT X FROM SYSTEM_RANGE(1, " + n + ")";
    }

    /** Sessions of the reader still open, and (PostgreSQL) its transactions still open. */
    private static long readerSessions(AppContext ctx) throws Exception {
        return InspectDatabases.longValue(ctx, ctx.settings().isH2()
                ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE USER_NAME = '" + H2ReaderLogin.MANAGED + "'"
                : "SELECT COUNT(*) FROM pg_stat_activity WHERE usename = '" + TestDatabases.PG_READER + "' AND datname = current_database()"
                        + " AND application_name LIKE 'Admin Console (" + OPERATOR + ")%'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void anOpenResultIsClosedAfterItsIdleTimeAndHoldsNothingAfterwards(String db) throws Exception {
        try (AppContext ctx = open(db, Map.of("sql.idleCloseSeconds", "1"))) {
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            SqlConsoleService.Result first = console.run(rows(db, 2000));
            assertThat(first.rows()).hasSize(500);
            SqlCursor cursor = first.cursor();
            CompletableFuture<String> told = new CompletableFuture<>();
            cursor.onClosedByConsole(told::complete);
            assertThat(readerSessions(ctx)).isEqualTo(1);
            SqlConsoleService.Result second = cursor.fetchMore(); // using it resets the idle time
            assertThat(second.rows()).hasSize(500);
            assertThat(told.get(20, TimeUnit.SECONDS)).isEqualTo("The result was closed after 1 s without use, so that it holds no"
                    + " transaction or lock. Run the query again to see more rows.");
            assertThat(cursor.isOpen()).isFalse();
            assertThat(console.openCursors()).isZero();
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> readerSessions(ctx) == 0);
            SqlConsoleService.Result after = cursor.fetchMore();
            assertThat(after.rows()).isEmpty();
            assertThat(after.more()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void everyStatementStopsAtTheStatementTimeout(String db) throws Exception {
        try (AppContext ctx = open(db, Map.of("sql.statementTimeoutSeconds", "1"))) {
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            String slow = db.equals("pg") ? "SELECT pg_sleep(20)"
                    : "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 1000000) a, SYSTEM_RANGE(1, 1000000) b";
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> console.run(slow)).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("Stopped after the console's statement timeout of 1 s");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(15);
            assertThatThrownBy(() -> ctx.get(org.adminconsole.service.monitor.ExplainService.class).explain(slow, List.of()))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("Stopped after the console's statement timeout");
            assertThat(console.run("SELECT 1").rows()).containsExactly(List.of("1"));
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> readerSessions(ctx) == 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void aConnectionLostInTheMiddleOfAResultIsReportedAndReleased(String db) throws Exception {
        try (AppContext ctx = open(db, Map.of())) {
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            SqlCursor cursor = console.run(rows(db, 2000)).cursor();
            InspectDatabases.exec(ctx, db.equals("pg")
                    ? "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + TestDatabases.PG_READER
                            + "' AND application_name LIKE 'Admin Console (" + OPERATOR + ")%' AND datname = current_database()"
                    : "SELECT ABORT_SESSION(SESSION_ID) FROM INFORMATION_SCHEMA.SESSIONS WHERE USER_NAME = '" + H2ReaderLogin.MANAGED + "'");
            assertThatThrownBy(() -> {
                for (int i = 0; i < 4; i++) {
                    cursor.fetchMore(); // H2 may hand out rows it had already read
                }
            }).isInstanceOf(ValidationException.class).hasMessageStartingWith("Database unavailable:")
                    .hasMessageContaining("the result was closed");
            assertThat(cursor.isOpen()).isFalse();
            assertThat(console.openCursors()).isZero();
            assertThat(console.run("SELECT 1").rows()).containsExactly(List.of("1"));
        }
    }

    @Test
    void outOfMemoryWhileReadingClosesTheResultWithAMessage() throws Exception {
        try (AppContext ctx = open("h2", Map.of())) {
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            ReaderConnections readers = ctx.get(ReaderConnections.class);
            Connection c = readers.open();
            PreparedStatement ps = readers.prepare(c, "SELECT X, REPEAT('x', 10) FROM SYSTEM_RANGE(1, 100)");
            ResultSet real = ps.executeQuery();
            AtomicInteger reads = new AtomicInteger();
            ResultSet failing = (ResultSet) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ResultSet.class}, (p, m, args) -> {
                if (m.getName().equals("getObject") && reads.incrementAndGet() > 7) {
                    throw new OutOfMemoryError("Java heap space (simulated)");
                }
                try {
                    return m.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
            SqlCursor cursor = new SqlCursor(console, readers, c, ps, failing, 50, 1000);
            assertThatThrownBy(() -> cursor.read(TaskHandle.current(), System.nanoTime())).isInstanceOf(ValidationException.class)
                    .hasMessage(SqlCursor.TOO_LARGE);
            assertThat(cursor.isOpen()).isFalse();
            assertThat(c.isClosed()).isTrue();
            assertThat(console.run("SELECT 1").rows()).containsExactly(List.of("1"));
        }
    }

    @Test
    void theHeapRunningLowStopsTheRunningQueryAndH2StaysOpen() throws Exception {
        try (AppContext ctx = open("h2", Map.of())) {
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            TaskHandle handle = new TaskHandle("console");
            CompletableFuture<SqlConsoleService.Result> running = Tasks.start(handle, () -> console.run(
                    "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 1000000) a, SYSTEM_RANGE(1, 1000000) b"));
            // the cross join itself executing, not an earlier statement of the run (whose cancel hook let the low-memory
            // stop land before the query started, which then ran on: a CI failure)
            org.adminconsole.testing.Executing.await(ctx.settings(), "SYSTEM_RANGE(1, 1000000) a,");
            MemoryGuard.lowMemory(); // what the JVM reports when the heap is still above 85 % after a collection
            assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ValidationException.class).hasMessage(SqlCursor.LOW_MEMORY);
            assertThat(console.run("SELECT COUNT(*) FROM users").rows()).containsExactly(List.of("0"));
        }
    }

    @Test
    void h2ValueBlowupsAreRefusedBeforeTheyReachTheDatabase() throws Exception {
        try (AppContext ctx = open("h2", Map.of())) {
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            // REPEAT with a constant ran H2 out of memory while preparing; with a column it closed the database
            assertThatThrownBy(() -> console.run("SELECT REPEAT('x', 400000000)")).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("Refused: REPEAT would build a value of 400000000 characters; the console allows up to 100,000");
            assertThatThrownBy(() -> console.run("SELECT REPEAT('x', A) FROM (VALUES (400000000)) V(A)")).isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith("Refused: REPEAT builds a value of any size");
            assertThatThrownBy(() -> console.run("SELECT SPACE(2000000000)")).hasMessageStartingWith("Refused: SPACE would build");
            SqlConsoleService.Result r = console.run("SELECT LENGTH(REPEAT('x', 100000)), REPEAT('y', 1000) FROM SYSTEM_RANGE(1, 3)");
            assertThat(r.rows()).hasSize(3);
            assertThat(r.rows().get(0).get(0)).isEqualTo("100000");
            assertThat(r.rows().get(0).get(1)).hasSizeLessThan(600).endsWith("… (1,000 chars)");
        }
    }

    @Test
    void postgresResultsTooLargeForTheConsoleAreClosedWithAMessage() throws Exception {
        try (AppContext ctx = open("pg", Map.of())) {
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            assertThatThrownBy(() -> console.run("SELECT string_agg(repeat('x', 100000), '') FROM generate_series(1, 1000)"))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("The result is too large for the console");
            assertThat(console.openCursors()).isZero();
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> readerSessions(ctx) == 0);
            assertThat(console.run("SELECT 1").rows()).containsExactly(List.of("1"));
        }
    }
}
