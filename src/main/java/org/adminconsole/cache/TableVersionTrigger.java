package org.adminconsole.cache;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.h2.api.Trigger;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * H2 triggers of the table-version scheme (migration {@code db/vendor/h2/V61}), the H2 twin of the PL/pgSQL
 * functions on PostgreSQL:
 * <ul>
 *   <li>on a watched table (AFTER INSERT/UPDATE/DELETE, once per statement): bump the table's row in
 *       {@code table_versions}, inside the writing transaction, whoever wrote (console or plain JDBC);</li>
 *   <li>on {@code table_versions} (BEFORE UPDATE, per row): allow at most one increment per transaction, so
 *       the statement triggers and the console's own bump of one transaction count once.</li>
 * </ul>
 * Runs inside the process that hosts the database, so that process needs this class on its class path.
 */
public final class TableVersionTrigger implements Trigger {

    private String table;
    private boolean versionRow;
    private int versionColumn = -1;
    private int lastTxColumn = -1;
    /** Distinguishes this opening of the database: H2 restarts its transaction numbers on every open. */
    private final String openToken = UUID.randomUUID().toString().substring(0, 8);
    /** Per session (by id): the transaction in which this table's version row was last bumped. */
    private final java.util.Map<Integer, String> bumpedIn = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        table = tableName.toLowerCase(Locale.ROOT);
        versionRow = table.equals("table_versions");
        if (versionRow) {
            try (PreparedStatement ps = conn.prepareStatement("SELECT COLUMN_NAME, ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
                ps.setString(1, schemaName);
                ps.setString(2, tableName);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String col = rs.getString(1).toLowerCase(Locale.ROOT);
                        int index = rs.getInt(2) - 1;
                        if (col.equals("version")) {
                            versionColumn = index;
                        } else if (col.equals("last_tx")) {
                            lastTxColumn = index;
                        }
                    }
                }
            }
            if (versionColumn < 0 || lastTxColumn < 0) {
                throw new SQLException("table_versions needs the columns version and last_tx (migration V60)");
            }
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (versionRow) {
            oncePerTransaction(conn, oldRow, newRow);
            return;
        }
        SessionLocal session = conn instanceof JdbcConnection jc && jc.getSession() instanceof SessionLocal sl ? sl : null;
        // One bump per table and transaction is all the scheme needs (the version-row trigger counts it once anyway).
        // A batch of 5,000 inserts fires this trigger 5,000 times: updating the version row each time rewrote it
        // 5,000 times in the transaction, which grew the file by gigabytes for a million generated users.
        String tx = session == null ? null : transactionOf(session);
        if (tx != null && tx.equals(bumpedIn.get(session.getId()))) {
            return;
        }
        // A writer in auto-commit mode: H2 would try to commit after the nested update, which it forbids
        // inside a trigger. Switch the session flag only (no commit); the writer's statement commits both.
        boolean autoCommit = session != null && session.getAutoCommit();
        if (autoCommit) {
            session.setAutoCommit(false);
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "UPDATE table_versions SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE table_name = ?")) {
            ps.setString(1, table);
            ps.executeUpdate();
            String now = session == null ? null : transactionOf(session);
            if (now != null) {
                bumpedIn.put(session.getId(), now);
            }
        } finally {
            if (autoCommit) {
                session.setAutoCommit(true);
            }
        }
    }

    private void oncePerTransaction(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        String tx = currentTransaction(conn);
        long old = ((Number) oldRow[versionColumn]).longValue();
        if (tx.equals(oldRow[lastTxColumn])) {
            newRow[versionColumn] = old;
        } else {
            newRow[versionColumn] = old + 1;
        }
        newRow[lastTxColumn] = tx;
    }

    private String currentTransaction(Connection conn) throws SQLException {
        SessionLocal session = conn instanceof JdbcConnection jc && jc.getSession() instanceof SessionLocal sl ? sl : null;
        String id = session != null ? transactionOf(session) : queryTransaction(conn);
        // NULL while the transaction has no change yet: a unique value, so this bump always counts.
        return openToken + ":" + (id == null ? UUID.randomUUID().toString() : id);
    }

    /** The transaction's sequence number (what TRANSACTION_ID() returns), or null while it has changed nothing. */
    private static String transactionOf(SessionLocal session) {
        org.h2.value.Value v = session.getTransactionId();
        return v == null || v == org.h2.value.ValueNull.INSTANCE ? null : v.getString();
    }

    private static String queryTransaction(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("CALL TRANSACTION_ID()")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
