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
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.Database;
import org.adminconsole.persistence.audit.AuditMarker;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.demo.DemoUser;
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

    /** Argument {@code constantRows} ({@code -Dbench.args='GenerationBench constantRows'}): also run the former baseline. */
    private static boolean CONSTANT_ROWS;

    public static void main(String[] args) throws Exception {
        CONSTANT_ROWS = java.util.Arrays.asList(args).contains("constantRows");
        String sizes = System.getProperty("bench.users", "100000,1000000");
        String dbs = System.getProperty("bench.db", "h2,pg");
        List<String> lines = new ArrayList<>();
        for (String size : sizes.split(",")) {
            int n = Integer.parseInt(size.trim());
            for (String db : dbs.split(",")) {
                String line = run(db.trim(), n);
                System.out.println(line); // at once: a 1,000,000-user run of both databases takes half an hour
                lines.add(line);
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
        double baseline = baseline(db, n, false);
        String constant = "";
        if (CONSTANT_ROWS) {
            double cheap = baseline(db, n, true);
            constant = String.format("(constant-valued rows %,9.0f users/s: x%.2f of the baseline)  ", cheap, cheap / baseline);
        }
        Path dir = Files.createTempDirectory("hgen-gen-console");
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
        return String.format("  %-3s %,10d users: baseline (plain JDBC) %,9.0f users/s, console %,9.0f users/s  x%.2f   %s%s",
                db, n, baseline, rate, rate / baseline, constant, file);
    }

    /**
     * Plain JDBC into a fresh database of the same schema (migrated, departments created by the console, which is then
     * closed: its idle compaction of the H2 file must not run beside the loader, as it did in the first version).
     */
    private static double baseline(String db, int n, boolean constantRows) throws Exception {
        Path baseDir = Files.createTempDirectory("hgen-gen-baseline");
        Settings s = settings(db, baseDir);
        try (AppContext ctx = AppContext.start(s)) {
            ctx.get(DemoDataService.class).ensureDepartments();
        }
        try (Connection c = TestDatabases.connect(s)) {
            double rate = plainJdbc(c, n, constantRows);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM audit_log")) {
                rs.next();
                if (rs.getLong(1) != 0) { // the same rows as the generator, and nothing else
                    throw new IllegalStateException("the baseline wrote " + rs.getLong(1) + " audit rows");
                }
            }
            return rate;
        }
    }

    private static long setting(Statement st, String name) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '" + name + "'")) {
            return rs.next() ? (long) Double.parseDouble(rs.getString(1).replace("%", "").trim()) : -1;
        }
    }

    /**
     * The same rows as the generator writes ({@link DemoUser#next}: the same ids, emails, roles, quotas, usage, last
     * logins, departments and sort keys), by hand on a plain connection: JDBC batches of 1,000, a commit every 5,000.
     * {@code constantRows}: the former baseline, which wrote one role, quota, usage and login time for every user, so
     * that five of its indexes only ever grew at their end (kept to show what the data itself costs).
     */
    private static double plainJdbc(Connection c, int n, boolean constantRows) throws Exception {
        List<DemoUser.Department> deps = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, name FROM departments ORDER BY id")) {
            while (rs.next()) {
                deps.add(new DemoUser.Department(rs.getLong(1), rs.getString(2)));
            }
        }
        c.setAutoCommit(false);
        boolean h2 = c.getMetaData().getURL().startsWith("jdbc:h2:");
        // marked as the console marks its writes, so that the external-write audit triggers (V101) skip these rows as
        // they skip the generator's: unmarked, every user and link got an audit row (2,166,667 at 1,000,000 users,
        // PostgreSQL 1,884 users/s instead of 9,106)
        AuditMarker.arm(c, !h2);
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        Timestamp ts = Timestamp.valueOf(now);
        BigDecimal quota = BigDecimal.valueOf(1000, 2);
        BigDecimal usage = BigDecimal.valueOf(500, 2);
        long t0 = System.nanoTime();
        try (PreparedStatement users = c.prepareStatement("INSERT INTO users (id, email, email_key, username, role, active, quota,"
                + " usage_amount, settings, created_at, updated_at, created_by, updated_by, last_login, department_key, version)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench', 'bench', ?, ?, 0)");
             PreparedStatement links = c.prepareStatement("INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)")) {
            SplittableRandom rnd = null;
            for (int i = 1; i <= n; i++) {
                long id = i;
                if ((i - 1) % DemoDataService.CHUNK == 0) {
                    rnd = new SplittableRandom(id); // the generator seeds each chunk with its first id
                }
                DemoUser u = DemoUser.next(id, rnd, now, ts, deps);
                users.setLong(1, id);
                users.setString(2, u.email());
                users.setString(3, u.email());
                users.setString(4, u.username());
                users.setString(5, constantRows ? "USER" : u.role());
                users.setBoolean(6, constantRows || u.active());
                users.setBigDecimal(7, constantRows ? quota : u.quota());
                users.setBigDecimal(8, constantRows ? usage : u.usage());
                users.setString(9, constantRows ? null : u.settings());
                users.setTimestamp(10, ts);
                users.setTimestamp(11, ts);
                users.setTimestamp(12, constantRows ? ts : u.lastLogin());
                users.setString(13, u.departmentKey());
                users.addBatch();
                links.setLong(1, id);
                links.setLong(2, u.department());
                links.addBatch();
                if (u.secondDepartment() != 0) {
                    links.setLong(1, id);
                    links.setLong(2, u.secondDepartment());
                    links.addBatch();
                }
                if (i % 1000 == 0) {
                    users.executeBatch();
                    links.executeBatch();
                }
                if (i % DemoDataService.CHUNK == 0) {
                    c.commit();
                    AuditMarker.arm(c, !h2); // the mark lasts one transaction
                    if (h2 && (i / DemoDataService.CHUNK) % Database.BULK_COMPACT_EVERY == 0) {
                        Database.compactBetweenBulkChunks(c); // as the console does: see Database.compactBetweenBulkChunks
                    }
                }
            }
            users.executeBatch();
            links.executeBatch();
            c.commit();
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
