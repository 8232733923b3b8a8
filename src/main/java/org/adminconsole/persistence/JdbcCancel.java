package org.adminconsole.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.adminconsole.support.TaskHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels a running statement from another thread, the way each driver needs it: H2 cancels the session's
 * current command ({@code Statement.cancel}); pgjdbc sends at most one cancel request per execution from
 * {@code Statement.cancel}, and a request that reaches the server before the query starts is ignored, so on
 * PostgreSQL the cancel goes to the connection ({@code BaseConnection.cancelQuery}), which sends one every time.
 * {@link TaskHandle#cancel()} repeats it until the work has ended.
 */
public final class JdbcCancel {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCancel.class);

    private JdbcCancel() {
    }

    public static void cancel(Statement s) {
        try {
            Connection c = s.getConnection();
            if (c != null && c.isWrapperFor(org.postgresql.core.BaseConnection.class)) {
                c.unwrap(org.postgresql.core.BaseConnection.class).cancelQuery();
            } else {
                s.cancel();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Cancelling a statement failed (it may have ended)", e);
        }
    }

    /**
     * Registers {@code s} with the current task: cancelling the task cancels the statement. Close the
     * registration when the statement is done (try-with-resources).
     */
    public static TaskHandle.Registration onTaskCancel(Statement s) {
        return TaskHandle.current().onCancel(() -> cancel(s));
    }
}
