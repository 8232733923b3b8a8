package org.adminconsole.service.users;

import java.util.function.Supplier;
import org.adminconsole.domain.Visibility;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.adminconsole.persistence.Transactions;

/** A user's audit history (who changed what, when, in which operation), read from the audit tables. */
public final class UserHistory {

    private final Transactions tx;
    private final Supplier<Visibility> visibility;

    public UserHistory(Transactions tx) {
        this(tx, () -> Visibility.FULL);
    }

    /** {@code visibility}: a viewer's history reads the old and new values from {@code audit_changes_masked}. */
    public UserHistory(Transactions tx, Supplier<Visibility> visibility) {
        this.tx = tx;
        this.visibility = visibility;
    }

    /** The user's audit history, newest first (an email change masked for a role that sees emails masked). */
    public List<AuditEntryView> history(long userId) {
        String changesTable = visibility.get().auditChangesTable();
        return tx.read("users.history", s -> s.doReturningWork(c -> {
            Map<Object, AuditEntryView> entries = new LinkedHashMap<>();
            Map<Object, List<AuditEntryView.Change>> changes = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.changed_at, a.operator, a.operation, a.action, "
                    + "c.field, c.old_value, c.new_value, a.entry_no, a.source, a.change_set, a.reverts FROM audit_log a LEFT JOIN " + changesTable + " c ON c.audit_id = a.id "
                    + "WHERE a.entity_type = 'User' AND a.entity_id = ? ORDER BY a.changed_at DESC, a.entry_no DESC, c.seq")) {
                ps.setLong(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object key = rs.getObject(1);
                        List<AuditEntryView.Change> list = changes.computeIfAbsent(key, k -> new ArrayList<>());
                        if (!entries.containsKey(key)) {
                            entries.put(key, new AuditEntryView(rs.getObject(2, LocalDateTime.class), rs.getString(3),
                                    rs.getString(4), rs.getString(5), List.of(), rs.getLong(9), rs.getString(10), rs.getString(11),
                                    rs.getObject(12) == null ? null : rs.getLong(12)));
                        }
                        if (rs.getString(6) != null) {
                            list.add(new AuditEntryView.Change(rs.getString(6), rs.getString(7), rs.getString(8)));
                        }
                    }
                }
            }
            List<AuditEntryView> out = new ArrayList<>();
            entries.forEach((k, e) -> out.add(new AuditEntryView(e.at(), e.operator(), e.operation(), e.action(), changes.get(k),
                    e.no(), e.source(), e.changeSet(), e.reverts())));
            return out;
        }));
    }
}
