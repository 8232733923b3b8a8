package org.adminconsole.persistence;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool hands out connections with autocommit off (for Hibernate). Plain JDBC code (migrations,
 * inspection, tests) gets them switched to autocommit through this view; HikariCP resets the flag when the
 * connection returns to the pool.
 */
final class AutoCommitDataSource implements DataSource {
    private final DataSource delegate;

    AutoCommitDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    private static Connection autoCommit(Connection c) throws SQLException {
        try {
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    @Override public Connection getConnection() throws SQLException { return autoCommit(delegate.getConnection()); }
    @Override public Connection getConnection(String u, String p) throws SQLException { return autoCommit(delegate.getConnection(u, p)); }
    @Override public PrintWriter getLogWriter() throws SQLException { return delegate.getLogWriter(); }
    @Override public void setLogWriter(PrintWriter out) throws SQLException { delegate.setLogWriter(out); }
    @Override public void setLoginTimeout(int seconds) throws SQLException { delegate.setLoginTimeout(seconds); }
    @Override public int getLoginTimeout() throws SQLException { return delegate.getLoginTimeout(); }
    @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { return delegate.getParentLogger(); }
    @Override public <T> T unwrap(Class<T> iface) throws SQLException { return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface); }
    @Override public boolean isWrapperFor(Class<?> iface) throws SQLException { return iface.isInstance(this) || delegate.isWrapperFor(iface); }
}
