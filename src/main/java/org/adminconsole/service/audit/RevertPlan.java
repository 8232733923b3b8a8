package org.adminconsole.service.audit;

import java.util.List;

/**
 * What reverting a change set (a bulk action) would do, user by user: the fields set back, and the conflicts (a field
 * whose current value is no longer the one the change wrote, or a user deleted since). Users with a conflict are
 * left out when the operator chooses to skip them; otherwise nothing is written.
 */
public record RevertPlan(String changeSet, String operation, List<UserRevert> users) {

    public record FieldRevert(String field, String current, String restored) {
    }

    /** One user of the change set: its entry, the fields set back and the conflicting fields (empty: no conflict). */
    public record UserRevert(long entryNo, long userId, String email, List<FieldRevert> fields, List<FieldRevert> conflicts,
                             boolean deleted) {
        public UserRevert {
            fields = List.copyOf(fields);
            conflicts = List.copyOf(conflicts);
        }

        public boolean conflicted() {
            return deleted || !conflicts.isEmpty();
        }

        public String describeConflict() {
            if (deleted) {
                return "deleted since";
            }
            return String.join(", ", conflicts.stream().map(c -> c.field() + " is now " + c.current()).toList());
        }
    }

    public RevertPlan {
        users = List.copyOf(users);
    }

    public List<UserRevert> conflicted() {
        return users.stream().filter(UserRevert::conflicted).toList();
    }

    public List<UserRevert> revertable() {
        return users.stream().filter(u -> !u.conflicted()).toList();
    }
}
