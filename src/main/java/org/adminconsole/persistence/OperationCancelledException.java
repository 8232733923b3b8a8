package org.adminconsole.persistence;

/** An operation was cancelled from another thread (see {@link Transactions#openCancelScope}); it rolled back. */
public final class OperationCancelledException extends RuntimeException implements OperatorError {
    private OperationCancelledException(String message, Throwable cause) {
        super(message, cause);
    }

    static OperationCancelledException of(Operation op, Throwable cause) {
        return new OperationCancelledException("Operation " + op.label() + " was cancelled; nothing was changed.", cause);
    }
}
