package org.adminconsole.service;

import jakarta.persistence.OptimisticLockException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.adminconsole.persistence.DatabaseStartupException;
import org.adminconsole.persistence.ReadOnlyViolationException;
import org.hibernate.StaleStateException;

/** Turns exceptions from the data layer into one line an operator can act on; detail belongs in the log. */
public final class OperatorMessages {

    private OperatorMessages() {
    }

    /** True when the failure is an optimistic-lock conflict (someone else changed the row). */
    public static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    public static String forOperator(Throwable e) {
        if (e == null) {
            return "Unknown error";
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ValidationException || t instanceof DatabaseStartupException || t instanceof ReadOnlyViolationException) {
                return t.getMessage();
            }
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return "Someone else changed this record meanwhile. Reload it and apply your change again.";
            }
            if (t instanceof SQLTransientConnectionException) {
                return "Database unavailable: no connection could be obtained (" + t.getMessage() + ")";
            }
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return "Database unavailable: " + s.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }
}
