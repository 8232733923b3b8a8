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

/**
 * What the index of the search inside fields (V90) costs the demo generator: {@code -Dbench.users} (first number,
 * default 100,000) users generated into a fresh database with the index, then into a fresh one without it (H2: the
 * trigger dropped; PostgreSQL: the two trigram indexes dropped), alternating {@code -Dbench.rounds} times (default 1),
 * on each database of {@code -Dbench.db}. Not JMH: one long run per figure, like {@code GenerationBench}.
 *
 * <pre>mvn test-compile exec:exec -Dbench.args=SearchIndexCostBench -Dbench.users=100000</pre>
 *
 * Data: temp folders and schemas named {@code hsearch_cost_*}, dropped at the end.
 */
public final class SearchIndexCostBench {

    public static void main(String[] args) throws Exception {
        int users = Integer.parseInt(System.getProperty("bench.users", "100000").split(",")[0].trim());
        int rounds = Integer.getInteger("bench.rounds", 1);
        for (String db : System.getProperty("bench.db", "h2,pg").split(",")) {
            for (int r = 0; r < rounds; r++) {
                double with = generate(db.trim(), users, true, r);
                double without = generate(db.trim(), users, false, r);
                System.out.printf("%s, %,d users, round %d: with the search index %.1f s, without %.1f s, x%.2f%n",
                        db, users, r + 1, with, without, with / without);
            }
        }
    }

    private static double generate(String db, int users, boolean index, int round) throws Exception {
        String name = "hsearch_cost_" + (index ? "with" : "without") + "_" + round;
        Map<String, String> extra = new HashMap<>(Map.of("db.seed.users", "0", "db.durability", "fast"));
        Path dir = TestDatabases.tempDir(name);
        if (db.equals("pg")) {
            try (Connection c = DriverManager.getConnection(TestDatabases.PG_URL, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
                st.execute("CREATE SCHEMA " + name);
            }
            extra.put("db.url", TestDatabases.PG_URL + "?currentSchema=" + name);
            extra.put("db.user", "postgres");
            extra.put("db.password", "");
            extra.put("sql.user", TestDatabases.PG_READER);
        }
        Settings s = TestDatabases.h2(dir, extra);
        try (AppContext ctx = AppContext.start(s)) {
            if (!index) {
                try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement()) {
                    if (db.equals("pg")) {
                        st.execute("DROP INDEX IF EXISTS ix_users_email_key_trgm");
                        st.execute("DROP INDEX IF EXISTS ix_users_username_key_trgm");
                    } else {
                        st.execute("DROP TRIGGER IF EXISTS users_search_grams");
                    }
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                }
            }
            long t0 = System.nanoTime();
            ctx.get(DemoDataService.class).generate(users);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (db.equals("h2") && index) {
                try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM user_search_grams")) {
                    rs.next();
                    System.out.printf("  h2: %,d rows in user_search_grams (%.1f per user)%n", rs.getLong(1), rs.getLong(1) / (double) users);
                }
            }
            return seconds;
        } finally {
            if (db.equals("pg")) {
                try (Connection c = DriverManager.getConnection(TestDatabases.PG_URL, "postgres", ""); Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
                }
            }
        }
    }
}
