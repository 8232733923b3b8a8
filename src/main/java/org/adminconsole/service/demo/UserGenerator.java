package org.adminconsole.service.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.support.TaskHandle;

/**
 * Writes generated users, their department links and their Departments sort key in one pass of JDBC batches on the
 * caller's connection (inside its transaction). Ids come from the users sequence first: each value starts a block of
 * {@link User#ID_BLOCK} ids, the same blocks Hibernate takes, so nothing collides with other writers.
 */
final class UserGenerator {

    private static final int BATCH = 1000;

    private final Connection c;
    private final Dialect dialect;
    private final TaskHandle task;

    UserGenerator(Connection c, Dialect dialect, TaskHandle task) {
        this.c = c;
        this.dialect = dialect;
        this.task = task;
    }

    /** Inserts {@code n} users; {@code progress} hears how many are written so far. */
    void insert(int n, LongConsumer progress) throws SQLException {
        List<DemoUser.Department> departments = departments();
        long[] ids = takeIds(n);
        SplittableRandom rnd = new SplittableRandom(ids.length == 0 ? 0 : ids[0]);
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        Timestamp ts = Timestamp.valueOf(now);
        try (PreparedStatement users = c.prepareStatement("INSERT INTO users (id, email, email_key, username, role, active, quota,"
                + " usage_amount, settings, created_at, updated_at, created_by, updated_by, last_login, department_key, version)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'demo', 'demo', ?, ?, 0)");
             PreparedStatement links = c.prepareStatement("INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)")) {
            if (dialect == Dialect.H2) {
                org.adminconsole.persistence.UserSearchGrams.deferOnThisThread(); // the search windows in one batch per chunk
            }
            try {
            for (int i = 0; i < n; i++) {
                DemoUser u = DemoUser.next(ids[i], rnd, now, ts, departments);
                users.setLong(1, u.id());
                users.setString(2, u.email());
                users.setString(3, u.email());
                users.setString(4, u.username());
                users.setString(5, u.role());
                users.setBoolean(6, u.active());
                users.setBigDecimal(7, u.quota());
                users.setBigDecimal(8, u.usage());
                users.setString(9, u.settings());
                users.setTimestamp(10, ts);
                users.setTimestamp(11, ts);
                users.setTimestamp(12, u.lastLogin());
                users.setString(13, u.departmentKey());
                users.addBatch();
                link(links, u.id(), u.department());
                if (u.secondDepartment() != 0) {
                    link(links, u.id(), u.secondDepartment());
                }
                if ((i + 1) % BATCH == 0) {
                    flush(users, links);
                    progress.accept(i + 1);
                    task.throwIfCancelled();
                }
            }
            if (n % BATCH != 0) {
                flush(users, links); // the rest; a chunk of whole batches has nothing left (no empty batch is sent)
            }
            } finally {
                org.adminconsole.persistence.UserSearchGrams.stopDeferring();
            }
            progress.accept(n);
        }
    }

    private static void link(PreparedStatement links, long user, long department) throws SQLException {
        links.setLong(1, user);
        links.setLong(2, department);
        links.addBatch();
    }

    private void flush(PreparedStatement users, PreparedStatement links) throws SQLException {
        users.executeBatch();
        links.executeBatch(); // after the users: the links reference them
        org.adminconsole.persistence.UserSearchGrams.writeDeferred(c); // H2: the search windows of these users
    }

    private List<DemoUser.Department> departments() throws SQLException {
        List<DemoUser.Department> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, name FROM departments ORDER BY id")) {
            while (rs.next()) {
                out.add(new DemoUser.Department(rs.getLong(1), rs.getString(2)));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("No departments to put demo users in");
        }
        return out;
    }

    /** {@code n} fresh ids: each sequence value starts a block of {@link User#ID_BLOCK}. */
    private long[] takeIds(int n) throws SQLException {
        int blocks = (n + User.ID_BLOCK - 1) / User.ID_BLOCK;
        long[] ids = new long[n];
        if (n == 0) {
            return ids;
        }
        int i = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.nextValuesSql("users_seq", blocks))) {
            while (rs.next() && i < n) {
                long start = rs.getLong(1);
                for (int k = 0; k < User.ID_BLOCK && i < n; k++) {
                    ids[i++] = start + k;
                }
            }
        }
        if (i < n) {
            throw new IllegalStateException("The users sequence gave " + i + " of " + n + " ids");
        }
        return ids;
    }
}
