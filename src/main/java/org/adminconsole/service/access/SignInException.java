package org.adminconsole.service.access;

/** A sign-in the database (or the console's rules) refused; the message says why, in the operator's words. */
public final class SignInException extends RuntimeException implements org.adminconsole.persistence.OperatorError {

    /** Why: the dialog offers another try for each. */
    public enum Kind { WRONG_PASSWORD, DISABLED, NO_ROLE, EMPTY, UNAVAILABLE }

    private final Kind kind;

    public SignInException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
