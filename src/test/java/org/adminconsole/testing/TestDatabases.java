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
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

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
        try (Connection c = DriverManager.getConnection(PG_URL, "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
        } catch (Exception e) {
            String reason = "PostgreSQL at " + PG_URL + " is not reachable (" + e.getMessage() + ")";
            if (pgRequired()) {
                throw new AssertionError(reason + " but ADMINCONSOLE_REQUIRE_PG is set", e);
            }
            Assumptions.abort(reason + "; skipping PostgreSQL test");
        }
        Map<String, String> m = new HashMap<>();
        m.put("data.dir", dir.toString());
        m.put("db.url", PG_URL + "?currentSchema=" + schema);
        m.put("db.user", "postgres");
        m.put("db.password", "");
        m.put("db.seed.users", "0");
        m.put("operator", "tester");
        m.putAll(extra);
        return Settings.of(m);
    }

    /**
     * A connection of its own as the configured (admin) login, with the URL form the console uses (H2 refuses a
     * second form for a file open in the same process): setup and "is the database unchanged" checks.
     */
    public static Connection connect(Settings s) throws java.sql.SQLException {
        return DriverManager.getConnection(org.adminconsole.persistence.JdbcUrls.url(s),
                org.adminconsole.persistence.JdbcUrls.properties(s, s.dbUser(), s.dbPassword()));
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
