package org.adminconsole.persistence;

/** An operation was cancelled from another thread (see {@link Transactions#openCancelScope}); it rolled back. */
public final class OperationCancelledException extends RuntimeException implements OperatorError {
    public OperationCancelledException(String message, Throwable cause) {
        super(message, cause);
    }
}
