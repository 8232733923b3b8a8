package org.adminconsole.service.users;

/** Thrown inside a write to abort it when the row's version moved; turned into {@link SaveResult.Conflicted}. */
public final class ConflictException extends RuntimeException implements org.adminconsole.persistence.OperatorError {
    private final transient Conflict conflict;

    public ConflictException(Conflict conflict) {
        super(message(conflict));
        this.conflict = conflict;
    }

    private static String message(Conflict conflict) {
        if (conflict.deleted()) {
            return "The user was deleted by someone else meanwhile.";
        }
        if (conflict.diffs().isEmpty()) {
            return "The user was saved by someone else meanwhile (no field you see differs; only its version moved).";
        }
        return "The user was changed by someone else meanwhile (fields: "
                + String.join(", ", conflict.diffs().stream().map(Conflict.FieldDiff::field).toList()) + ").";
    }

    public Conflict conflict() {
        return conflict;
    }
}
