package org.adminconsole.service.inspect;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** Opens a real console context (H2 file or PostgreSQL schema) for inspection tests, with helper SQL. */
final class InspectDatabases {

    private InspectDatabases() {
    }

    static AppContext open(String kind, Path dir) {
        // a database of its own on PostgreSQL: the hostile-input fingerprints cover the whole database
        Settings s = kind.equals("pg") ? TestDatabases.postgresDatabase(dir, Map.of()) : TestDatabases.h2(dir);
        return AppContext.start(s);
    }

    /** A connection of its own as the configured (admin) user: setup and "is the database unchanged" checks. */
    static Connection admin(AppContext ctx) throws SQLException {
        Settings s = ctx.settings();
        return org.adminconsole.testing.TestDatabases.connect(s);
    }

    static void exec(AppContext ctx, String... sql) throws SQLException {
        try (Connection c = admin(ctx); Statement st = c.createStatement()) {
            for (String q : sql) {
                st.execute(q);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    static long longValue(AppContext ctx, String sql) throws SQLException {
        try (Connection c = admin(ctx); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The schema tables live in: PUBLIC on H2, public in the test's own database on PostgreSQL. */
    static String schema(AppContext ctx) throws SQLException {
        try (Connection c = admin(ctx)) {
            return c.getSchema();
        }
    }

    /** Metadata case: H2 stores unquoted names upper case, PostgreSQL lower case. */
    static String name(AppContext ctx, String lower) {
        return ctx.settings().isH2() ? lower.toUpperCase() : lower;
    }
}
