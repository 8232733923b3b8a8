package org.adminconsole.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.service.inspect.SchemaService;
import org.adminconsole.service.inspect.TableDetails;

/** A console on a temporary H2 file with big synthetic tables, built once per trial with set-based SQL. */
final class InspectBenchData {

    static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);

    private InspectBenchData() {
    }

    /**
     * A console on an H2 file kept in the temp folder between forks of the same benchmark class (building
     * 1,000,000-row tables takes longer than measuring them); {@link #createTable} skips a table already built.
     */
    static AppContext open(String prefix) throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "admin-console-bench", prefix + "-" + ROWS);
        java.nio.file.Files.createDirectories(dir);
        return AppContext.start(Settings.of(Map.of("data.dir", dir.toString(), "db.seed.users", "0",
                "operator", "bench", "sql.logCapacity", "100", "sql.slowThresholdMs", "3600000")));
    }

    /** Creates {@code name} with ROWS rows (id 1..ROWS); with a primary key or with only a unique index. */
    static void createTable(AppContext ctx, String name, boolean primaryKey) throws Exception {
        try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            try (java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = '"
                    + name.toUpperCase() + "'")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    try (java.sql.ResultSet n = st.executeQuery("SELECT COUNT(*) FROM " + name)) {
                        n.next();
                        if (n.getLong(1) == ROWS) {
                            return; // built by an earlier fork
                        }
                    }
                    st.execute("DROP TABLE " + name);
                }
            }
            st.execute("CREATE TABLE " + name + " (id BIGINT NOT NULL" + (primaryKey ? " PRIMARY KEY" : "")
                    + ", name VARCHAR(64) NOT NULL, email VARCHAR(128), amount NUMERIC(12,2), created TIMESTAMP, note VARCHAR(200))");
            st.execute("INSERT INTO " + name + " SELECT X, 'user ' || X, 'user.' || X || '@example.com', X * 1.25, "
                    + "TIMESTAMP '2024-01-01 00:00:00' + X * INTERVAL '1' SECOND, "
                    + "CASE WHEN MOD(X, 10) = 0 THEN 'note, with \"quotes\" and comma' ELSE NULL END FROM SYSTEM_RANGE(1, " + ROWS + ")");
            if (!primaryKey) {
                st.execute("CREATE UNIQUE INDEX ix_" + name + "_id ON " + name + " (id)");
            }
            st.execute("ANALYZE TABLE " + name);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    static TableDetails details(AppContext ctx, String name) {
        SchemaService schema = ctx.get(SchemaService.class);
        return schema.details(schema.find("PUBLIC", name.toUpperCase()));
    }
}
