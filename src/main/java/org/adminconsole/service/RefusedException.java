package org.adminconsole.service;

/** An action the rules do not allow; the message says why and what to do instead. Nothing was written. */
public final class RefusedException extends RuntimeException implements org.adminconsole.persistence.OperatorError {
    public RefusedException(String message) {
        super(message);
    }
}
