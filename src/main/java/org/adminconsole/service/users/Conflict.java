package org.adminconsole.service.users;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

    /** The fields where the current row differs from the operator's form (all of them when no form). */
    static Conflict between(UserView theirs, UserForm yours) {
        List<FieldDiff> diffs = new ArrayList<>();
        if (theirs != null && yours != null) {
            UserForm t = UserForm.of(theirs);
            diff(diffs, "email", t.email(), yours.email());
            diff(diffs, "username", t.username(), yours.username());
            diff(diffs, "role", t.role(), yours.role());
            diff(diffs, "active", t.active(), yours.active());
            diff(diffs, "quota", amount(t.quota()), amount(yours.quota()));
            diff(diffs, "usage", amount(t.usage()), amount(yours.usage()));
            diff(diffs, "departments", t.sortedDepartmentIds(), yours.sortedDepartmentIds());
            diff(diffs, "settings", blankToNull(t.settings()), blankToNull(yours.settings()));
        }
        return new Conflict(theirs, yours, diffs);
    }

    private static void diff(List<FieldDiff> out, String field, Object theirs, Object yours) {
        if (!Objects.equals(theirs, yours)) {
            out.add(new FieldDiff(field, String.valueOf(theirs), String.valueOf(yours)));
        }
    }

    private static Object amount(String s) {
        try {
            return new BigDecimal(s.trim()).stripTrailingZeros().toPlainString();
        } catch (RuntimeException e) {
            return s;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
