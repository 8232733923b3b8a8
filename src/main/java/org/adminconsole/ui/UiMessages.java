package org.adminconsole.ui;

import org.adminconsole.service.OperatorMessages;

/** Turns exceptions into one line an operator can act on; the stack trace goes to the log. */
public final class UiMessages {

    private UiMessages() {
    }

    public static String forOperator(Throwable e) {
        return OperatorMessages.forOperator(e);
    }

    /** A refusal, conflict, cancellation, outage or timeout: explained to the operator, no stack trace needed. */
    public static boolean isExpected(Throwable e) {
        return OperatorMessages.isExpected(e);
    }

    public static boolean isConflict(Throwable e) {
        return OperatorMessages.isConflict(e);
    }
}
