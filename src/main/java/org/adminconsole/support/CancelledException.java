package org.adminconsole.support;

/** The work was cancelled by the operator (or superseded); whatever it wrote was rolled back. Not a failure. */
public class CancelledException extends RuntimeException {

    public CancelledException(String message) {
        super(message);
    }

    public CancelledException(String message, Throwable cause) {
        super(message, cause);
    }
}
