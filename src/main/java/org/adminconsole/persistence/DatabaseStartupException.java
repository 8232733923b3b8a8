package org.adminconsole.persistence;

/** The database could not be opened; {@link #getMessage()} is written for the operator and says what to fix. */
public class DatabaseStartupException extends RuntimeException {

    public enum Reason { LOCKED, UNREACHABLE, AUTHENTICATION, NO_SUCH_DATABASE, MIGRATION, SCHEMA, FUTURE_SCHEMA, FAILED_MIGRATION, DURABILITY, OTHER }

    private final Reason reason;

    public DatabaseStartupException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
