package org.adminconsole.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.adminconsole.persistence.OperationRecord;
import org.adminconsole.persistence.audit.EntityChange;

/**
 * What a committed operation means for the user cache: the users it changed (their ids, old and new emails, and the
 * versions their changes produced), and whether it also wrote the tables a snapshot is built from in a way those keys
 * do not cover (SQL without entity details, or a change to another entity a snapshot shows, like a department's
 * name), so that the whole cache must go.
 */
record UserChanges(List<Long> ids, List<String> emails, Map<Long, Long> versionFloors, boolean clearAll) {

    /** The changes of a committed operation. */
    static UserChanges of(OperationRecord op) {
        List<Long> ids = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        Map<Long, Long> versionFloors = new HashMap<>();
        for (EntityChange c : op.changes()) {
            if (c.entity().equals("User")) {
                long id = ((Number) c.id()).longValue();
                ids.add(id);
                c.versionFloor().ifPresent(f -> versionFloors.merge(id, f, Math::max));
                c.field("email").ifPresent(f -> {
                    emails.add(f.oldValue());
                    emails.add(f.newValue());
                });
            }
        }
        boolean usersTouched = op.tables().contains("users") || op.tables().contains("user_departments")
                || op.tables().contains("departments");
        // SQL without entity details, or a change to another entity a snapshot shows (a department's name)
        boolean notCoveredByKeys = op.changes().isEmpty() || op.changes().stream().anyMatch(c -> !c.entity().equals("User"));
        return new UserChanges(ids, emails, versionFloors, usersTouched && notCoveredByKeys);
    }
}
