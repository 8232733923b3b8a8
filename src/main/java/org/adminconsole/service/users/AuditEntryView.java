package org.adminconsole.service.users;

import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;

/** One audited change of an entity: when, by whom, in which operation, and the field changes. */
public record AuditEntryView(LocalDateTime at, String operator, String operation, String action, List<Change> changes) {

    public record Change(String field, String oldValue, String newValue) {
        @Override
        public String toString() {
            return field + ": " + (oldValue == null ? "—" : oldValue) + " → " + (newValue == null ? "—" : newValue);
        }
    }

    public AuditEntryView {
        changes = List.copyOf(changes);
    }

    public String summary() {
        return changes.stream().map(Change::toString).collect(Collectors.joining("; "));
    }
}
