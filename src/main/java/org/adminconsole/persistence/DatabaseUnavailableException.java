package org.adminconsole.persistence;

/**
 * The database could not be reached, or the connection broke, while an operation ran: the operation did not
 * happen (for a commit whose reply was lost see {@link CommitUnknownException}). The console reconnects by
 * itself; the message says so in the operator's words.
 */
public class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
