package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.adminconsole.config.FilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.ValidationException;
import org.junit.jupiter.api.io.TempDir;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.adminconsole.testing.Tasks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

public class SqlConsoleServiceTest {

    @TempDir Path dir;

    /** An H2 alias with a side effect: it inserts a row through the caller's own connection. */
    public static int bump(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            return st.executeUpdate("INSERT INTO departments (name, description, version) VALUES ('Bumped', 'by alias', 0)");
        }
    }

    /** Everything a write could change, read on a separate admin connection. */
    static String fingerprint(AppContext ctx) throws SQLException {
        boolean h2 = ctx.settings().isH2();
        StringBuilder sb = new StringBuilder();
        try (Connection c = InspectDatabases.admin(ctx); Statement st = c.createStatement()) {
            for (String q : List.of("SELECT COUNT(*) FROM users", "SELECT COUNT(*) FROM departments",
                    "SELECT COALESCE(SUM(quota), 0) FROM users", "SELECT COUNT(*) FROM user_departments",
                    h2 ? "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'COUNTER'"
                            : "SELECT last_value FROM counter",
                    h2 ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'"
                            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()")) {
                try (ResultSet rs = st.executeQuery(q)) {
                    rs.next();
                    sb.append(rs.getString(1)).append('|');
                }
            }
        }
        return sb.toString();
    }

    /** For the UI test: the same fingerprint and side-effect objects. */
    public static String fingerprintOf(AppContext ctx) throws SQLException {
        return fingerprint(ctx);
    }

    public static void createSideEffectObjectsFor(AppContext ctx) throws SQLException {
        createSideEffectObjects(ctx);
    }

    public static List<String> writeStatements(boolean h2) {
        List<String> w = new ArrayList<>(List.of(
                "INSERT INTO departments (name, description, version) VALUES ('Evil', 'x', 0)",
                "UPDATE users SET quota = quota + 1",
                "DELETE FROM user_departments",
                "CREATE TABLE evil (id INT)",
                "DROP TABLE user_departments",
                "ALTER TABLE users ADD COLUMN evil INT",
                "TRUNCATE TABLE user_departments",
                h2 ? "MERGE INTO departments KEY (name) VALUES (DEFAULT, 'Evil', 'x', 0)"
                        : "MERGE INTO departments d USING (SELECT 'Evil' AS name) s ON d.name = s.name WHEN NOT MATCHED THEN INSERT (name, description, version) VALUES ('Evil', 'x', 0)",
                h2 ? "SELECT NEXT VALUE FOR counter" : "SELECT nextval('counter')",
                h2 ? "SELECT NEXTVAL('COUNTER')" : "SELECT setval('counter', 100)",
                h2 ? "SELECT BUMP()" : "SELECT bump()",
                h2 ? "CALL BUMP()" : "SELECT * FROM departments FOR UPDATE",
                "SELECT 1; DELETE FROM user_departments",
                "COMMIT",
                "SET TRANSACTION READ WRITE"));
        if (!h2) {
            w.add("WITH d AS (DELETE FROM user_departments RETURNING *) SELECT COUNT(*) FROM d");
            w.add("CREATE TEMP TABLE tmp_evil (i INT)");
            w.add("WITH x AS (SELECT 1 AS one) DELETE FROM user_departments");
        } else {
            w.add("CREATE LOCAL TEMPORARY TABLE tmp_evil (i INT)");
            w.add("SELECT * FROM FINAL TABLE (INSERT INTO departments (name, description, version) VALUES ('Evil', 'x', 0))");
        }
        return w;
    }

    static void createSideEffectObjects(AppContext ctx) throws SQLException {
        if (ctx.settings().isH2()) {
            InspectDatabases.exec(ctx, "CREATE SEQUENCE counter",
                    "CREATE ALIAS BUMP FOR '" + SqlConsoleServiceTest.class.getName() + ".bump'");
        } else {
            InspectDatabases.exec(ctx, "CREATE SEQUENCE counter",
                    "CREATE FUNCTION bump() RETURNS INT LANGUAGE sql VOLATILE AS $$ INSERT INTO departments (name, description, version) VALUES ('Bumped', 'by function', 0) RETURNING 1 $$");
        }
    }

    /** A refusal the operator can read: refused by the gate or the database, or not run at all. */
    public static void assertRefusal(String sql, ValidationException e) {
        assertThat(e.fieldErrors().get(SqlConsoleService.SQL_FIELD)).as(sql).satisfiesAnyOf(
                m -> assertThat(m).startsWith("Refused:").contains("read-only").endsWith("Nothing was changed."),
                m -> assertThat(m).startsWith("Run one statement at a time").endsWith("Nothing was run."),
                m -> assertThat(m).startsWith("SQL error: Syntax error").endsWith("Nothing was run."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void everyKindOfWriteIsRefusedWithAMessageAndChangesNothing(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            ctx.get(DemoDataService.class).generate(20);
            createSideEffectObjects(ctx);
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            String before = fingerprint(ctx);
            for (String sql : writeStatements(db.equals("h2"))) {
                assertThatThrownBy(() -> console.run(sql)).as(sql)
                        .isInstanceOfSatisfying(ValidationException.class, e -> assertRefusal(sql, e));
                assertThat(fingerprint(ctx)).as("database after %s", sql).isEqualTo(before);
            }
            // ...and queries still work afterwards
            assertThat(console.run("SELECT COUNT(*) FROM users").rows()).containsExactly(List.of("20"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void runsQueriesInBatchesUpToTheCapWithTimeAndCount(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            ctx.get(DemoDataService.class).generate(120);
            SqlConsoleService console = new SqlConsoleService(ctx.get(ReaderConnections.class), new SqlHistory(dir.resolve("h.txt"), 50),
                    new SqlConsoleService.Limits(50, 110, Duration.ofMinutes(5)));
            SqlConsoleService.Result first = console.run("SELECT id, email FROM users ORDER BY id; -- the first 110");
            assertThat(first.columns()).hasSize(2);
            assertThat(first.columns().get(1)).isEqualToIgnoringCase("email");
            assertThat(first.rows()).hasSize(50);
            assertThat(first.rows().get(0).get(0)).isEqualTo("1");
            assertThat(first.more()).isTrue();
            assertThat(first.elapsedMillis()).isGreaterThanOrEqualTo(0);
            SqlCursor cursor = first.cursor();
            assertThat(cursor).isNotNull();
            assertThat(console.openCursors()).isEqualTo(1);
            SqlConsoleService.Result second = cursor.fetchMore();
            assertThat(second.rows()).hasSize(50);
            assertThat(second.rows().get(0).get(0)).isEqualTo("51");
            assertThat(second.totalRows()).isEqualTo(100);
            SqlConsoleService.Result third = cursor.fetchMore();
            assertThat(third.rows()).hasSize(10);
            assertThat(third.capped()).isTrue();
            assertThat(third.more()).isFalse();
            assertThat(third.cursor()).isNull();
            assertThat(cursor.isOpen()).isFalse();
            assertThat(console.openCursors()).isZero();
            SqlConsoleService.Result small = console.run("SELECT COUNT(*) AS n, NULL AS nothing FROM users");
            assertThat(small.more()).isFalse();
            assertThat(small.cursor()).isNull();
            assertThat(small.rows()).containsExactly(java.util.Arrays.asList("120", null));
            assertThat(console.history().entries()).first().isEqualTo("SELECT COUNT(*) AS n, NULL AS nothing FROM users");
            assertThat(new SqlHistory(dir.resolve("h.txt"), 50).entries())
                    .containsExactly("SELECT COUNT(*) AS n, NULL AS nothing FROM users", "SELECT id, email FROM users ORDER BY id");
            if (FilePermissions.isPosix()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("h.txt")))).isEqualTo("rw-------");
            }
            console.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void errorsAreClearAndExplainShowsThePlan(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            assertThatThrownBy(() -> console.run("SELEC * FROM users"))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("SQL error: Syntax error").hasMessageContainingAll("SELEC");
            assertThatThrownBy(() -> console.run("SELECT * FROM no_such_table"))
                    .isInstanceOf(ValidationException.class).hasMessageStartingWith("SQL error: ")
                    .satisfies(e -> assertThat(e.getMessage().toLowerCase()).contains("no_such_table"));
            assertThatThrownBy(() -> console.run("  -- nothing\n ; "))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("Type a query");
            String plan = console.explain("SELECT * FROM users WHERE id = 5");
            assertThat(plan.toLowerCase()).containsAnyOf("primary_key", "index scan", "users_pkey", "scan");
            assertThat(plan).isNotBlank();
            assertThatThrownBy(() -> console.explain("DELETE FROM users")).hasMessageStartingWith("Refused:");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void cancelStopsAHugeCrossJoin(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            String huge = db.equals("h2")
                    ? "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 1000000) a, SYSTEM_RANGE(1, 1000000) b"
                    : "SELECT COUNT(*) FROM generate_series(1, 1000000) a, generate_series(1, 1000000) b";
            TaskHandle handle = new TaskHandle("console");
            CompletableFuture<SqlConsoleService.Result> running = Tasks.start(handle, () -> console.run(huge));
            // the cross join itself is executing (a cancel hook alone may be an earlier statement of the same run: a
            // cancel landing there reported "console was cancelled" instead of stopping the query)
            org.adminconsole.testing.Executing.await(ctx.settings(), db.equals("h2") ? "SYSTEM_RANGE(1, 1000000) a," : "generate_series(1, 1000000) a,");
            assertThat(running).isNotDone();
            handle.cancel();
            assertThatThrownBy(() -> running.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(CancelledException.class).hasMessageContaining("Query cancelled");
            assertThat(console.run("SELECT 1").rows()).containsExactly(List.of("1"));
        }
    }
}
