package org.adminconsole.persistence;

/**
 * The connection broke while a COMMIT was on its way and the database could not be asked afterwards whether it
 * happened: the change may or may not be saved. The message says how to check.
 */
public final class CommitUnknownException extends DatabaseUnavailableException {
    CommitUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
