package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.adminconsole.AppContext;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.monitor.ExplainService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hostile corpus: well over 100 statements per database that try to write, lock, advance sequences, read or write
 * server files, run programs, reach other sessions or change settings, hidden every way that fooled the former
 * splitter (E'\'' strings, $ inside identifiers, dollar quotes, U&amp; strings, nested comments, comments, several
 * statements). Each one runs through the SQL console, its Explain button and the SQL log's EXPLAIN ANALYZE; after each,
 * the database (every table's rows and the catalog) must be unchanged and no file may have appeared where the database
 * could write.
 *
 * <p>Then the hidden writes go straight to the reader connection, past every gate: the database itself must refuse
 * each one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCorpusTest {

    @TempDir static Path dir;
    @TempDir static Path victim;
    private final Map<String, AppContext> contexts = new java.util.HashMap<>();

    /** One console per database for both tests (starting one takes seconds), with 20 users and side-effect objects. */
    private AppContext context(String db) throws Exception {
        AppContext ctx = contexts.get(db);
        if (ctx == null) {
            ctx = InspectDatabases.open(db, dir.resolve(db));
            contexts.put(db, ctx); // closed after all, even when the set-up below fails
            ctx.get(DemoDataService.class).generate(20);
            SqlConsoleServiceTest.createSideEffectObjectsFor(ctx);
            ctx.get(SqlConsoleService.class).run("SELECT 1"); // the H2 reader user and the history file exist from now on
        }
        return ctx;
    }

    @AfterAll
    void closeContexts() throws SQLException {
        for (Connection c : admins.values()) {
            c.close();
        }
        contexts.values().forEach(AppContext::close);
    }

    private final String marker = "acx-corpus-" + UUID.randomUUID().toString().substring(0, 8);

    /** Where a file written by a hostile statement would land. */
    private Path target(String name) {
        return victim.resolve(marker + "-" + name);
    }

    private String tmp(String name) {
        return "/tmp/" + marker + "-" + name;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void nothingInTheCorpusChangesAnythingOrWritesAFile(String db) throws Exception {
        boolean h2 = db.equals("h2");
        {
            AppContext ctx = context(db);
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            ExplainService explain = ctx.get(ExplainService.class);
            List<String> corpus = corpus(h2, ownerBackendPid(ctx));
            assertThat(corpus).hasSizeGreaterThanOrEqualTo(100);
            assertThat(new TreeSet<>(corpus)).hasSameSizeAs(corpus);

            Map<String, String> before = fingerprint(ctx);
            Set<String> filesBefore = files(ctx);
            int refusedByGate = 0;
            int ranHarmlessly = 0;
            Set<String> ran = new TreeSet<>();
            for (String sql : corpus) {
                for (Callable<?> way : List.<Callable<?>>of(() -> console.run(sql), () -> console.explain(sql),
                        () -> explain.explain(sql, List.of()))) {
                    try {
                        Object r = way.call();
                        if (r instanceof SqlConsoleService.Result result && result.cursor() != null) {
                            result.cursor().close();
                        }
                        ranHarmlessly++;
                        ran.add(sql);
                    } catch (ValidationException e) {
                        refusedByGate++;
                    } catch (Exception | Error e) {
                        fail("'" + sql + "' let " + e + " out of the console", e);
                    }
                }
                assertSettlesTo(() -> fingerprint(ctx), before, "the database after: " + sql);
                assertThat(files(ctx)).as("files after: %s", sql).isEqualTo(filesBefore);
            }
            System.out.printf("[corpus %s] %d statements, %d runs refused, %d ran and changed nothing: %s%n", db, corpus.size(),
                    refusedByGate, ranHarmlessly, ran);
            // ...and the console still answers
            assertThat(console.run("SELECT COUNT(*) FROM users").rows()).containsExactly(List.of("20"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void theDatabaseItselfRefusesHiddenWritesSentStraightToTheReader(String db) throws Exception {
        boolean h2 = db.equals("h2");
        {
            AppContext ctx = context(db);
            ReaderConnections readers = ctx.get(ReaderConnections.class);
            try (Connection owner = InspectDatabases.admin(ctx)) {
                long ownerPid = h2 ? 0 : pid(owner);
                List<List<String>> writes = h2 ? h2DirectWrites() : pgDirectWrites(ownerPid);
                Map<String, String> before = fingerprint(ctx);
                Set<String> filesBefore = files(ctx);
                for (List<String> steps : writes) {
                    Connection c = readers.open();
                    try (Statement st = c.createStatement()) {
                        for (int i = 0; i < steps.size() - 1; i++) {
                            st.execute(steps.get(i)); // preparation the database allows (e.g. SET, COMMIT)
                        }
                        if (steps.contains("SET TRANSACTION READ WRITE")) {
                            try (ResultSet rs = st.executeQuery("SHOW transaction_read_only")) {
                                rs.next();
                                assertThat(rs.getString(1)).as("read-only is off for %s", steps).isEqualTo("off");
                            }
                        }
                        String write = steps.get(steps.size() - 1);
                        try {
                            if (st.execute(write)) {
                                drain(st.getResultSet()); // H2 evaluates a lazy result's functions while reading it
                            }
                            // a few commands only warn that they did nothing (PostgreSQL: GRANT without the grant
                            // option); the fingerprint below shows that nothing changed
                            assertThat((Object) st.getWarnings()).as("The database let the reader run: %s", steps).isNotNull();
                        } catch (SQLException expected) {
                            assertThat(expected.getSQLState()).as("%s: %s", steps, expected.getMessage()).isNotNull();
                        }
                    } finally {
                        ReaderConnections.release(c);
                    }
                    assertSettlesTo(() -> fingerprint(ctx), before, "the database after: " + steps);
                    assertThat(files(ctx)).as("files after: %s", steps).isEqualTo(filesBefore);
                }
                if (!h2) {
                    // the owner's session survived pg_terminate_backend
                    assertThat(pid(owner)).isEqualTo(ownerPid);
                }
            }
        }
    }

    // ---- the corpus -------------------------------------------------------------------------------------------------

    List<String> corpus(boolean h2, long ownerPid) {
        List<String> c = new ArrayList<>();
        // changes hidden behind something that looks like one query
        List<String> payloads = List.of(
                "UPDATE users SET quota = 0",
                "DELETE FROM user_departments",
                "DROP TABLE user_departments",
                "COMMIT",
                h2 ? "CALL CSVWRITE('" + target("hidden.csv") + "', 'SELECT * FROM users')" : "COPY users TO '" + tmp("hidden.csv") + "'",
                h2 ? "SELECT NEXT VALUE FOR counter" : "SELECT nextval('counter')",
                h2 ? "SCRIPT TO '" + target("hidden.sql") + "'" : "COPY (SELECT 1) TO PROGRAM 'touch " + tmp("program") + "'");
        List<String> wrappers = List.of(
                "SELECT 1; %s",
                "SELECT ';' AS semicolon; %s",
                "SELECT 1 /* ; */ ; %s",
                "SELECT 1 -- ;\n; %s",
                "SELECT E'\\''; %s; SELECT 'x'",
                "SELECT E'\\'' AS a, 1; %s --'",
                "SELECT $$;$$; %s",
                "SELECT $tag$ ; 'x $ $$ ; $tag$; %s",
                "SELECT a$b FROM (SELECT 1 AS a$b) q; %s",
                "SELECT 1 AS a$b$; %s; SELECT $b$",
                "SELECT U&'\\0027'; %s",
                "SELECT 1 /* a /* b */ ; %s; /* */ */",
                "SELECT '\\'; %s; SELECT '\\'");
        for (String w : wrappers) {
            for (String p : payloads) {
                c.add(String.format(w, p));
            }
        }
        // plain changes, transaction and session commands
        c.addAll(List.of(
                "INSERT INTO departments (name, description, version) VALUES ('Evil', 'x', 0)",
                "UPDATE users SET quota = quota + 1",
                "DELETE FROM users WHERE id = 1",
                "TRUNCATE TABLE user_departments",
                "DROP TABLE users",
                "CREATE TABLE evil (id INT)",
                "ALTER TABLE users ADD COLUMN evil INT",
                "CREATE INDEX evil_idx ON users (quota)",
                "CREATE VIEW evil_view AS SELECT * FROM users",
                "CREATE SEQUENCE evil_seq",
                "CREATE SCHEMA evil",
                "GRANT ALL ON users TO PUBLIC",
                "REVOKE SELECT ON users FROM PUBLIC",
                "COMMENT ON TABLE users IS 'evil'",
                "ROLLBACK", "BEGIN", "START TRANSACTION", "SAVEPOINT s", "RELEASE SAVEPOINT s",
                "SET TRANSACTION READ WRITE",
                "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
                "SET default_transaction_read_only = off",
                "SET statement_timeout = 0",
                "RESET ALL",
                "LOCK TABLE users",
                "EXPLAIN ANALYZE DELETE FROM users",
                "EXPLAIN ANALYZE UPDATE users SET quota = 0",
                "EXPLAIN (ANALYZE, BUFFERS) DELETE FROM users",
                "EXPLAIN ANALYZE WITH d AS (DELETE FROM users RETURNING *) SELECT * FROM d",
                "EXPLAIN ANALYZE SELECT * FROM users FOR UPDATE"));
        // locks, sequences, hidden changes inside one query
        c.addAll(List.of(
                "SELECT * FROM users FOR UPDATE",
                "SELECT * FROM users FOR SHARE",
                "SELECT * FROM users FOR NO KEY UPDATE",
                "SELECT * FROM users FOR KEY SHARE",
                "SELECT * FROM users FOR UPDATE NOWAIT",
                "SELECT * FROM users FOR UPDATE SKIP LOCKED",
                "SELECT * FROM (SELECT * FROM users FOR UPDATE) x",
                "SELECT id FROM users UNION SELECT id FROM users FOR UPDATE",
                "WITH d AS (DELETE FROM user_departments RETURNING *) SELECT COUNT(*) FROM d",
                "WITH u AS (UPDATE users SET quota = 0 RETURNING id) SELECT * FROM u",
                "WITH i AS (INSERT INTO departments (name, description, version) VALUES ('Evil', 'x', 0) RETURNING id) SELECT * FROM i",
                "SELECT * INTO evil FROM users",
                "SELECT * INTO TEMP evil FROM users",
                "SELECT NEXT VALUE FOR counter",
                "SELECT nextval('counter')",
                "SELECT \"NEXTVAL\"('COUNTER')",
                "SELECT \"nextval\"('counter')",
                "SELECT setval('counter', 1000)",
                "SELECT currval('counter')",
                "SELECT id FROM users ORDER BY nextval('counter')",
                "SELECT COUNT(*) FILTER (WHERE nextval('counter') > 0) FROM users",
                "SELECT CASE WHEN id > 0 THEN nextval('counter') END FROM users",
                "SELECT (SELECT nextval('counter'))",
                "SELECT * FROM users WHERE id IN (SELECT NEXT VALUE FOR counter)",
                "SELECT PUBLIC.NEXTVAL('COUNTER')"));
        // functions that write, lock, read or write server files, run other SQL, reach other sessions or settings
        c.addAll(List.of(
                "SELECT set_config('default_transaction_read_only', 'off', false)",
                "SELECT pg_catalog.set_config('statement_timeout', '0', false)",
                "SELECT pg_advisory_lock(42)",
                "SELECT pg_try_advisory_lock(42)",
                "SELECT pg_advisory_xact_lock(42)",
                "SELECT pg_notify('table_versions', 'users')",
                "SELECT lo_create(0)",
                "SELECT lo_from_bytea(0, 'evil')",
                "SELECT lo_import('/etc/hostname')",
                "SELECT lo_export(1, '" + tmp("lo") + "')",
                "SELECT pg_read_file('/etc/passwd')",
                "SELECT pg_catalog.pg_read_binary_file('/etc/passwd')",
                "SELECT * FROM pg_ls_dir('.')",
                "SELECT pg_stat_file('/etc/passwd')",
                "SELECT pg_terminate_backend(" + ownerPid + ")",
                "SELECT pg_cancel_backend(" + ownerPid + ")",
                "SELECT pg_reload_conf()",
                "SELECT pg_rotate_logfile()",
                "SELECT query_to_xml('DELETE FROM users RETURNING id', true, false, '')",
                "SELECT dblink_exec('dbname=test', 'DELETE FROM users')",
                "SELECT CSVWRITE('" + target("csv.csv") + "', 'SELECT * FROM users')",
                "SELECT * FROM CSVREAD('/etc/passwd')",
                "SELECT FILE_WRITE('evil', '" + target("file") + "')",
                "SELECT FILE_READ('/etc/passwd')",
                "SELECT * FROM LINK_SCHEMA('EVIL', '', 'jdbc:h2:mem:evil', 'sa', '', 'PUBLIC')",
                "SELECT CANCEL_SESSION(1)",
                "SELECT ABORT_SESSION(1)",
                "SELECT SET(@evil, 1)",
                "SELECT BUMP()",
                "SELECT bump()",
                "SELECT REPEAT('x', 400000000)",
                "SELECT SPACE(2000000000)",
                "SELECT LPAD('x', 999999999, 'y')",
                "SELECT REPEAT('x', A) FROM (VALUES (400000000)) V(A)",
                "SELECT 'x' || REPEAT('y', 100000 + 1)"));
        // statements that are not queries at all
        c.addAll(h2 ? List.of(
                "CALL BUMP()",
                "CALL CSVWRITE('" + target("call.csv") + "', 'SELECT 1')",
                "SCRIPT TO '" + target("script.sql") + "'",
                "BACKUP TO '" + target("backup.zip") + "'",
                "RUNSCRIPT FROM '" + target("missing.sql") + "'",
                "CREATE ALIAS EVIL FOR 'java.lang.System.exit'",
                "CREATE LINKED TABLE evil_link ('', 'jdbc:h2:mem:x', 'sa', '', 'T')",
                "CREATE USER evil PASSWORD 'evil' ADMIN",
                "ALTER USER " + H2ReaderLogin.MANAGED + " ADMIN TRUE",
                "GRANT INSERT ON users TO " + H2ReaderLogin.MANAGED,
                "CREATE LOCAL TEMPORARY TABLE evil_tmp (i INT)",
                "SELECT * FROM FINAL TABLE (INSERT INTO departments (name, description, version) VALUES ('Evil', 'x', 0))",
                "MERGE INTO departments KEY (name) VALUES (DEFAULT, 'Evil', 'x', 0)",
                "SET EXCLUSIVE 1",
                "SET WRITE_DELAY 5000",
                "SET REFERENTIAL_INTEGRITY FALSE",
                "SET @evil = 1",
                "CHECKPOINT",
                "SHUTDOWN",
                "SHUTDOWN IMMEDIATELY")
                : List.of(
                "COPY users TO '" + tmp("copy.csv") + "'",
                "COPY (SELECT * FROM users) TO PROGRAM 'touch " + tmp("copy-program") + "'",
                "COPY users TO STDOUT",
                "COPY departments FROM '/etc/passwd'",
                "DO $$ BEGIN UPDATE users SET quota = 0; END $$",
                "CREATE FUNCTION evil() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
                "CREATE EXTENSION dblink",
                "CREATE ROLE evil SUPERUSER LOGIN",
                "ALTER ROLE " + org.adminconsole.testing.TestDatabases.PG_READER + " SUPERUSER",
                "ALTER ROLE " + org.adminconsole.testing.TestDatabases.PG_READER + " SET default_transaction_read_only = off",
                "SET ROLE postgres",
                "SET SESSION AUTHORIZATION postgres",
                "ALTER SYSTEM SET work_mem = '1MB'",
                "PREPARE TRANSACTION 'evil'",
                "VACUUM users",
                "ANALYZE users",
                "CLUSTER users",
                "REINDEX TABLE users",
                "LISTEN evil",
                "NOTIFY table_versions, 'users'",
                "DISCARD ALL",
                "CHECKPOINT",
                "LOAD 'evil'",
                "MERGE INTO departments d USING (SELECT 'Evil' AS name) s ON d.name = s.name WHEN NOT MATCHED THEN"
                        + " INSERT (name, description, version) VALUES ('Evil', 'x', 0)",
                "CREATE TEMP TABLE evil_tmp (i INT)"));
        return c;
    }

    static List<List<String>> h2DirectWrites() {
        String reader = H2ReaderLogin.MANAGED;
        return List.of(
                List.of("INSERT INTO departments (name, description, version) VALUES ('Evil', 'x', 0)"),
                List.of("UPDATE users SET quota = 0"),
                List.of("DELETE FROM user_departments"),
                List.of("MERGE INTO departments KEY (name) VALUES (DEFAULT, 'Evil', 'x', 0)"),
                List.of("TRUNCATE TABLE user_departments"),
                List.of("DROP TABLE user_departments"),
                List.of("CREATE TABLE evil (i INT)"),
                List.of("ALTER TABLE users ADD COLUMN evil INT"),
                List.of("CREATE SCHEMA evil"),
                List.of("CREATE SEQUENCE evil_seq"),
                List.of("CREATE ALIAS EVIL FOR 'java.lang.System.exit'"),
                List.of("CALL BUMP()"),
                List.of("SELECT BUMP()"),
                List.of("SELECT * FROM FINAL TABLE (INSERT INTO departments (name, description, version) VALUES ('Evil', 'x', 0))"),
                List.of("SELECT 1; UPDATE users SET quota = 0"),
                List.of("COMMIT", "UPDATE users SET quota = 0"),
                List.of("CALL CSVWRITE('/tmp/acx-corpus-direct.csv', 'SELECT * FROM users')"),
                List.of("SELECT FILE_WRITE('evil', '/tmp/acx-corpus-direct')"),
                List.of("SELECT FILE_READ('/etc/passwd')"),
                List.of("SELECT * FROM CSVREAD('/etc/passwd')"),
                List.of("SCRIPT TO '/tmp/acx-corpus-direct.sql'"),
                List.of("BACKUP TO '/tmp/acx-corpus-direct.zip'"),
                List.of("RUNSCRIPT FROM '/tmp/acx-corpus-missing.sql'"),
                List.of("CREATE LINKED TABLE evil_link ('', 'jdbc:h2:mem:x', 'sa', '', 'T')"),
                List.of("SELECT * FROM LINK_SCHEMA('EVIL', '', 'jdbc:h2:mem:evil', 'sa', '', 'PUBLIC')"),
                List.of("CREATE USER evil PASSWORD 'evil' ADMIN"),
                List.of("ALTER USER " + reader + " ADMIN TRUE"),
                List.of("GRANT INSERT ON users TO " + reader),
                List.of("ALTER USER SA SET PASSWORD 'evil'"),
                List.of("SET EXCLUSIVE 1"),
                List.of("SET WRITE_DELAY 5000"),
                List.of("SET REFERENTIAL_INTEGRITY FALSE"),
                List.of("SELECT CANCEL_SESSION(1)"),
                List.of("CHECKPOINT"),
                List.of("SHUTDOWN"));
    }

    static List<List<String>> pgDirectWrites(long ownerPid) {
        String reader = org.adminconsole.testing.TestDatabases.PG_READER;
        // the driver begins each transaction READ ONLY; SET TRANSACTION before the first query turns that off
        List<String> readWrite = List.of("COMMIT", "SET default_transaction_read_only = off", "SET TRANSACTION READ WRITE");
        List<List<String>> w = new ArrayList<>();
        for (String write : List.of(
                "INSERT INTO departments (name, description, version) VALUES ('Evil', 'x', 0)",
                "UPDATE users SET quota = 0",
                "DELETE FROM user_departments",
                "TRUNCATE TABLE user_departments",
                "DROP TABLE user_departments",
                "CREATE TABLE evil (i INT)",
                "CREATE TEMP TABLE evil_tmp (i INT)",
                "ALTER TABLE users ADD COLUMN evil INT",
                "CREATE SCHEMA evil",
                "GRANT SELECT ON users TO PUBLIC",
                "SELECT nextval('counter')",
                "SELECT setval('counter', 1000)",
                "SELECT bump()",
                "SELECT * FROM users FOR UPDATE",
                "WITH d AS (DELETE FROM user_departments RETURNING *) SELECT COUNT(*) FROM d",
                "COPY users TO '/tmp/acx-corpus-direct.csv'",
                "COPY (SELECT 1) TO PROGRAM 'touch /tmp/acx-corpus-direct'",
                "SELECT pg_read_file('/etc/passwd')",
                "SELECT lo_import('/etc/hostname')",
                "SELECT lo_export(0, '/tmp/acx-corpus-direct-lo')",
                "SELECT lo_create(0)",
                "SELECT lo_from_bytea(0, 'evil')",
                "SELECT pg_terminate_backend(" + ownerPid + ")",
                "SELECT pg_cancel_backend(" + ownerPid + ")",
                "DO $$ BEGIN UPDATE users SET quota = 0; END $$",
                "CREATE FUNCTION evil() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
                "CREATE EXTENSION dblink",
                "CREATE ROLE evil SUPERUSER LOGIN",
                "ALTER ROLE " + reader + " SUPERUSER",
                "SET ROLE postgres",
                "SET SESSION AUTHORIZATION postgres",
                "ALTER SYSTEM SET work_mem = '1MB'",
                "PREPARE TRANSACTION 'evil'",
                "CHECKPOINT",
                "SELECT E'\\''; COMMIT; UPDATE users SET quota = 0; SELECT 'x'")) {
            w.add(List.of(write)); // in the read-only transaction the console opens
            List<String> afterReadWrite = new ArrayList<>(readWrite);
            afterReadWrite.add(write); // and after the reader turned read-only off: its rights alone must refuse it
            w.add(afterReadWrite);
        }
        return w;
    }

    // ---- what "changed" means ------------------------------------------------------------------------------------

    /** One admin connection per database for the fingerprints (opening one per statement doubled the run time). */
    private final Map<AppContext, Connection> admins = new java.util.HashMap<>();
    private final Map<AppContext, String> pgDataDirectories = new java.util.HashMap<>();

    /**
     * Asserts that the database is as {@code before} once the released connection's server session has ended. A closed
     * JDBC connection returns before PostgreSQL's backend has exited, and what a session holds until then (a session-level
     * {@code pg_advisory_lock}, a transaction opened by SQL text) is released only at its exit: a CI run of 2026-12-01
     * saw three such lock rows of the reader for a moment. A lasting change still fails, after 10 s.
     */
    static void assertSettlesTo(java.util.concurrent.Callable<Map<String, String>> now, Map<String, String> before, String what)
            throws Exception {
        List<Map<String, String>> last = new ArrayList<>(List.of(Map.of()));
        try {
            org.testfx.util.WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS, () -> {
                last.set(0, now.call());
                return before.equals(last.get(0));
            });
        } catch (java.util.concurrent.TimeoutException e) {
            // the assertion below says what differs
        }
        assertThat(last.get(0)).as(what).isEqualTo(before);
    }

    Map<String, String> fingerprint(AppContext ctx) throws SQLException {
        Connection c = admins.get(ctx);
        if (c == null) {
            c = InspectDatabases.admin(ctx);
            c.setAutoCommit(true);
            admins.put(ctx, c);
        }
        return DatabaseFingerprint.of(c, ctx.settings().isH2(), c.getSchema(),
                ctx.settings().isH2() ? H2ReaderLogin.MANAGED : org.adminconsole.testing.TestDatabases.PG_READER);
    }

    /**
     * Files where the database could write: the data folder and a victim folder (every name), and files named with
     * this run's marker in /tmp, the working folder and (PostgreSQL) the server's data folder.
     */
    Set<String> files(AppContext ctx) throws IOException, SQLException {
        Set<String> out = new TreeSet<>();
        for (Path folder : List.of(ctx.settings().dataDir(), victim)) {
            try (Stream<Path> s = Files.walk(folder)) {
                out.addAll(s.filter(p -> !p.getFileName().toString().endsWith(".trace.db")).map(Path::toString).collect(Collectors.toSet()));
            }
        }
        List<Path> shared = new ArrayList<>(List.of(Path.of("/tmp"), Path.of("").toAbsolutePath()));
        if (ctx.settings().isPostgres()) {
            shared.add(Path.of(pgDataDirectories.computeIfAbsent(ctx, HostileCorpusTest::pgDataDirectory)));
        }
        for (Path folder : shared) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> s = Files.list(folder)) {
                    out.addAll(s.map(p -> p.getFileName().toString()).filter(n -> n.contains("acx-corpus")).toList());
                }
            }
        }
        return out;
    }

    private static String pgDataDirectory(AppContext ctx) {
        try (Connection c = InspectDatabases.admin(ctx); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW data_directory")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long ownerBackendPid(AppContext ctx) throws SQLException {
        if (ctx.settings().isH2()) {
            return 1;
        }
        try (Connection c = ctx.database().dataSource().getConnection()) {
            return pid(c);
        }
    }

    static void drain(ResultSet rs) throws SQLException {
        try (rs) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }

    private static long pid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
