package org.adminconsole.service.inspect;

/**
 * A failure of an inspection use case with a message meant for the operator. The technical cause is kept
 * as a suppressed exception (it shows in the log's stack trace) rather than as the cause, so that the
 * operator sees this message and not the driver's.
 */
public class InspectionException extends RuntimeException {
    public InspectionException(String message) {
        super(message);
    }

    public InspectionException(String message, Throwable detail) {
        super(message);
        if (detail != null) {
            addSuppressed(detail);
        }
    }
}
