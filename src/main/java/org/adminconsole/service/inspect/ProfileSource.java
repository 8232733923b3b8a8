package org.adminconsole.service.inspect;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.JdbcCancel;
import org.adminconsole.support.TaskHandle;

/**
 * An opened connection profile as the inspection services read it: a connection from the profile's read-only pool, a
 * read-only transaction that is always rolled back, a statement timeout for the transaction, and cancelling the
 * background task cancels the running statement ({@code Statement.cancel}, never a thread interrupt).
 */
public final class ProfileSource implements InspectSource {

    private final DataSource pool;
    private final Dialect dialect;
    private final Duration statementTimeout;
    private final Duration longTimeout;

    /**
     * {@code pool} hands out connections that cannot write (see {@code service.connections.ProfileDatabase}), each
     * with {@code statementTimeout} as its session default.
     */
    public ProfileSource(DataSource pool, Dialect dialect, Duration statementTimeout, Duration longTimeout) {
        this.pool = pool;
        this.dialect = dialect;
        this.statementTimeout = statementTimeout;
        this.longTimeout = longTimeout;
    }

    @Override
    public <T> T read(String name, Duration timeout, Work<T> work) {
        TaskHandle task = TaskHandle.current();
        task.throwIfCancelled();
        try (Connection c = pool.getConnection()) {
            AtomicReference<Statement> last = new AtomicReference<>();
            Connection tracked = tracking(c, last);
            try (TaskHandle.Registration reg = task.onCancel(() -> {
                Statement s = last.get();
                if (s != null) {
                    JdbcCancel.cancel(s);
                }
            })) {
                c.setAutoCommit(false);
                c.setReadOnly(true);
                setTimeout(c, timeout == null ? statementTimeout : timeout);
                return work.run(tracked);
            } finally {
                try {
                    c.rollback();
                    if (timeout != null && dialect == Dialect.H2) {
                        setTimeout(c, statementTimeout);
                    }
                } catch (SQLException e) {
                    // the pool checks the connection before lending it again
                }
            }
        } catch (SQLException e) {
            throw Inspection.cancelledOr(e);
        }
    }

    private void setTimeout(Connection c, Duration timeout) throws SQLException {
        String sql = dialect == Dialect.H2 ? "SET QUERY_TIMEOUT " + Math.max(1, timeout.toMillis())
                : dialect.statementTimeoutSql(timeout.toMillis()); // PostgreSQL: SET LOCAL, for this transaction only
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public Duration longTimeout() {
        return longTimeout;
    }

    @Override
    public Connection metadataConnection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    /** The connection as the work sees it: every statement it creates is remembered, so a cancel reaches the last one. */
    private static Connection tracking(Connection c, AtomicReference<Statement> last) {
        return (Connection) Proxy.newProxyInstance(ProfileSource.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null; // the pool's connection is closed by read()
                    }
                    try {
                        Object r = method.invoke(c, args);
                        if (r instanceof Statement s) {
                            last.set(s);
                        }
                        return r;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
