package org.adminconsole.bench;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.support.TaskHandle;
import org.adminconsole.testing.TestDatabases;

/**
 * Demo-data generation at JDBC speed, and the H2 file it leaves (bench command, not JMH: each figure is one long
 * run). For each size in {@code -Dbench.users} (default 100000,1000000) and each database in {@code -Dbench.db}
 * (default h2,pg):
 * <ul>
 *   <li>baseline: plain JDBC batches writing the same rows (users with their sort key, and their department links)
 *       into the same schema on a fresh database, ids computed, a commit every 5,000 users: the best a hand-written
 *       loader does on this machine;</li>
 *   <li>console: {@code DemoDataService.generate} through the transaction helper (bulk mode, ids from the sequence,
 *       audit-free, triggers, monitoring proxy): users per second and the ratio to the baseline (goal: at least 0.7);</li>
 *   <li>H2 only: the file size after generating, H2's own live-data share, and the size after closing the console
 *       (which compacts a file less than half full). Goal: the file at most twice the live data.</li>
 * </ul>
 */
public final class GenerationBench {

    public static void main(String[] args) throws Exception {
        String sizes = System.getProperty("bench.users", "100000,1000000");
        String dbs = System.getProperty("bench.db", "h2,pg");
        List<String> lines = new ArrayList<>();
        for (String size : sizes.split(",")) {
            int n = Integer.parseInt(size.trim());
            for (String db : dbs.split(",")) {
                lines.add(run(db.trim(), n));
            }
        }
        System.out.println();
        System.out.println("==== Demo data generation (" + java.time.LocalDate.now() + ") ====");
        lines.forEach(System.out::println);
    }

    private static Settings settings(String db, Path dir) {
        Map<String, String> m = Map.of("db.seed.users", "0", "tx.longTimeoutSeconds", "3600");
        return db.equals("pg") ? TestDatabases.postgres(dir, m) : TestDatabases.h2(dir, m);
    }

    private static String run(String db, int n) throws Exception {
        // warm up both code paths on a small run first: the JIT must not favour whichever runs second
        measure(db, Math.min(n, 20_000));
        return measure(db, n);
    }

    private static String measure(String db, int n) throws Exception {
        Path baseDir = Files.createTempDirectory("gen-baseline");
        double baseline;
        try (AppContext ctx = AppContext.start(settings(db, baseDir))) {
            ctx.get(DemoDataService.class).ensureDepartments();
            try (Connection c = TestDatabases.connect(ctx.settings())) {
                baseline = plainJdbc(c, n);
            }
        }
        Path dir = Files.createTempDirectory("gen-console");
        double rate;
        String file = "";
        try (AppContext ctx = AppContext.start(settings(db, dir))) {
            long t0 = System.nanoTime();
            new TaskHandle("bench").run(() -> ctx.get(DemoDataService.class).generate(n));
            rate = n / ((System.nanoTime() - t0) / 1e9);
            if (db.equals("h2")) {
                try (Connection c = TestDatabases.connect(ctx.settings()); Statement st = c.createStatement()) {
                    long size = setting(st, "info.FILE_SIZE");
                    long fill = setting(st, "info.CHUNKS_FILL_RATE");
                    file = String.format("file %,d MB (%d%% live)", size / 1_000_000, fill);
                    ctx.database().compactIfWasteful(); // what the console does after a minute without operations
                    size = setting(st, "info.FILE_SIZE");
                    fill = setting(st, "info.CHUNKS_FILL_RATE");
                    file += String.format(", idle-compacted %,d MB (%d%% live: x%.2f)", size / 1_000_000, fill,
                            fill <= 0 ? 0 : 100.0 / fill);
                }
            }
        }
        if (db.equals("h2")) {
            file += String.format(", after close %,d MB", Files.size(dir.resolve("console.mv.db")) / 1_000_000);
        }
        return String.format("  %-3s %,10d users: baseline (plain JDBC) %,9.0f users/s, console %,9.0f users/s  x%.2f   %s",
                db, n, baseline, rate, rate / baseline, file);
    }

    private static long setting(Statement st, String name) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '" + name + "'")) {
            return rs.next() ? (long) Double.parseDouble(rs.getString(1).replace("%", "").trim()) : -1;
        }
    }

    /** The same rows as the generator writes, by hand: users (with sort key) and links, a commit every 5,000. */
    private static double plainJdbc(Connection c, int n) throws Exception {
        List<long[]> deps = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, name FROM departments ORDER BY id")) {
            while (rs.next()) {
                deps.add(new long[] {rs.getLong(1)});
                names.add(rs.getString(2));
            }
        }
        c.setAutoCommit(false);
        Timestamp now = Timestamp.valueOf(LocalDateTime.now());
        long t0 = System.nanoTime();
        try (PreparedStatement users = c.prepareStatement("INSERT INTO users (id, email, email_key, username, role, active, quota,"
                + " usage_amount, settings, created_at, updated_at, created_by, updated_by, last_login, department_key, version)"
                + " VALUES (?, ?, ?, ?, 'USER', TRUE, ?, ?, NULL, ?, ?, 'bench', 'bench', ?, ?, 0)");
             PreparedStatement links = c.prepareStatement("INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)")) {
            for (int i = 1; i <= n; i++) {
                long id = 10_000_000L + i;
                String name = "base." + id;
                users.setLong(1, id);
                users.setString(2, name + "@example.com");
                users.setString(3, name + "@example.com");
                users.setString(4, name);
                users.setBigDecimal(5, BigDecimal.valueOf(1000, 2));
                users.setBigDecimal(6, BigDecimal.valueOf(500, 2));
                users.setTimestamp(7, now);
                users.setTimestamp(8, now);
                users.setTimestamp(9, now);
                int d = (int) (id % deps.size());
                users.setString(10, names.get(d));
                users.addBatch();
                links.setLong(1, id);
                links.setLong(2, deps.get(d)[0]);
                links.addBatch();
                if (i % 3 == 0) {
                    int d2 = (int) (id * 7 % deps.size());
                    if (d2 != d) {
                        links.setLong(1, id);
                        links.setLong(2, deps.get(d2)[0]);
                        links.addBatch();
                    }
                }
                if (i % 1000 == 0) {
                    users.executeBatch();
                    links.executeBatch();
                }
                if (i % 5000 == 0) {
                    c.commit();
                }
            }
            users.executeBatch();
            links.executeBatch();
            c.commit();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
