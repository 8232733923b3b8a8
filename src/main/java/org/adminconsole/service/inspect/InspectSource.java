package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.persistence.TxOptions;

/**
 * Where the inspection services (Schema &amp; data, the table export) read from: the console's own database (through
 * {@link Transactions}: read-only transactions, the operation log, the task's cancel) or an opened connection profile
 * (its own small read-only pool, see {@code service.connections.ProfileDatabase}). The work gets a connection in a
 * read-only transaction that is rolled back (or committed with nothing written) at the end.
 */
public interface InspectSource {

    /** Work on one JDBC connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in a read-only transaction named {@code name}, its statements stopped after {@code timeout}
     * (null: an operator action's deadline; {@link #longTimeout()} for counts and exports).
     */
    <T> T read(String name, java.time.Duration timeout, Work<T> work);

    /** The deadline of long reads (exact counts, exports). */
    java.time.Duration longTimeout();

    /** A connection for metadata reads (JDBC {@code DatabaseMetaData}); the caller closes it. */
    Connection metadataConnection() throws SQLException;

    Dialect dialect();

    /** The console's own database, exactly as the inspection services used it before profiles existed. */
    static InspectSource console(DataSource dataSource, Transactions tx) {
        return new InspectSource() {
            @Override
            public <T> T read(String name, java.time.Duration timeout, Work<T> work) {
                TxOptions options = TxOptions.read(name);
                if (timeout != null) {
                    options = options.timeout(timeout);
                }
                return tx.execute(options, s -> s.doReturningWork(work::run));
            }

            @Override
            public java.time.Duration longTimeout() {
                return tx.longTimeout();
            }

            @Override
            public Connection metadataConnection() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public Dialect dialect() {
                return tx.dialect();
            }
        };
    }
}
