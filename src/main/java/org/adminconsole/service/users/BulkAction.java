package org.adminconsole.service.users;

import java.util.List;
import java.util.Objects;

/**
 * A bulk change and the users it applies to: the given ids (selected rows) or, when {@code ids} is null,
 * every user matching {@code query}.
 */
public record BulkAction(Kind kind, Long departmentId, List<Long> ids, UserQuery query) {

    public enum Kind {
        DEACTIVATE("Deactivate"), ACTIVATE("Activate"), MOVE_TO_DEPARTMENT("Move to department"), RESET_USAGE("Reset usage");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public BulkAction {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.MOVE_TO_DEPARTMENT && departmentId == null) {
            throw new IllegalArgumentException("Moving users needs a department");
        }
        if (ids == null && query == null) {
            throw new IllegalArgumentException("A bulk action needs ids or a query");
        }
        ids = ids == null ? null : List.copyOf(ids);
    }

    public static BulkAction onIds(Kind kind, Long departmentId, List<Long> ids) {
        return new BulkAction(kind, departmentId, ids, null);
    }

    public static BulkAction onQuery(Kind kind, Long departmentId, UserQuery query) {
        return new BulkAction(kind, departmentId, null, query);
    }
}
