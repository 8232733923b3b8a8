package org.adminconsole.service.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates demo users at plain-JDBC speed inside the transaction helper's bulk mode: ids are taken from the users
 * sequence up front (a block of 50 per value), so users, their department links and their Departments sort key are
 * all written in one pass of JDBC batches, with no second statement that rewrites the rows just written (which also
 * keeps the H2 file small). Generated data is deterministic for given ids, so tests and benchmarks see the same shape.
 *
 * <p>Seeding on a first start is one unit: one transaction that first locks the {@code seed_lock} row, so a start
 * killed halfway leaves nothing (the next start seeds again from scratch) and two consoles starting together on one
 * new database seed it once (the second waits for the lock, then finds the data there).
 */
public final class DemoDataService {

    private static final Logger LOG = LoggerFactory.getLogger(DemoDataService.class);
    public static final List<String> DEPARTMENTS = List.of("Engineering", "Sales", "Marketing", "Support", "Finance",
            "Legal", "Operations", "Research", "Design", "People", "Security", "Data");
    /** Users per bulk transaction when generating: a cancelled run keeps the finished chunks. */
    public static final int CHUNK = 5_000;
    private static final String SEEDED = "demo_seeded_at";
    /** How long a second console starting at the same time waits for the first one's seeding. */
    private static final long SEED_LOCK_WAIT_MS = 600_000;

    private final Transactions tx;
    private final Dialect dialect;

    private org.adminconsole.service.access.Access access = org.adminconsole.service.access.Access.asAdmin("owner");

    /** Runs after each committed chunk of a generation (the console's: {@code Database.compactBetweenBulkChunks}). */
    private Runnable betweenChunks = () -> { };

    public DemoDataService(Transactions tx, org.adminconsole.service.access.Access access, Runnable betweenChunks) {
        this(tx);
        this.access = access;
        this.betweenChunks = betweenChunks;
    }

    public DemoDataService(Transactions tx) {
        this.tx = tx;
        this.dialect = tx.dialect();
    }

    /** Seeds the database once, on the first start, as one unit (see the class comment). Returns whether it seeded. */
    public boolean seedIfNeverSeeded(int users) {
        return seedIfNeverSeeded(users, () -> { });
    }

    /** {@link #seedIfNeverSeeded(int)}; {@code beforeSeeding} runs first when it will seed (it needs Hibernate). */
    public boolean seedIfNeverSeeded(int users, Runnable beforeSeeding) {
        if (tx.readJdbc("demo.check", DemoDataService::seeded)) {
            return false; // the usual start: nothing to lock
        }
        beforeSeeding.run();
        long t0 = System.nanoTime();
        TaskHandle task = TaskHandle.current();
        boolean seededNow = tx.bulk("demo.seed", 1000, s -> s.doReturningWork(c -> {
            lockSeeding(c);
            if (seeded(c)) {
                return false; // another console seeded while this one waited for the lock
            }
            ensureDepartments(c);
            task.message(String.format("Creating %,d demo users (first start)", users));
            new UserGenerator(c, dialect, task).insert(users, done -> {
                task.progress(done, users);
                task.message(String.format("Creating demo users (first start): %,d of %,d", done, users));
            });
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_meta (meta_key, meta_value) VALUES (?, ?)")) {
                ps.setString(1, SEEDED);
                ps.setString(2, LocalDateTime.now(ZoneOffset.UTC).toString());
                ps.executeUpdate();
            }
            touchAll();
            return true;
        }));
        if (seededNow && users > 0) {
            LOG.info("Seeded {} demo users in {} ms", users, (System.nanoTime() - t0) / 1_000_000);
        }
        return seededNow;
    }

    private static boolean seeded(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM app_meta WHERE meta_key = ?")) {
            ps.setString(1, SEEDED);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /** Locks the seed_lock row for this transaction, waiting long enough for another console's seeding. */
    private void lockSeeding(Connection c) throws SQLException {
        Long previous = null;
        try (Statement st = c.createStatement()) {
            if (dialect.currentLockWaitSql() != null) {
                try (ResultSet rs = st.executeQuery(dialect.currentLockWaitSql())) {
                    previous = rs.next() ? rs.getLong(1) : null;
                }
            }
            st.execute(dialect.lockWaitSql(SEED_LOCK_WAIT_MS));
            try {
                try (ResultSet rs = st.executeQuery("SELECT meta_value FROM app_meta WHERE meta_key = 'seed_lock' FOR UPDATE")) {
                    rs.next();
                }
            } finally {
                if (previous != null) {
                    st.execute(dialect.lockWaitSql(previous)); // the pooled connection goes back as it came
                }
            }
        }
    }

    public void ensureDepartments() {
        tx.bulk("demo.departments", 50, s -> {
            s.doWork(DemoDataService::ensureDepartments);
            tx.current().orElseThrow().touch("departments");
            return null;
        });
    }

    private static void ensureDepartments(Connection c) throws SQLException {
        try (PreparedStatement find = c.prepareStatement("SELECT COUNT(*) FROM departments WHERE name = ?");
             PreparedStatement ins = c.prepareStatement("INSERT INTO departments (name, description, version) VALUES (?, ?, 0)")) {
            int added = 0;
            for (String d : DEPARTMENTS) {
                find.setString(1, d);
                try (ResultSet rs = find.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        ins.setString(1, d);
                        ins.setString(2, d + " department");
                        ins.addBatch();
                        added++;
                    }
                }
            }
            if (added > 0) {
                ins.executeBatch();
            }
        }
    }

    private void touchAll() {
        var op = tx.current().orElseThrow();
        op.touch("departments");
        op.touch("users");
        op.touch("user_departments");
    }

    /**
     * Generates {@code count} users in chunks of {@value #CHUNK}, each chunk its own bulk transaction (a cancelled run
     * keeps the finished chunks; the current one is rolled back). Every user gets one or two departments. Reports
     * progress to the current task and stops at its cancel.
     *
     * @return the number of users generated
     */
    public long generate(long count) {
        access.require(org.adminconsole.service.access.Role.ADMIN, "Generating demo data");
        TaskHandle task = TaskHandle.current();
        ensureDepartments();
        long done = 0;
        while (done < count) {
            if (task.isCancelled()) {
                throw new CancelledException("Generation cancelled after " + done + " users");
            }
            int n = (int) Math.min(CHUNK, count - done);
            long before = done;
            tx.bulk("demo.generate", 1000, s -> {
                s.doWork(c -> new UserGenerator(c, dialect, task).insert(n, d -> task.progress(before + d, count)));
                touchAll();
                return null;
            });
            done += n;
            task.progress(done, count);
            betweenChunks.run();
        }
        return done;
    }
}
