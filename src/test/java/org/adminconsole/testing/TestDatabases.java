package org.adminconsole.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.adminconsole.config.Settings;
import org.junit.jupiter.api.Assumptions;

/**
 * Settings for real test databases: a fresh H2 file in a temporary folder, or a fresh schema on the local
 * PostgreSQL (127.0.0.1:5432, database test, user postgres). PostgreSQL tests skip with a visible reason
 * when no server answers, unless ADMINCONSOLE_REQUIRE_PG is set (CI), where they fail instead.
 */
public final class TestDatabases {

    public static final String PG_URL = System.getProperty("pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    /** The SQL console's read-only login on the test server (db/roles/reader.sql; .ci/run creates it too). */
    public static final String PG_READER = "admin_console_reader";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static volatile boolean pgReaderReady;

    private TestDatabases() {
    }

    public static Settings h2(Path dir, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put("data.dir", dir.toString());
        m.put("db.seed.users", "0");
        m.put("operator", "tester");
        m.putAll(extra);
        return Settings.of(m);
    }

    public static Settings h2(Path dir) {
        return h2(dir, Map.of());
    }

    public static boolean pgRequired() {
        String v = System.getenv("ADMINCONSOLE_REQUIRE_PG");
        return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    /** A fresh, empty schema on the local PostgreSQL; skips (or fails in CI) when unreachable. */
    public static Settings postgres(Path dir, Map<String, String> extra) {
        String schema = "t_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        onPostgres(PG_URL, st -> {
            dropLeftovers(st, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'", 1, "DROP SCHEMA IF EXISTS %s CASCADE");
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
            ensurePgReader(st);
            grantReader(st, schema);
        });
        return pgSettings(dir, PG_URL + "?currentSchema=" + schema, extra);
    }

    /**
     * A fresh PostgreSQL database of its own (schema public), for tests whose checks span a whole database, such as
     * the hostile-input fingerprints: test classes running in another JVM at the same time then cannot disturb them.
     */
    public static Settings postgresDatabase(Path dir, Map<String, String> extra) {
        String name = "ac_t_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        onPostgres(PG_URL, st -> {
            ensurePgReader(st);
            dropLeftovers(st, "SELECT datname FROM pg_database WHERE datname LIKE 'ac\\_t\\_%'", 2, "DROP DATABASE IF EXISTS %s WITH (FORCE)");
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + name);
        });
        String url = PG_URL.substring(0, PG_URL.lastIndexOf('/') + 1) + name;
        onPostgres(url, st -> {
            // the per-database part of db/roles/reader.sql
            st.execute("REVOKE CREATE, TEMPORARY ON DATABASE " + name + " FROM PUBLIC");
            st.execute("GRANT CONNECT ON DATABASE " + name + " TO " + PG_READER);
            st.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            st.execute("REVOKE EXECUTE ON FUNCTION lo_create(oid), lo_creat(integer), lo_from_bytea(oid, bytea),"
                    + " lo_put(oid, bigint, bytea), lo_import(text), lo_import(text, oid), lo_export(oid, text) FROM PUBLIC");
            grantReader(st, "public");
        });
        return pgSettings(dir, url + "?currentSchema=public", extra);
    }

    private static final java.util.Set<String> LEFTOVERS_DROPPED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Once per JVM and kind: drops the test schemas or databases of JVMs that have ended (the process id in the name,
     * at {@code pidPart} when split on '_', is gone), so none pile up on the server.
     */
    private static void dropLeftovers(Statement st, String list, int pidPart, String drop) throws java.sql.SQLException {
        if (!LEFTOVERS_DROPPED.add(drop)) {
            return;
        }
        java.util.List<String> stale = new java.util.ArrayList<>();
        try (java.sql.ResultSet rs = st.executeQuery(list)) {
            while (rs.next()) {
                String[] parts = rs.getString(1).split("_");
                try {
                    if (parts.length == pidPart + 2 && ProcessHandle.of(Long.parseLong(parts[pidPart])).isEmpty()) {
                        stale.add(rs.getString(1));
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        }
        for (String name : stale) {
            try {
                st.execute(String.format(drop, name));
            } catch (java.sql.SQLException e) {
                // another JVM dropped it first: fine
            }
        }
    }

    private interface PgSetup {
        void run(Statement st) throws Exception;
    }

    private static void onPostgres(String url, PgSetup setup) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement st = c.createStatement()) {
            setup.run(st);
        } catch (Exception e) {
            String reason = "PostgreSQL at " + url + " is not reachable (" + e.getMessage() + ")";
            if (pgRequired()) {
                throw new AssertionError(reason + " but ADMINCONSOLE_REQUIRE_PG is set", e);
            }
            Assumptions.abort(reason + "; skipping PostgreSQL test");
        }
    }

    /** What db/roles/reader.sql does for the console's schema. */
    private static void grantReader(Statement st, String schema) throws java.sql.SQLException {
        retrying(st, "GRANT USAGE ON SCHEMA " + schema + " TO " + PG_READER);
        retrying(st, "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA " + schema + " GRANT SELECT ON TABLES TO " + PG_READER);
    }

    private static Settings pgSettings(Path dir, String url, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put("data.dir", dir.toString());
        m.put("db.url", url);
        m.put("db.user", "postgres");
        m.put("db.password", "");
        m.put("db.seed.users", "0");
        m.put("operator", "tester");
        m.put("sql.user", PG_READER);
        m.putAll(extra);
        return Settings.of(m);
    }

    /**
     * The database-wide part of db/roles/reader.sql, once per JVM, so that a plain {@code mvn verify} works on a server
     * where {@code .ci/run} never ran. Idempotent; other test JVMs may run it at the same time (retried).
     */
    private static void ensurePgReader(Statement st) throws java.sql.SQLException {
        if (pgReaderReady) {
            return;
        }
        synchronized (TestDatabases.class) {
            if (pgReaderReady) {
                return;
            }
            retrying(st, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + PG_READER + "') THEN"
                    + " CREATE ROLE " + PG_READER + " LOGIN NOINHERIT CONNECTION LIMIT 20; END IF; END $$");
            retrying(st, "DO $$ BEGIN EXECUTE format('REVOKE CREATE, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());"
                    + " EXECUTE format('GRANT CONNECT ON DATABASE %I TO " + PG_READER + "', current_database()); END $$");
            retrying(st, "REVOKE EXECUTE ON FUNCTION lo_create(oid), lo_creat(integer), lo_from_bytea(oid, bytea),"
                    + " lo_put(oid, bigint, bytea), lo_import(text), lo_import(text, oid), lo_export(oid, text) FROM PUBLIC");
            retrying(st, "ALTER ROLE " + PG_READER + " SET default_transaction_read_only = on");
            retrying(st, "ALTER ROLE " + PG_READER + " SET statement_timeout = '30s'");
            retrying(st, "ALTER ROLE " + PG_READER + " SET idle_in_transaction_session_timeout = '5min'");
            retrying(st, "ALTER ROLE " + PG_READER + " SET lock_timeout = '2s'");
            pgReaderReady = true;
        }
    }

    /** Catalog updates race with other test JVMs ("tuple concurrently updated", duplicate role): try again. */
    private static void retrying(Statement st, String sql) throws java.sql.SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                st.execute(sql);
                return;
            } catch (java.sql.SQLException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * A connection of its own as the configured (admin) login, with the URL form the console uses (H2 refuses a
     * second form for a file open in the same process): setup and "is the database unchanged" checks.
     */
    public static Connection connect(Settings s) throws java.sql.SQLException {
        return DriverManager.getConnection(org.adminconsole.persistence.JdbcUrls.url(s),
                org.adminconsole.persistence.JdbcUrls.properties(s, s.dbUser(), s.dbPassword()));
    }

    /**
     * A folder of its own in the temp folder for a class's database files and exports, deleted when the test JVM ends
     * (by then every class has closed its consoles), so that test runs leave no H2 files behind.
     */
    public static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            TempDirs.DELETE_AT_EXIT.add(dir);
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final class TempDirs {
        static final java.util.Set<Path> DELETE_AT_EXIT = java.util.concurrent.ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> DELETE_AT_EXIT.forEach(TempDirs::delete), "test-temp-dirs"));
        }

        private static void delete(Path dir) {
            try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // best effort at exit: a file the OS still holds stays in the temp folder
            }
        }
    }
}
