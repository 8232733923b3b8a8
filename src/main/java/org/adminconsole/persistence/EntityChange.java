package org.adminconsole.persistence;

import java.util.List;
import java.util.Optional;

/**
 * One entity changed by an operation, as seen at flush: what, which row, and the changed fields
 * (old and new values as display strings). Immutable; safe to hand to caches and listeners.
 */
public record EntityChange(String entity, String table, Object id, Action action, List<FieldChange> fields) {

    public enum Action { INSERT, UPDATE, DELETE }

    public record FieldChange(String field, String oldValue, String newValue) {
    }

    public EntityChange {
        fields = List.copyOf(fields);
    }

    public boolean changed(String field) {
        return fields.stream().anyMatch(f -> f.field().equals(field));
    }

    public Optional<FieldChange> field(String field) {
        return fields.stream().filter(f -> f.field().equals(field)).findFirst();
    }
}
