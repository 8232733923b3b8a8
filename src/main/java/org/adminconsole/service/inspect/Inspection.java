package org.adminconsole.service.inspect;

import java.sql.SQLException;
import java.util.concurrent.CancellationException;

/** Shared helpers of the inspection services. */
final class Inspection {

    private Inspection() {
    }

    /** A cancelled statement becomes a {@link CancellationException}; anything else stays as it is. */
    static RuntimeException cancelledOr(SQLException e, CancelToken cancel) {
        if (cancel.isCancelled() || isCancelState(e)) {
            return new CancellationException("Cancelled.");
        }
        return new InspectionException(firstLine(e.getMessage()), e);
    }

    static boolean isCancelState(SQLException e) {
        return "57014".equals(e.getSQLState()) || e.getErrorCode() == 57014;
    }

    static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl).trim() : m.trim();
    }
}
