package org.adminconsole.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** Every way a connection fails, on both databases, reads the same to an operator: no driver text, no codes. */
class OperatorMessagesTest {

    @Test
    void connectionFailuresOfBothDatabasesReadInTheOperatorsWords() {
        List<Throwable> failures = List.of(
                new SQLException("Connection is broken: \"session closed\" [90067-232]", "90067", 90067),
                new SQLException("The database has been closed [90098-232]", "90098", 90098),
                new SQLException("Database is already closed (to disable automatic closing at VM shutdown...) [90121-232]", "90121", 90121),
                new SQLException("An I/O error occurred while sending to the backend.", "08006"),
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"),
                new SQLTransientConnectionException("admin-console - Connection is not available, request timed out after 5000ms.",
                        "08001", new SQLException("Connection refused", "08001")),
                new JDBCConnectionException("could not prepare statement", new SQLException("Connection refused", "08001")),
                new RuntimeException("wrapped", new java.net.SocketTimeoutException("Read timed out")));
        for (Throwable f : failures) {
            String m = OperatorMessages.forOperator(f);
            assertThat(m).as(f.toString()).isEqualTo(OperatorMessages.UNAVAILABLE)
                    .doesNotContain("[9").doesNotContain("session closed").doesNotContain("I/O");
            assertThat(OperatorMessages.isExpected(f)).as(f.toString()).isTrue();
        }
    }

    @Test
    void aPoolWithEveryConnectionBusyIsNotADeadDatabase() {
        var busy = new SQLTransientConnectionException("admin-console - Connection is not available, request timed out after 5000ms.");
        assertThat(OperatorMessages.forOperator(busy)).contains("Every database connection of the console is busy");
        assertThat(org.adminconsole.persistence.Failures.isConnectionLost(busy, org.adminconsole.persistence.Dialect.H2)).isFalse();
    }

    @Test
    void anUnexpectedFailureShowsItsFirstLineOnly() {
        String m = OperatorMessages.forOperator(new IllegalStateException("first line\n\tat somewhere"));
        assertThat(m).isEqualTo("first line");
        assertThat(OperatorMessages.isExpected(new IllegalStateException("x"))).isFalse();
    }
}
