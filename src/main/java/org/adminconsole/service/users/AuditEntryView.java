package org.adminconsole.service.users;

import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One audited change of an entity: when, by whom, in which operation, and the field changes; {@code no} is the
 * entry's number (audit_log.entry_no), {@code source} "console" or "external" (written outside the console),
 * {@code changeSet} what the transaction that wrote it shares with its other entries (a bulk action), {@code reverts}
 * the number of the entry this change reverted.
 */
public record AuditEntryView(LocalDateTime at, String operator, String operation, String action, List<Change> changes,
                             long no, String source, String changeSet, Long reverts) {

    public record Change(String field, String oldValue, String newValue) {
        @Override
        public String toString() {
            return field + ": " + (oldValue == null ? "—" : oldValue) + " → " + (newValue == null ? "—" : newValue);
        }
    }

    public AuditEntryView {
        changes = List.copyOf(changes);
    }

    public AuditEntryView(LocalDateTime at, String operator, String operation, String action, List<Change> changes) {
        this(at, operator, operation, action, changes, 0, "console", null, null);
    }

    public boolean external() {
        return "external".equals(source);
    }

    public String summary() {
        String s = changes.stream().map(Change::toString).collect(Collectors.joining("; "));
        return reverts == null ? s : "reverts #" + reverts + (s.isEmpty() ? "" : ": " + s);
    }
}
