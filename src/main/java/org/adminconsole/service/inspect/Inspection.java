package org.adminconsole.service.inspect;

import java.sql.SQLException;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;

/** Shared helpers of the inspection services. */
final class Inspection {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Inspection.class);

    private Inspection() {
    }

    /** A cancelled statement becomes a {@link CancelledException}; anything else an {@link InspectionException}. */
    static RuntimeException cancelledOr(SQLException e) {
        if (TaskHandle.current().isCancelled()) {
            return new CancelledException("Cancelled.", e);
        }
        return new InspectionException(firstLine(e.getMessage()), e);
    }

    /**
     * Closes a JDBC resource of the SQL console whose failure to close changes nothing for the operator (the result
     * is already read or abandoned); {@code what} names it in the debug log. Null is ignored.
     */
    static void closeQuietly(AutoCloseable resource, String what) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            LOG.debug("Closing a console {} failed", what, e);
        }
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
