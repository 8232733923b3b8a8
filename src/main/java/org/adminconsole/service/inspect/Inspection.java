package org.adminconsole.service.inspect;

import java.sql.SQLException;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;

/** Shared helpers of the inspection services. */
final class Inspection {

    private Inspection() {
    }

    /** A cancelled statement becomes a {@link CancelledException}; anything else an {@link InspectionException}. */
    static RuntimeException cancelledOr(SQLException e) {
        if (TaskHandle.current().isCancelled()) {
            return new CancelledException("Cancelled.", e);
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
