package org.adminconsole.persistence;

/** A read-only operation tried to write; nothing was written (the guard worked: logged as a refusal). */
public class ReadOnlyViolationException extends RuntimeException implements OperatorError {
    public ReadOnlyViolationException(String message) {
        super(message);
    }
}
