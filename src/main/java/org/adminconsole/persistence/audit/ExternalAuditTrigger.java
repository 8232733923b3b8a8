package org.adminconsole.persistence.audit;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.h2.api.Trigger;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.value.Value;
import org.h2.value.ValueNull;
import org.h2.value.ValueVarchar;

/**
 * H2 row trigger of the external-write audit (migration {@code db/vendor/h2/V101}), the twin of PostgreSQL's
 * {@code adminconsole_external_audit()}: a write on users, departments or user_departments that the console did not
 * mark ({@link AuditMarker}) gets an audit row with the database login ({@code CURRENT_USER}) as operator, source
 * {@code external}, and the changed fields old -> new. Runs in the process hosting the database.
 */
public final class ExternalAuditTrigger implements Trigger {

    private static final Map<String, String> USER_FIELDS = fields("email", "email", "username", "username", "role", "role",
            "active", "active", "quota", "quota", "usage_amount", "usage", "settings", "settings", "last_login", "lastLogin");
    private static final Map<String, String> DEPARTMENT_FIELDS = fields("name", "name", "description", "description");

    private String table;
    private String entity;
    private final Map<String, Integer> column = new LinkedHashMap<>();
    /** Distinguishes this opening of the database: H2 restarts its transaction numbers on every open. */
    private final String openToken = UUID.randomUUID().toString().substring(0, 8);

    private static Map<String, String> fields(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        table = tableName.toLowerCase(Locale.ROOT);
        entity = table.equals("departments") ? "Department" : "User";
        try (PreparedStatement ps = conn.prepareStatement("SELECT COLUMN_NAME, ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schemaName);
            ps.setString(2, tableName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    column.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getInt(2) - 1);
                }
            }
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        SessionLocal session = conn instanceof JdbcConnection jc && jc.getSession() instanceof SessionLocal sl ? sl : null;
        if (session == null || markedByConsole(session)) {
            return;
        }
        String action = oldRow == null ? "INSERT" : newRow == null ? "DELETE" : "UPDATE";
        Map<String, String[]> changes = new LinkedHashMap<>();
        long entityId;
        if (table.equals("user_departments")) {
            entityId = ((Number) value(newRow != null ? newRow : oldRow, "user_id")).longValue();
            String before = oldRow == null ? null : departmentName(conn, value(oldRow, "department_id"));
            String after = newRow == null ? null : departmentName(conn, value(newRow, "department_id"));
            if (!java.util.Objects.equals(before, after)) {
                changes.put("department", new String[] {before, after});
            }
        } else {
            entityId = ((Number) value(newRow != null ? newRow : oldRow, "id")).longValue();
            Map<String, String> fields = table.equals("users") ? USER_FIELDS : DEPARTMENT_FIELDS;
            for (Map.Entry<String, String> f : fields.entrySet()) {
                String before = oldRow == null ? null : text(value(oldRow, f.getKey()));
                String after = newRow == null ? null : text(value(newRow, f.getKey()));
                boolean empty = (before == null || before.isEmpty()) && (after == null || after.isEmpty());
                if (!java.util.Objects.equals(before, after) && !(empty && !action.equals("UPDATE"))) {
                    changes.put(f.getValue(), new String[] {before, after});
                }
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        // a writer in auto-commit mode: H2 would commit after each nested statement, which it forbids in a trigger;
        // switch the flag only, the writer's statement commits everything (as TableVersionTrigger does)
        boolean autoCommit = session.getAutoCommit();
        if (autoCommit) {
            session.setAutoCommit(false);
        }
        try {
            UUID id = UUID.randomUUID();
            try (PreparedStatement log = conn.prepareStatement("INSERT INTO audit_log (id, entity_type, entity_id, action,"
                    + " operation, operator, changed_at, change_set, table_name, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'external')")) {
                log.setObject(1, id);
                log.setString(2, entity);
                log.setLong(3, entityId);
                log.setString(4, action);
                log.setString(5, "external." + action.toLowerCase(Locale.ROOT));
                log.setString(6, session.getUser().getName());
                log.setTimestamp(7, Timestamp.valueOf(AuditInterceptor.now()));
                log.setString(8, "tx:" + openToken + ":" + transactionOf(session));
                log.setString(9, table);
                log.executeUpdate();
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO audit_changes (audit_id, seq, field, old_value, new_value) VALUES (?, ?, ?, ?, ?)")) {
                int seq = 0;
                for (Map.Entry<String, String[]> c : changes.entrySet()) {
                    ps.setObject(1, id);
                    ps.setInt(2, ++seq);
                    ps.setString(3, c.getKey());
                    ps.setString(4, cut(c.getValue()[0]));
                    ps.setString(5, cut(c.getValue()[1]));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        } finally {
            if (autoCommit) {
                session.setAutoCommit(true);
            }
        }
    }

    /**
     * Whether the console marked this transaction: an {@code armed} marker is bound here to the transaction's
     * sequence number (the first trigger of the transaction sees it), so it covers that transaction only.
     */
    private static boolean markedByConsole(SessionLocal session) {
        Value v = session.getVariable(AuditMarker.H2_VARIABLE);
        if (v == null || v == ValueNull.INSTANCE) {
            return false;
        }
        String tx = transactionOf(session);
        String marker = v.getString();
        if (AuditMarker.ARMED.equals(marker)) {
            session.setVariable(AuditMarker.H2_VARIABLE, ValueVarchar.get("tx:" + tx));
            return true;
        }
        return marker.equals("tx:" + tx);
    }

    private static String transactionOf(SessionLocal session) {
        Value v = session.getTransactionId();
        return v == null || v == ValueNull.INSTANCE ? "?" : v.getString();
    }

    private Object value(Object[] row, String name) {
        Integer i = column.get(name);
        return i == null ? null : row[i];
    }

    private static String departmentName(Connection conn, Object id) throws SQLException {
        if (id == null) {
            return null;
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM departments WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : String.valueOf(id);
            }
        }
    }

    private static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal b) {
            return b.toPlainString();
        }
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime().toString();
        }
        return String.valueOf(v);
    }

    private static String cut(String v) {
        return v == null || v.length() <= 10000 ? v : v.substring(0, 9999) + "…";
    }
}
