package org.adminconsole.persistence;

/** An operation ran past its deadline: its statement was cancelled (or refused) and it rolled back. */
public final class OperationTimeoutException extends RuntimeException {
    OperationTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
