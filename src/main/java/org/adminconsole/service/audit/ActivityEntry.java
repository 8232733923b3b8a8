package org.adminconsole.service.audit;

import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.adminconsole.service.users.AuditEntryView;

/** One row of the Activity view: an audit entry of any entity, with its field changes. */
public record ActivityEntry(long no, LocalDateTime at, String operator, String operation, String source, String table,
                            String entityType, long entityId, String action, List<AuditEntryView.Change> changes,
                            String changeSet, Long reverts) {

    public ActivityEntry {
        changes = List.copyOf(changes);
    }

    /** Written outside the console (recorded by the database triggers). */
    public boolean external() {
        return "external".equals(source);
    }

    public boolean isUser() {
        return "User".equals(entityType);
    }

    public String summary() {
        String s = changes.stream().map(AuditEntryView.Change::toString).collect(Collectors.joining("; "));
        return reverts == null ? s : "reverts #" + reverts + (s.isEmpty() ? "" : ": " + s);
    }
}
