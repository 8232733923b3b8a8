package org.adminconsole.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * Observes outermost operations; registered once in the composition root ({@code AppContext}). Every method has
 * a default, so a listener implements only what it needs. Listeners must be quick and must not throw: a
 * failing listener is logged and the others still run.
 */
public interface OperationListener {

    /** At the start of an outermost operation, before its session opens. */
    default void started(Operation op) {
    }

    /** Inside a committing write, right after its table versions were bumped, on its own connection. */
    default void versionsBumped(Operation op, Connection connection) throws SQLException {
    }

    /** When the operation has ended (committed, rolled back or failed), after its session closed. */
    default void finished(OperationRecord record) {
    }

    /** A listener that only wants finished operations. */
    static OperationListener onFinished(Consumer<OperationRecord> consumer) {
        return new OperationListener() {
            @Override
            public void finished(OperationRecord record) {
                consumer.accept(record);
            }
        };
    }
}
