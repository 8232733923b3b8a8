package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The reader login, on both databases: its real rights are checked before every connection; H2's managed user is
 * re-created when it can do more than read; PostgreSQL refuses to open without a reader, with the owner, a superuser or
 * a role with any right beyond SELECT, and says how to create the reader; no password ever shows.
 */
class ReaderConnectionsTest {

    private static final AtomicInteger ROLES = new AtomicInteger();

    @TempDir Path dir;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<String> messages = new ArrayList<>();

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    }

    /** The console's message for {@code sql} (empty when it ran). */
    private String attempt(SqlConsoleService console, String sql) {
        try {
            console.run(sql);
            return "";
        } catch (ValidationException e) {
            messages.add(e.getMessage());
            return e.getMessage();
        }
    }

    private void assertNeverShown(String secret, Path dataDir) throws Exception {
        assertThat(secret).isNotBlank();
        assertThat(messages).noneMatch(m -> m.contains(secret));
        for (ILoggingEvent e : log.list) {
            assertThat(e.getFormattedMessage()).doesNotContain(secret);
            if (e.getThrowableProxy() != null) {
                assertThat(ThrowableProxyUtil.asString(e.getThrowableProxy())).doesNotContain(secret);
            }
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".mv.db")).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(secret);
            }
        }
    }

    // ---- H2 --------------------------------------------------------------------------------------------------------

    @Test
    void h2ManagedReaderIsCreatedAgainWheneverItCanDoMoreThanRead() throws Exception {
        Settings settings = TestDatabases.h2(dir);
        try (Connection pre = TestDatabases.connect(settings); Statement st = pre.createStatement()) {
            // left over from an older version or planted: an ADMIN user of that name before the console ever used it
            st.execute("CREATE USER " + H2ReaderLogin.MANAGED + " PASSWORD 'planted' ADMIN");
        }
        try (AppContext ctx = AppContext.start(settings)) {
            ctx.get(DemoDataService.class).generate(5);
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            H2ReaderLogin login = (H2ReaderLogin) ctx.get(ReaderConnections.class).login();
            List<String> passwords = new ArrayList<>();
            assertThat(attempt(console, "SELECT COUNT(*) FROM users")).isEmpty();
            assertOnlySelect(ctx);
            passwords.add(login.passwordForTests());
            for (String escalation : List.of(
                    "ALTER USER " + H2ReaderLogin.MANAGED + " ADMIN TRUE",
                    "GRANT INSERT, UPDATE ON users TO " + H2ReaderLogin.MANAGED,
                    "CREATE ROLE writers; GRANT DELETE ON user_departments TO writers; GRANT writers TO " + H2ReaderLogin.MANAGED,
                    "ALTER USER " + H2ReaderLogin.MANAGED + " SET PASSWORD 'changed-behind-its-back'")) {
                InspectDatabases.exec(ctx, escalation.split("; "));
                assertThat(attempt(console, "SELECT COUNT(*) FROM users")).as(escalation).isEmpty();
                assertOnlySelect(ctx);
                passwords.add(login.passwordForTests());
            }
            assertThat(log.list).anyMatch(e -> e.getFormattedMessage().contains("could do more than read (has ADMIN rights)"));
            assertThat(passwords).doesNotHaveDuplicates();
            for (String pw : passwords) {
                assertNeverShown(pw, dir);
            }
        }
    }

    private static void assertOnlySelect(AppContext ctx) throws SQLException {
        try (Connection c = InspectDatabases.admin(ctx); Statement st = c.createStatement()) {
            assertThat(H2Rights.problems(c, H2ReaderLogin.MANAGED)).isEmpty();
            try (ResultSet rs = st.executeQuery("SELECT RIGHTS FROM INFORMATION_SCHEMA.RIGHTS WHERE GRANTEE = '" + H2ReaderLogin.MANAGED + "'")) {
                while (rs.next()) {
                    assertThat(rs.getString(1)).isEqualTo("SELECT");
                }
            }
        }
    }

    @Test
    void h2RefusesWhileEveryUserCanWriteAndChecksAConfiguredReader() throws Exception {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir))) {
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            InspectDatabases.exec(ctx, "GRANT INSERT ON users TO PUBLIC");
            assertThat(attempt(console, "SELECT 1")).startsWith("Every H2 user can write here: PUBLIC has INSERT on PUBLIC.USERS")
                    .contains("Revoke those rights from PUBLIC");
            InspectDatabases.exec(ctx, "REVOKE INSERT ON users FROM PUBLIC");
            assertThat(attempt(console, "SELECT 1")).isEmpty();
        }
        Map<String, String> viewer = Map.of("sql.user", "viewer", "sql.password", "Viewer-Secret-4711");
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, viewer))) {
            InspectDatabases.exec(ctx, "CREATE USER viewer PASSWORD 'Viewer-Secret-4711'", "GRANT SELECT ON users TO viewer");
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            assertThat(attempt(console, "SELECT COUNT(*) FROM users")).isEmpty();
            InspectDatabases.exec(ctx, "GRANT UPDATE ON users TO viewer");
            assertThat(attempt(console, "SELECT COUNT(*) FROM users"))
                    .isEqualTo("The H2 user 'viewer' (sql.user) can do more than read: has SELECT, UPDATE on PUBLIC.USERS. Give it SELECT only,"
                            + " or leave sql.user empty so that the console manages its own read-only user.");
            InspectDatabases.exec(ctx, "REVOKE UPDATE ON users FROM viewer", "ALTER USER viewer ADMIN TRUE");
            assertThat(attempt(console, "SELECT 1")).contains("has ADMIN rights");
            assertNeverShown("Viewer-Secret-4711", dir);
        }
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("sql.user", "sa")))) {
            assertThat(attempt(ctx.get(SqlConsoleService.class), "SELECT 1")).contains("is the console's own login (db.user)");
        }
    }

    // ---- PostgreSQL ------------------------------------------------------------------------------------------------

    @Test
    void postgresRefusesToOpenWithoutAReadOnlyLoginAndSaysHowToCreateOne() throws Exception {
        for (String user : List.of("", "postgres")) {
            try (AppContext ctx = AppContext.start(TestDatabases.postgres(dir, Map.of("sql.user", user, "sql.password", "Never-Shown-99")))) {
                String m = attempt(ctx.get(SqlConsoleService.class), "SELECT 1");
                assertThat(m).as(user).contains(user.isEmpty() ? "sql.user is not set" : "is the console's own login (db.user)")
                        .contains("db/roles/reader.sql").contains("never runs console SQL as its own login");
                assertThatThrownBy(() -> ctx.get(org.adminconsole.service.monitor.ExplainService.class).explain("SELECT 1", List.of()))
                        .isInstanceOf(ValidationException.class).hasMessageContaining("db/roles/reader.sql");
            }
        }
        try (AppContext ctx = AppContext.start(TestDatabases.postgres(dir, Map.of("sql.user", "acx_no_such_role", "sql.password", "Never-Shown-99")))) {
            assertThat(attempt(ctx.get(SqlConsoleService.class), "SELECT 1")).contains("cannot log in as sql.user 'acx_no_such_role'")
                    .contains("db/roles/reader.sql");
        }
        assertNeverShown("Never-Shown-99", dir);
    }

    @Test
    void postgresRefusesAReaderWithAnyRightBeyondSelectAndTheScriptInDbRolesMakesAGoodOne() throws Exception {
        String role = "acx_r_" + ProcessHandle.current().pid() + "_" + ROLES.incrementAndGet();
        Settings settings = TestDatabases.postgres(dir, Map.of("sql.user", role, "sql.password", "Role-Secret-123"));
        String schema = settings.dbUrl().substring(settings.dbUrl().indexOf("currentSchema=") + "currentSchema=".length());
        try (AppContext ctx = AppContext.start(settings)) {
            ctx.get(DemoDataService.class).generate(5);
            InspectDatabases.exec(ctx, "CREATE SEQUENCE counter");
            // one transaction: PUBLIC may run a new function, and every reader login of the server (other test
            // classes' too) checks all SECURITY DEFINER functions it could call; none may ever see this one callable
            try (Connection c = InspectDatabases.admin(ctx); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute("CREATE FUNCTION definer() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$");
                st.execute("REVOKE EXECUTE ON FUNCTION definer() FROM PUBLIC");
                c.commit();
            }
            runReaderScript(role, schema);
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            assertThat(attempt(console, "SELECT COUNT(*) FROM users")).isEmpty();
            Connection reader = ctx.get(ReaderConnections.class).open();
            try (Statement st = reader.createStatement()) {
                for (String[] setting : new String[][] {{"statement_timeout", "30s"}, {"lock_timeout", "2s"},
                        {"idle_in_transaction_session_timeout", "5min"}, {"default_transaction_read_only", "on"}, {"transaction_read_only", "on"}}) {
                    try (ResultSet rs = st.executeQuery("SHOW " + setting[0])) {
                        rs.next();
                        assertThat(rs.getString(1)).as(setting[0]).isEqualTo(setting[1]);
                    }
                }
            } finally {
                ReaderConnections.release(reader);
            }
            String[][] escalations = {
                    {"GRANT INSERT ON users TO " + role, "REVOKE INSERT ON users FROM " + role, "rights beyond SELECT on " + schema + ".users (INSERT)"},
                    {"GRANT UPDATE (quota) ON users TO " + role, "REVOKE UPDATE (quota) ON users FROM " + role, schema + ".users (UPDATE)"},
                    {"GRANT USAGE ON SEQUENCE counter TO " + role, "REVOKE USAGE ON SEQUENCE counter FROM " + role, "sequence rights on " + schema + ".counter (USAGE)"},
                    {"GRANT CREATE ON SCHEMA " + schema + " TO " + role, "REVOKE CREATE ON SCHEMA " + schema + " FROM " + role, "CREATE on schema " + schema},
                    {"GRANT TEMPORARY ON DATABASE test TO " + role, "REVOKE TEMPORARY ON DATABASE test FROM " + role, "database rights TEMP"},
                    {"GRANT pg_read_server_files TO " + role, "REVOKE pg_read_server_files FROM " + role, "member of pg_read_server_files"},
                    {"GRANT pg_signal_backend TO " + role, "REVOKE pg_signal_backend FROM " + role, "member of pg_signal_backend"},
                    {"GRANT postgres TO " + role, "REVOKE postgres FROM " + role, "member of postgres"},
                    {"ALTER ROLE " + role + " CREATEDB", "ALTER ROLE " + role + " NOCREATEDB", "role attributes " + role + ": CREATEDB"},
                    {"ALTER ROLE " + role + " SUPERUSER", "ALTER ROLE " + role + " NOSUPERUSER", "SUPERUSER"},
                    {"GRANT EXECUTE ON FUNCTION definer() TO " + role, "REVOKE EXECUTE ON FUNCTION definer() FROM " + role,
                            "can call SECURITY DEFINER functions " + schema + ".definer()"},
                    {"GRANT EXECUTE ON FUNCTION lo_from_bytea(oid, bytea) TO " + role, "REVOKE EXECUTE ON FUNCTION lo_from_bytea(oid, bytea) FROM " + role,
                            "can call lo_from_bytea(oid,bytea)"},
                    {"ALTER ROLE " + role + " RESET statement_timeout", "ALTER ROLE " + role + " SET statement_timeout = '30s'",
                            "session defaults missing (ALTER ROLE … SET) statement_timeout"},
                    {"ALTER ROLE " + role + " SET default_transaction_read_only = off", "ALTER ROLE " + role + " SET default_transaction_read_only = on",
                            "session defaults missing (ALTER ROLE … SET) default_transaction_read_only = on"}};
            for (String[] e : escalations) {
                InspectDatabases.exec(ctx, e[0]);
                try {
                    assertThat(attempt(console, "SELECT COUNT(*) FROM users")).as(e[0])
                            .startsWith("sql.user '" + role + "' can do more than read: ").contains(e[2]).contains("db/roles/reader.sql");
                } finally {
                    InspectDatabases.exec(ctx, e[1]);
                }
                assertThat(attempt(console, "SELECT COUNT(*) FROM users")).as("after " + e[1]).isEmpty();
            }
            assertNeverShown("Role-Secret-123", dir);
        } finally {
            try (Connection c = java.sql.DriverManager.getConnection(TestDatabases.PG_URL, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("DROP OWNED BY " + role);
                st.execute("DROP ROLE " + role);
            }
        }
    }

    /** db/roles/reader.sql exactly as the README tells the owner to run it. */
    private static void runReaderScript(String role, String schema) throws Exception {
        Process p = new ProcessBuilder("psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "test",
                "-v", "reader=" + role, "-v", "schema=" + schema, "-v", "owner=postgres", "-f", "db/roles/reader.sql")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
