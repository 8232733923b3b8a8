package org.adminconsole.persistence;

/** Wraps a checked exception thrown by an operation's work. */
public class OperationFailedException extends RuntimeException {
    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
