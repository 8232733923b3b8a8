package org.adminconsole.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.h2.api.Trigger;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * The H2 index of the Users search inside fields (migration {@code V90}): table {@code user_search_grams (gram, user_id)}
 * holds, for every user, each window of up to {@value #WINDOW} characters that starts at a position of the lower-cased
 * email or username with at least {@value #MIN_INFIX} characters left. A text of 3 to 8 characters occurs inside a
 * user's email or username exactly when one of that user's windows starts with it, so {@code gram LIKE 'text%'} is an
 * index range scan that finds exactly the matching users; a longer text uses its first 8 characters to find
 * candidates, which the search then checks with {@code LIKE '%text%'} on the row. (PostgreSQL uses {@code pg_trgm}
 * instead; this is the H2 twin.)
 *
 * <p>This class is also the H2 row trigger that keeps the table right for every writer (the console, the demo
 * generator, bulk actions, plain JDBC): AFTER INSERT, UPDATE, DELETE on {@code users}, it removes the old row's
 * windows and adds the new row's, and does nothing when neither email nor username changed (bulk actions change
 * neither). It runs in the process that hosts the database, so that process needs this class on its class path,
 * like {@code TableVersionTrigger}. H2 fires no trigger for TRUNCATE: stale windows only add candidates that the
 * row check drops.
 */
public final class UserSearchGrams implements Trigger {

    /** The longest window kept; longer search texts look up their first {@value} characters. */
    public static final int WINDOW = 8;
    /** The shortest text searched inside fields; shorter ones are searched as prefixes. */
    public static final int MIN_INFIX = 3;

    /**
     * All windows of one user in one statement (an array parameter): H2's cost is per statement, and one statement
     * instead of ~30 made the trigger about 3x cheaper (measured on a loaded machine: 1.1-1.5 ms against 3.8 ms a
     * user). MERGE, so that windows left over (H2 fires no trigger for TRUNCATE) never fail an insert.
     */
    public static final String INSERT = "MERGE INTO user_search_grams g USING (SELECT t.w AS gram, CAST(?2 AS BIGINT) AS user_id"
            + " FROM UNNEST(CAST(?1 AS VARCHAR(" + WINDOW + ") ARRAY)) t(w)) s ON g.gram = s.gram AND g.user_id = s.user_id"
            + " WHEN NOT MATCHED THEN INSERT (gram, user_id) VALUES (s.gram, s.user_id)";
    static final String DELETE = "DELETE FROM user_search_grams WHERE gram = ? AND user_id = ?";

    /**
     * Windows of users inserted on this thread, waiting for {@link #writeDeferred}: a writer of many new users (the demo
     * generator) has them written in one JDBC batch per chunk instead of one statement per user from inside each row's
     * trigger, which made H2 inserts about 50x slower. Only in-process (embedded H2 runs the trigger on the writer's
     * thread); a server runs the trigger on its own threads, where nothing is deferred.
     */
    private static final ThreadLocal<java.util.List<Object[]>> DEFERRED = new ThreadLocal<>();

    /** From now on, this thread's inserted users' windows wait for {@link #writeDeferred}; end with {@link #stopDeferring}. */
    public static void deferOnThisThread() {
        DEFERRED.set(new java.util.ArrayList<>());
    }

    /** Writes the windows collected on this thread (plain inserts: the users are new) in one batch. */
    public static void writeDeferred(Connection c) throws SQLException {
        java.util.List<Object[]> pending = DEFERRED.get();
        if (pending == null || pending.isEmpty()) {
            return;
        }
        // in key order: H2 then appends to the same index pages instead of touching one at random per row
        java.util.List<Object[]> rows = new java.util.ArrayList<>();
        for (Object[] p : pending) {
            @SuppressWarnings("unchecked")
            Set<String> windows = (Set<String>) p[1];
            for (String w : windows) {
                rows.add(new Object[] {w, p[0]});
            }
        }
        rows.sort(java.util.Comparator.comparing((Object[] r) -> (String) r[0]).thenComparing(r -> (Long) r[1]));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_search_grams (gram, user_id) VALUES (?, ?)")) {
            for (Object[] r : rows) {
                ps.setString(1, (String) r[0]);
                ps.setLong(2, (Long) r[1]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        pending.clear();
    }

    /** Back to writing each user's windows from its trigger; anything not written by then is dropped (a rollback). */
    public static void stopDeferring() {
        DEFERRED.remove();
    }

    private int idColumn = -1;
    private int emailKeyColumn = -1;
    private int usernameColumn = -1;

    /**
     * The windows of a user, lower-cased, without duplicates, and without a window that starts another one of the
     * user's (it finds nothing the longer one does not: a demo user's username is the start of its email, so its last
     * windows, "345" of alice.12345, start email windows such as "345@exam"; that saves about a fifth of the rows).
     */
    public static Set<String> windows(String email, String username) {
        Set<String> all = new LinkedHashSet<>();
        add(all, email);
        add(all, username);
        Set<String> out = new LinkedHashSet<>();
        for (String w : all) {
            boolean startsAnother = false;
            for (String other : all) {
                if (other.length() > w.length() && other.startsWith(w)) {
                    startsAnother = true;
                    break;
                }
            }
            if (!startsAnother) {
                out.add(w);
            }
        }
        return out;
    }

    private static void add(Set<String> out, String value) {
        if (value == null) {
            return;
        }
        String s = value.toLowerCase(Locale.ROOT);
        for (int i = 0; i + MIN_INFIX <= s.length(); i++) {
            out.add(s.substring(i, Math.min(s.length(), i + WINDOW)));
        }
    }

    /** What a search text looks up in the table: its lower-cased first {@value #WINDOW} characters. */
    public static String lookupKey(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        return s.length() <= WINDOW ? s : s.substring(0, WINDOW);
    }

    /** Writes the windows of a user with {@link #INSERT}. */
    public static void write(PreparedStatement insert, long id, Set<String> windows) throws SQLException {
        if (windows.isEmpty()) {
            return;
        }
        insert.setObject(1, windows.toArray(new String[0]));
        insert.setLong(2, id);
        insert.executeUpdate();
    }

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        // by name, so that columns added later do not move what this reads (H2 gives the trigger whole rows)
        for (String table : new String[] {tableName, "USERS"}) {
            try (PreparedStatement ps = conn.prepareStatement("SELECT COLUMN_NAME, ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
                ps.setString(1, schemaName);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int index = rs.getInt(2) - 1;
                        switch (rs.getString(1).toLowerCase(Locale.ROOT)) {
                            case "id" -> idColumn = index;
                            case "email_key" -> emailKeyColumn = index;
                            case "username" -> usernameColumn = index;
                            default -> { }
                        }
                    }
                }
            }
            if (idColumn >= 0 && emailKeyColumn >= 0 && usernameColumn >= 0) {
                return;
            }
        }
        throw new SQLException("The search trigger needs the users columns id, email_key and username (table " + tableName + ")");
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (oldRow != null && newRow != null && same(oldRow, newRow)) {
            return; // bulk actions, saves of other fields: nothing to do
        }
        java.util.List<Object[]> deferred = DEFERRED.get();
        if (deferred != null && oldRow == null && newRow != null) {
            deferred.add(new Object[] {id(newRow), windows(text(newRow, emailKeyColumn), text(newRow, usernameColumn))});
            return;
        }
        SessionLocal session = conn instanceof JdbcConnection jc && jc.getSession() instanceof SessionLocal sl ? sl : null;
        // a writer in auto-commit mode: H2 would commit after each nested statement, which it forbids in a trigger;
        // switch the flag only, the writer's statement commits everything (as TableVersionTrigger does)
        boolean autoCommit = session != null && session.getAutoCommit();
        if (autoCommit) {
            session.setAutoCommit(false);
        }
        try {
            Set<String> added = newRow == null ? Set.of() : windows(text(newRow, emailKeyColumn), text(newRow, usernameColumn));
            if (oldRow != null) {
                // one primary-key delete each (an IN over an array parameter is a scan in H2); edits are rare
                Set<String> removed = windows(text(oldRow, emailKeyColumn), text(oldRow, usernameColumn));
                if (newRow != null && id(oldRow) == id(newRow)) {
                    Set<String> kept = new LinkedHashSet<>(removed);
                    kept.retainAll(added);
                    removed.removeAll(kept);
                    added = new LinkedHashSet<>(added);
                    added.removeAll(kept);
                }
                try (PreparedStatement delete = conn.prepareStatement(DELETE)) {
                    for (String w : removed) {
                        delete.setString(1, w);
                        delete.setLong(2, id(oldRow));
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
            }
            if (newRow != null) {
                try (PreparedStatement insert = conn.prepareStatement(INSERT)) {
                    write(insert, id(newRow), added);
                }
            }
        } finally {
            if (autoCommit) {
                session.setAutoCommit(true);
            }
        }
    }

    private boolean same(Object[] a, Object[] b) {
        return java.util.Objects.equals(a[idColumn], b[idColumn]) && java.util.Objects.equals(a[emailKeyColumn], b[emailKeyColumn])
                && java.util.Objects.equals(a[usernameColumn], b[usernameColumn]);
    }

    private long id(Object[] row) {
        return ((Number) row[idColumn]).longValue();
    }

    private static String text(Object[] row, int column) {
        Object v = row[column];
        return v == null ? null : v.toString();
    }
}
