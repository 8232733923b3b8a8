package org.adminconsole.persistence;

import org.adminconsole.support.CancelledException;

/** An operation's task was cancelled (from another thread); the operation rolled back. */
public final class OperationCancelledException extends CancelledException implements OperatorError {
    private OperationCancelledException(String message, Throwable cause) {
        super(message, cause);
    }

    static OperationCancelledException of(Operation op, Throwable cause) {
        return new OperationCancelledException("Operation " + op.label() + " was cancelled; nothing was changed.", cause);
    }
}
