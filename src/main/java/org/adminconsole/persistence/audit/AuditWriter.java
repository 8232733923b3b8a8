package org.adminconsole.persistence.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

/**
 * Writes, inside the committing transaction, one {@code audit_log} row (with its {@code audit_changes}) per changed
 * entity, and bumps the {@code table_versions} row of every table the operation touched. The first audit row's id
 * is returned: it marks the commit, so a commit whose reply was lost can be checked afterwards.
 */
public final class AuditWriter {

    private AuditWriter() {
    }

    /** Returns the id of the first audit row written, or null when there were no entity changes. */
    public static String write(Connection c, String operationName, String operator, ChangeSet changes) throws SQLException {
        String marker = writeAudit(c, operationName, operator, changes);
        if (marker != null) {
            changes.touch("audit_log");
        }
        bumpVersions(c, changes);
        return marker;
    }

    private static String writeAudit(Connection c, String operationName, String operator, ChangeSet set)
            throws SQLException {
        List<EntityChange> changes = set.changes();
        if (changes.isEmpty()) {
            return null;
        }
        Timestamp now = Timestamp.valueOf(AuditInterceptor.now());
        String first = null;
        int changeRows = 0;
        // one change set per transaction: a bulk action's rows share it, so it can be listed and reverted as one
        String changeSet = UUID.randomUUID().toString();
        try (PreparedStatement log = c.prepareStatement("INSERT INTO audit_log (id, entity_type, entity_id, action, operation, operator,"
                + " changed_at, change_set, table_name, source, reverts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'console', ?)");
             PreparedStatement fields = c.prepareStatement("INSERT INTO audit_changes (audit_id, seq, field, old_value, new_value) VALUES (?, ?, ?, ?, ?)")) {
            for (EntityChange ch : changes) {
                UUID id = UUID.randomUUID();
                if (first == null) {
                    first = id.toString();
                }
                log.setObject(1, id);
                log.setString(2, ch.entity());
                log.setLong(3, ((Number) ch.id()).longValue());
                log.setString(4, ch.action().name());
                log.setString(5, operationName);
                log.setString(6, operator);
                log.setTimestamp(7, now);
                log.setString(8, changeSet);
                log.setString(9, ch.table());
                Long reverts = set.revertOf(ch.entity(), ch.id());
                if (reverts == null) {
                    log.setNull(10, java.sql.Types.BIGINT);
                } else {
                    log.setLong(10, reverts);
                }
                log.addBatch();
                int seq = 0;
                for (EntityChange.FieldChange f : ch.fields()) {
                    fields.setObject(1, id);
                    fields.setInt(2, ++seq);
                    fields.setString(3, f.field());
                    fields.setString(4, truncate(f.oldValue()));
                    fields.setString(5, truncate(f.newValue()));
                    fields.addBatch();
                    changeRows++;
                }
            }
            log.executeBatch();
            if (changeRows > 0) {
                fields.executeBatch();
            }
        }
        return first;
    }

    private static String truncate(String v) {
        return v == null || v.length() <= 10000 ? v : v.substring(0, 9999) + "…";
    }

    private static void bumpVersions(Connection c, ChangeSet changes) throws SQLException {
        if (changes.touchedTables().isEmpty()) {
            return;
        }
        // sorted order: concurrent writers lock version rows in the same order, so they cannot deadlock on them
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE table_versions SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE table_name = ?")) {
            for (String table : changes.touchedTables()) {
                ps.setString(1, table);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
