package org.adminconsole.service;

/** Thrown inside a write to abort it when the row's version moved; turned into {@link SaveResult.Conflicted}. */
public final class ConflictException extends RuntimeException implements org.adminconsole.persistence.OperatorError {
    private final transient Conflict conflict;

    public ConflictException(Conflict conflict) {
        super(conflict.deleted() ? "The user was deleted by someone else meanwhile."
                : "The user was changed by someone else meanwhile (fields: "
                + String.join(", ", conflict.diffs().stream().map(Conflict.FieldDiff::field).toList()) + ").");
        this.conflict = conflict;
    }

    public Conflict conflict() {
        return conflict;
    }
}
