package org.adminconsole.persistence;

/** The outer operation tried to commit, but a joined inner scope had failed: everything was rolled back. */
public class RollbackOnlyException extends RuntimeException {
    public RollbackOnlyException(String message, Throwable cause) {
        super(message, cause);
    }
}
