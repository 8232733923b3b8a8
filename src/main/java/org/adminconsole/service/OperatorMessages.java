package org.adminconsole.service;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.adminconsole.persistence.DatabaseStartupException;
import org.adminconsole.persistence.DatabaseUnavailableException;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.Failures;
import org.adminconsole.persistence.OperationTimeoutException;
import org.adminconsole.persistence.OperatorError;
import org.adminconsole.persistence.ReadOnlyViolationException;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.Causes;

/** Turns exceptions from the data layer into one line an operator can act on; detail belongs in the log. */
public final class OperatorMessages {

    static final String UNAVAILABLE = "The database is unavailable (the connection was lost or the server does not answer). "
            + "The console reconnects by itself; try again in a moment.";

    private OperatorMessages() {
    }

    /** True when the failure is an optimistic-lock conflict (someone else changed the row). */
    public static boolean isConflict(Throwable e) {
        return Failures.isConflict(e);
    }

    /** A failure the console expects and explains (refusal, conflict, cancellation, outage, timeout): no stack trace needed. */
    public static boolean isExpected(Throwable e) {
        return Failures.isOperatorError(e) || Causes.has(e, DatabaseUnavailableException.class, OperationTimeoutException.class,
                DatabaseStartupException.class, ReadOnlyViolationException.class, SQLTransientConnectionException.class)
                || isConnectionFailure(e);
    }

    private static boolean isConnectionFailure(Throwable e) {
        return Failures.isConnectionLost(e, Dialect.H2) || Failures.isConnectionLost(e, Dialect.POSTGRES);
    }

    public static String forOperator(Throwable e) {
        if (e == null) {
            return "Unknown error";
        }
        var known = Causes.first(e, t -> t instanceof ValidationException || t instanceof DatabaseStartupException
                || t instanceof ReadOnlyViolationException || t instanceof DatabaseUnavailableException
                || t instanceof OperationTimeoutException || t instanceof RefusedException || t instanceof OperatorError
                        && !(t instanceof CancelledException));
        if (known.isPresent()) {
            return known.get().getMessage();
        }
        if (Causes.has(e, CancelledException.class)) {
            return "Cancelled; nothing was changed.";
        }
        if (Failures.isConflict(e)) {
            return "Someone else changed this record meanwhile. Reload it and apply your change again.";
        }
        if (Failures.isPoolExhausted(e)) {
            return "Every database connection of the console is busy (pool.maxSize); the action was not run. Try again in a "
                    + "moment, or let long actions finish first.";
        }
        if (Causes.has(e, SQLTransientConnectionException.class) || isConnectionFailure(e)) {
            return UNAVAILABLE;
        }
        if (Failures.isTimeout(e)) {
            return "The database took too long to answer and the statement was stopped; nothing was changed.";
        }
        var sql = Causes.find(e, SQLException.class);
        String m = sql.isPresent() ? sql.get().getMessage() : Causes.root(e).getMessage();
        if (m == null) {
            m = Causes.root(e).getClass().getSimpleName();
        }
        return Causes.firstLine(m);
    }
}
