package org.adminconsole.service.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates demo users with plain JDBC batches inside the transaction helper's bulk mode (a stateless
 * session, no persistence context, no per-entity events). Generated data is deterministic for a given
 * starting number, so tests and benchmarks see the same shape every time.
 */
public final class DemoDataService {

    /** Sets the Departments sort key of users from their links (V62 runs the same statement once). */
    static final String DEPARTMENT_KEY_UPDATE = "UPDATE users SET department_key = COALESCE((SELECT MIN(d.name) "
            + "FROM user_departments ud JOIN departments d ON d.id = ud.department_id WHERE ud.user_id = users.id), '')";

    private static final Logger LOG = LoggerFactory.getLogger(DemoDataService.class);
    public static final List<String> DEPARTMENTS = List.of("Engineering", "Sales", "Marketing", "Support", "Finance",
            "Legal", "Operations", "Research", "Design", "People", "Security", "Data");
    private static final String[] ROLES = {"USER", "USER", "USER", "USER", "USER", "OPERATOR", "OPERATOR", "GUEST", "ADMIN"};
    private static final String[] FIRST = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
            "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "zoe"};
    /** Users per bulk transaction: a cancelled run keeps the finished chunks. */
    public static final int CHUNK = 5_000;

    private final Transactions tx;

    public DemoDataService(Transactions tx) {
        this.tx = tx;
    }

    /** Seeds the database once: on first start, when no demo data was ever generated. */
    public boolean seedIfNeverSeeded(int users) {
        boolean seeded = tx.read("demo.check", s -> s.doReturningWork(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM app_meta WHERE meta_key = 'demo_seeded_at'")) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }));
        if (seeded) {
            return false;
        }
        long t0 = System.nanoTime();
        ensureDepartments();
        generate(users);
        tx.bulk("demo.mark", 1, s -> {
            s.doWork(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_meta (meta_key, meta_value) VALUES ('demo_seeded_at', ?)")) {
                    ps.setString(1, LocalDateTime.now(ZoneOffset.UTC).toString());
                    ps.executeUpdate();
                }
            });
            return null;
        });
        LOG.info("Seeded {} demo users in {} ms", users, (System.nanoTime() - t0) / 1_000_000);
        return true;
    }

    public void ensureDepartments() {
        tx.bulk("demo.departments", 50, s -> {
            s.doWork(c -> {
                try (PreparedStatement find = c.prepareStatement("SELECT COUNT(*) FROM departments WHERE name = ?");
                     PreparedStatement ins = c.prepareStatement("INSERT INTO departments (name, description, version) VALUES (?, ?, 0)")) {
                    for (String d : DEPARTMENTS) {
                        find.setString(1, d);
                        try (ResultSet rs = find.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) == 0) {
                                ins.setString(1, d);
                                ins.setString(2, d + " department");
                                ins.addBatch();
                            }
                        }
                    }
                    ins.executeBatch();
                }
            });
            tx.current().orElseThrow().touch("departments");
            return null;
        });
    }

    /**
     * Generates {@code count} users in chunks, each chunk its own bulk transaction (a cancelled run keeps the
     * finished chunks; the current one is rolled back). Every user gets one or two departments.
     *
     * @return the number of users generated
     */
    public long generate(long count) {
        TaskHandle task = TaskHandle.current();
        ensureDepartments();
        long done = 0;
        while (done < count) {
            if (task.isCancelled()) {
                throw new CancelledException("Generation cancelled after " + done + " users");
            }
            long n = Math.min(CHUNK, count - done);
            tx.bulk("demo.generate", 1000, s -> {
                s.doWork(c -> insertChunk(c, maxUserId(c), n, task));
                tx.current().orElseThrow().touch("users");
                tx.current().orElseThrow().touch("user_departments");
                return null;
            });
            done += n;
            task.progress(done, count);
        }
        return done;
    }

    private static long maxUserId(Connection c) throws java.sql.SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM users")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insertChunk(Connection c, long base, long n, TaskHandle task) throws java.sql.SQLException {
        SplittableRandom rnd = new SplittableRandom(base);
        Timestamp now = Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (email, email_key, username, role, active, quota, usage_amount, settings, created_at, updated_at, created_by, updated_by, last_login, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'demo', 'demo', ?, 0)")) {
            for (long i = 1; i <= n; i++) {
                long k = base + i;
                String name = FIRST[(int) (k % FIRST.length)] + "." + k;
                String email = name + "@example.com";
                ps.setString(1, email);
                ps.setString(2, email);
                ps.setString(3, name);
                ps.setString(4, ROLES[rnd.nextInt(ROLES.length)]);
                ps.setBoolean(5, rnd.nextInt(10) != 0);
                BigDecimal quota = BigDecimal.valueOf(1000 + rnd.nextInt(9) * 1000L).setScale(2);
                ps.setBigDecimal(6, quota);
                // usage: 0 to 115 % of the quota, so about one user in eight is over quota
                ps.setBigDecimal(7, quota.multiply(BigDecimal.valueOf(rnd.nextInt(116), 2)).setScale(2, java.math.RoundingMode.HALF_UP));
                ps.setString(8, rnd.nextInt(4) == 0 ? "{\"theme\":\"dark\"}" : null);
                ps.setTimestamp(9, now);
                ps.setTimestamp(10, now);
                ps.setTimestamp(11, rnd.nextInt(5) == 0 ? null : Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC).minusMinutes(rnd.nextInt(500_000))));
                ps.addBatch();
                if (i % 1000 == 0) {
                    ps.executeBatch();
                    task.throwIfCancelled();
                }
            }
            ps.executeBatch();
        }
        // Link every new user (by email, which we just wrote) to one or two departments, set-based.
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO user_departments (user_id, department_id) "
                        + "SELECT u.id, d.id FROM users u JOIN departments d ON MOD(u.id, 12) = MOD(d.id - 1, 12) "
                        + "WHERE u.id > ?")) {
            ps.setLong(1, base);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO user_departments (user_id, department_id) "
                        + "SELECT u.id, d.id FROM users u JOIN departments d ON MOD(u.id * 7, 12) = MOD(d.id - 1, 12) "
                        + "WHERE u.id > ? AND MOD(u.id, 3) = 0 AND MOD(u.id * 7, 12) <> MOD(u.id, 12)")) {
            ps.setLong(1, base);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(DEPARTMENT_KEY_UPDATE + " WHERE id > ?")) {
            ps.setLong(1, base);
            ps.executeUpdate();
        }
    }
}
