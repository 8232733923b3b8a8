package org.adminconsole.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.testing.TestDatabases;
import org.h2.tools.Server;

/**
 * The databases of {@link LoadBench}, built once per database and size and reused by later runs: an H2 file in the
 * temp folder ({@code hload-h2-<users>}, shared by the embedded and the server runs) and a PostgreSQL schema
 * ({@code hload_<users>}: a hyphen would need quoting in {@code currentSchema}). The demo generator builds them.
 */
final class LoadData implements AutoCloseable {

    final Settings settings;
    private final Server server;

    private LoadData(Settings settings, Server server) {
        this.settings = settings;
        this.server = server;
    }

    static Path h2Dir(int users) {
        return Path.of(System.getProperty("java.io.tmpdir"), "hload-h2-" + users);
    }

    static String pgSchema(int users) {
        return "hload_" + users;
    }

    /**
     * The settings of one database with {@code users} users (built first when missing): {@code h2} embedded,
     * {@code h2server} the same file through an H2 TCP server started here (stopped by {@link #close}), {@code pg}.
     */
    static LoadData open(String db, int users, Map<String, String> extra) throws Exception {
        Map<String, String> m = new HashMap<>(extra);
        m.put("db.seed.users", "0");
        m.put("operator", "hload");
        switch (db) {
            case "h2" -> {
                String options = System.getProperty("bench.h2options", "");
                if (!options.isBlank()) {
                    // e.g. ;CACHE_SIZE=262144 (KB): the same file, opened with other settings
                    m.put("db.url", "jdbc:h2:file:" + h2Dir(users).resolve("console") + options);
                }
                Settings s = TestDatabases.h2(h2Dir(users), m);
                ensureUsers(s, users);
                return new LoadData(s, null);
            }
            case "h2server" -> {
                ensureUsers(TestDatabases.h2(h2Dir(users), m), users); // built embedded, then served
                Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", h2Dir(users).toString()).start();
                m.put("db.url", "jdbc:h2:tcp://localhost:" + server.getPort() + "/console");
                return new LoadData(TestDatabases.h2(h2Dir(users), m), server);
            }
            case "pg" -> {
                String schema = pgSchema(users);
                try (Connection c = DriverManager.getConnection(TestDatabases.PG_URL, "postgres", "");
                     Statement st = c.createStatement()) {
                    st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                    st.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + TestDatabases.PG_READER);
                    st.execute("ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA " + schema + " GRANT SELECT ON TABLES TO "
                            + TestDatabases.PG_READER);
                }
                m.put("db.url", TestDatabases.PG_URL + "?currentSchema=" + schema);
                m.put("db.user", "postgres");
                m.put("db.password", "");
                m.put("sql.user", TestDatabases.PG_READER);
                Settings s = TestDatabases.h2(Path.of(System.getProperty("java.io.tmpdir"), "hload-pg-" + users), m);
                ensureUsers(s, users);
                return new LoadData(s, null);
            }
            default -> throw new IllegalArgumentException("bench.db: h2, h2server or pg, not " + db);
        }
    }

    /** Generates the users missing (demo generator, chunks of 5,000), then refreshes the planner's statistics. */
    private static void ensureUsers(Settings s, int users) throws Exception {
        try (AppContext ctx = AppContext.start(s.with(Map.of("tx.longTimeoutSeconds", "7200")))) {
            long have = count(ctx, "SELECT COUNT(*) FROM users");
            if (have >= users) {
                return;
            }
            long t0 = System.nanoTime();
            System.out.printf("hload: generating %,d users on %s ...%n", users - have, s.dbUrl());
            ctx.get(DemoDataService.class).generate(users - have);
            System.out.printf("hload: generated in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement()) {
                for (String t : new String[] {"users", "user_departments", "departments", "audit_log", "audit_changes"}) {
                    st.execute(ctx.database().dialect() == org.adminconsole.persistence.Dialect.H2 ? "ANALYZE TABLE " + t : "ANALYZE " + t);
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }
        }
    }

    static long count(AppContext ctx, String sql) throws Exception {
        try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}
