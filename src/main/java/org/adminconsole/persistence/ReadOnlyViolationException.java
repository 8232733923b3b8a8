package org.adminconsole.persistence;

/** A read-only operation tried to write; nothing was written. */
public class ReadOnlyViolationException extends RuntimeException {
    public ReadOnlyViolationException(String message) {
        super(message);
    }
}
