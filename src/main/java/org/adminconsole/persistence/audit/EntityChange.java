package org.adminconsole.persistence.audit;

import java.util.List;
import java.util.Optional;

/**
 * One entity changed by an operation, as seen at flush: what, which row, and the changed fields
 * (old and new values as display strings). Immutable; safe to hand to caches and listeners.
 *
 * <p>{@code previousVersion} is the row's optimistic-lock version before the change (null for inserts and
 * unversioned rows): a committed change means every copy at that version or older is stale, which caches use
 * as a floor.
 */
public record EntityChange(String entity, String table, Object id, Action action, List<FieldChange> fields,
                           Long previousVersion) {

    public enum Action { INSERT, UPDATE, DELETE }

    public record FieldChange(String field, String oldValue, String newValue) {
    }

    public EntityChange {
        fields = List.copyOf(fields);
    }

    public EntityChange(String entity, String table, Object id, Action action, List<FieldChange> fields) {
        this(entity, table, id, action, fields, null);
    }

    /** The lowest version a copy of this row may have once the change committed (null: unknown). */
    public Optional<Long> versionFloor() {
        if (action == Action.DELETE) {
            return Optional.of(Long.MAX_VALUE); // ids are never reused: nothing may be cached for it again
        }
        return previousVersion == null ? Optional.empty() : Optional.of(previousVersion + 1);
    }

    public boolean changed(String field) {
        return fields.stream().anyMatch(f -> f.field().equals(field));
    }

    public Optional<FieldChange> field(String field) {
        return fields.stream().filter(f -> f.field().equals(field)).findFirst();
    }
}
