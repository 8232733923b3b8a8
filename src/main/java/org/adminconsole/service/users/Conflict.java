package org.adminconsole.service.users;

import java.util.List;
import org.adminconsole.domain.UserView;

/**
 * The user changed (or was deleted) since the editor opened it: the current state ({@code theirs}, null when
 * deleted), what the operator submitted ({@code yours}) and every field where the two differ.
 */
public record Conflict(UserView theirs, UserForm yours, List<FieldDiff> diffs) {

    /** One differing field: display values of the current row and of the operator's form. */
    public record FieldDiff(String field, String theirs, String yours) {
    }

    public Conflict {
        diffs = List.copyOf(diffs);
    }

    public boolean deleted() {
        return theirs == null;
    }
}
