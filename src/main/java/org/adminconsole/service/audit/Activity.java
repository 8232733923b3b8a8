package org.adminconsole.service.audit;

import java.util.function.Supplier;
import org.adminconsole.domain.Visibility;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.service.users.AuditEntryView;

/**
 * Recent changes across all users and operators (the Activity view): the audit log newest first, in pages by
 * keyset on {@code entry_no} (never OFFSET), filtered by operator, table and time range. Changes written outside
 * the console (database triggers) carry source {@code external}.
 */
public final class Activity {

    public static final int PAGE = 100;

    private final Transactions tx;
    private final Supplier<Visibility> visibility;

    public Activity(Transactions tx) {
        this(tx, () -> Visibility.FULL);
    }

    /** {@code visibility}: a viewer reads the changed values from {@code audit_changes_masked} (emails masked). */
    public Activity(Transactions tx, Supplier<Visibility> visibility) {
        this.tx = tx;
        this.visibility = visibility;
    }

    /** The page of entries older than {@code before} (null: the newest), at most {@code size}. */
    public ActivityPage page(ActivityFilter f, Long before, int size) {
        Visibility v = visibility.get();
        return tx.read("audit.activity", s -> s.doReturningWork(c -> page(c, f, before, size, v)));
    }

    private static ActivityPage page(Connection c, ActivityFilter f, Long before, int size, Visibility v) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT a.id, a.entry_no, a.changed_at, a.operator, a.operation, a.source, a.table_name,"
                + " a.entity_type, a.entity_id, a.action, a.change_set, a.reverts FROM audit_log a WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (f.operator() != null) {
            sql.append(" AND a.operator = ?");
            params.add(f.operator());
        }
        if (f.table() != null) {
            sql.append(" AND a.table_name = ?");
            params.add(f.table());
        }
        if (f.from() != null) {
            sql.append(" AND a.changed_at >= ?");
            params.add(Timestamp.valueOf(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND a.changed_at < ?");
            params.add(Timestamp.valueOf(f.to()));
        }
        if (before != null) {
            sql.append(" AND a.entry_no < ?");
            params.add(before);
        }
        sql.append(" ORDER BY a.entry_no DESC FETCH FIRST ").append(size + 1).append(" ROWS ONLY");
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getObject(1), rs.getLong(2), rs.getObject(3, LocalDateTime.class), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getString(10),
                            rs.getString(11), rs.getObject(12) == null ? null : rs.getLong(12)});
                }
            }
        }
        boolean more = rows.size() > size;
        if (more) {
            rows = rows.subList(0, size);
        }
        Map<Object, List<AuditEntryView.Change>> changes = changesOf(c, rows.stream().map(r -> r[0]).toList(), v);
        List<ActivityEntry> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new ActivityEntry((Long) r[1], (LocalDateTime) r[2], (String) r[3], (String) r[4], (String) r[5], (String) r[6],
                    (String) r[7], (Long) r[8], (String) r[9], changes.getOrDefault(r[0], List.of()), (String) r[10], (Long) r[11]));
        }
        return new ActivityPage(out, more ? out.get(out.size() - 1).no() : null);
    }

    static Map<Object, List<AuditEntryView.Change>> changesOf(Connection c, List<Object> ids) throws SQLException {
        return changesOf(c, ids, Visibility.FULL);
    }

    static Map<Object, List<AuditEntryView.Change>> changesOf(Connection c, List<Object> ids, Visibility v) throws SQLException {
        Map<Object, List<AuditEntryView.Change>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT audit_id, field, old_value, new_value FROM "
                + v.auditChangesTable() + " WHERE audit_id IN ("
                + marks + ") ORDER BY audit_id, seq")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setObject(i + 1, ids.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getObject(1), k -> new ArrayList<>())
                            .add(new AuditEntryView.Change(rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return out;
    }
}
