package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.Database;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.service.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of the SQL console and of Explain: never from the pool and never as the console's own login, but as
 * a login that can only read ({@link H2ReaderLogin}, {@link PostgresReaderLogin}), whose real rights are checked
 * before every connection. Each connection runs one read-only transaction (autocommit off, {@code setReadOnly}, rolled
 * back at the end), streams its results and gives every statement a timeout.
 *
 * <p>Everything that goes wrong here reaches the operator as a {@link ValidationException} on the SQL field, with any
 * configured password removed (H2 error texts can echo SQL, and driver messages name logins).
 */
public final class ReaderConnections {

    private static final Logger LOG = LoggerFactory.getLogger(ReaderConnections.class);

    private final Redactor settings;
    private final Dialect dialect;
    private final ReaderLogin login;
    private final Duration statementTimeout;
    private final org.adminconsole.persistence.monitor.SqlMonitor monitor;
    private final String logSource;

    /** Removes passwords from a text shown or logged. */
    public interface Redactor {
        String redact(String text);
    }

    public ReaderConnections(Database database, Duration statementTimeout) {
        this.database = database;
        this.monitor = database.sqlMonitor();
        Settings s = database.settings();
        this.settings = s::redact;
        this.dialect = database.dialect();
        // the one place that picks the dialect's reader
        this.login = switch (database.dialect()) {
            case H2 -> new H2ReaderLogin(database);
            case POSTGRES -> new PostgresReaderLogin(database);
        };
        this.statementTimeout = login.statementTimeout(statementTimeout);
        this.logSource = "SQL console";
    }

    /**
     * The reader connections of an opened connection profile: connections from {@code readOnlyConnections}, which
     * hands out only connections checked to be unable to write (see {@code service.connections.ProfileDatabase}); the
     * statement timeout is set on its connections (server or URL setting) and on every statement where the driver
     * times statements.
     */
    public static ReaderConnections forProfile(String profileName, String loginName, javax.sql.DataSource readOnlyConnections,
                                               Dialect dialect, Duration statementTimeout, Redactor redactor,
                                               org.adminconsole.persistence.monitor.SqlMonitor monitor) {
        return new ReaderConnections(new ProfileReaderLogin(loginName, readOnlyConnections, dialect), dialect, statementTimeout,
                redactor, monitor, "SQL console (" + profileName + ")");
    }

    private ReaderConnections(ReaderLogin login, Dialect dialect, Duration statementTimeout, Redactor redactor,
                              org.adminconsole.persistence.monitor.SqlMonitor monitor, String logSource) {
        this.database = null; // a profile's readers never connect as the console's login
        this.login = login;
        this.dialect = dialect;
        this.statementTimeout = login.statementTimeout(statementTimeout);
        this.settings = redactor;
        this.monitor = monitor;
        this.logSource = logSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The reader's login name (for messages and tests). */
    public String loginName() {
        return ownLogin.getAsBoolean() ? database.settings().dbUser() : login.name();
    }

    ReaderLogin login() {
        return login;
    }

    /**
     * Puts an operator's statement that ran on a reader connection into the SQL log (these connections are not the
     * console's pool, which the log watches): the SQL tab's queries show there with their time and rows.
     */
    public void logged(String sql, long nanos, long rows, String error) {
        if (monitor != null) {
            monitor.recordOutside(logSource, sql, nanos, rows, error == null, error == null ? null : settings.redact(error));
        }
    }

    /** Whether to connect as the console's own login instead of the reader (asked before every connection). */
    private volatile java.util.function.BooleanSupplier ownLogin = () -> false;
    private final Database database;

    /**
     * Issue 15 item 3: the reader login may read every column, emails included, so a console whose signed-in role may
     * not (a viewer) runs SQL and EXPLAIN as its own login instead: a viewer's login can only read, and only what the
     * database lets it (masked emails through {@code users_masked}; PostgreSQL refuses {@code users.email}, H2 the whole
     * {@code users} table). Its connections get the same read-only transaction, statement timeout and gates.
     */
    public void ownLoginWhen(java.util.function.BooleanSupplier ownLogin) {
        this.ownLogin = ownLogin;
    }

    private Connection connectAsConsoleLogin() throws SQLException {
        Connection c = database.openDirect(database.settings().dbUser(), database.settings().dbPassword(), true);
        if (dialect == Dialect.POSTGRES) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("SET statement_timeout = " + Math.max(1, statementTimeout.toMillis()));
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /** A new reader connection in a read-only transaction, rights checked. The caller closes it ({@link #release}). */
    public Connection open() {
        Connection c;
        try {
            c = ownLogin.getAsBoolean() ? connectAsConsoleLogin() : login.connect();
        } catch (ReaderRefusedException e) {
            LOG.warn("SQL console refused to open: {}", settings.redact(e.getMessage()));
            throw new ValidationException(QueryGate.SQL_FIELD, settings.redact(e.getMessage()));
        } catch (SQLException | RuntimeException e) {
            throw unavailable(e);
        }
        try {
            c.setAutoCommit(false);
            c.setReadOnly(true); // PostgreSQL: BEGIN READ ONLY (H2 ignores it; its reader has no write rights)
            dialect.streamResults(c, true);
            return c;
        } catch (SQLException | RuntimeException e) {
            release(c);
            throw unavailable(e);
        }
    }

    private ValidationException unavailable(Exception e) {
        String m = settings.redact(Inspection.firstLine(e.getMessage()));
        LOG.warn("Cannot open a SQL console connection as {}: {}", login.name(), m); // the message only: the driver's
        // exception may carry SQL text with a password in it
        return new ValidationException(QueryGate.SQL_FIELD, "Cannot open a console connection: " + m);
    }

    /**
     * The gate's checks that need the database: the dialect's own statement count must be 1 (a text the parser read as
     * one statement that the driver would split is refused), and the database's own functions that must not run.
     */
    public QueryGate.Checked check(Connection c, String sql) {
        Set<String> denied;
        try {
            denied = login.deniedFunctions(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
        QueryGate.Checked checked = QueryGate.check(sql, denied);
        requireOneStatement(c, checked.sql());
        return checked;
    }

    /** The dialect's own statement count of {@code sql} must be exactly 1. */
    public void requireOneStatement(Connection c, String sql) {
        int n;
        try {
            n = login.statementCount(c, sql);
        } catch (SQLException | RuntimeException e) {
            throw new ValidationException(QueryGate.SQL_FIELD, "SQL error: " + settings.redact(Inspection.firstLine(e.getMessage()))
                    + ". Nothing was run.");
        }
        if (n != 1) {
            throw new ValidationException(QueryGate.SQL_FIELD, "Run one statement at a time: the database would read " + n
                    + " statements here. Nothing was run.");
        }
    }

    /**
     * A forward-only, read-only statement with the console's statement timeout: set on the statement where the driver
     * times statements (H2), set for the session by the reader login where the server does (PostgreSQL).
     */
    public PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        if (dialect.timesOutStatementsInDriver()) {
            ps.setQueryTimeout((int) Math.max(1, statementTimeout.toSeconds()));
        }
        return ps;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    /** Rolls back and closes (never commits); quiet. */
    public static void release(Connection c) {
        if (c == null) {
            return;
        }
        try {
            if (!c.isClosed() && !c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Rollback of a console connection failed", e);
        }
        Inspection.closeQuietly(c, "connection");
    }

    /** What the operator reads for a database error in the console (any password removed). */
    public ValidationException translate(SQLException e) {
        String m = settings.redact(Inspection.firstLine(e.getMessage()));
        if (m.endsWith("; SQL statement:")) {
            m = m.substring(0, m.length() - "; SQL statement:".length());
        }
        m = m.replaceFirst("^ERROR: ", "");
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        ValidationException v;
        if (state.equals("25006") || e.getErrorCode() == 90096 || e.getErrorCode() == 90097 || e.getErrorCode() == 90040 || state.equals("42501")) {
            v = QueryGate.refused("the database refused it (" + m + ")");
        } else if (state.equals("57014") || e.getErrorCode() == 57014) {
            v = new ValidationException(QueryGate.SQL_FIELD, "Stopped after the console's statement timeout of "
                    + statementTimeout.toSeconds() + " s (" + m + "). Narrow the query.");
        } else if (state.equals("55P03") || e.getErrorCode() == 50200) {
            v = new ValidationException(QueryGate.SQL_FIELD, "Stopped: the query waited too long for a lock (" + m + ").");
        } else if (state.equals("25P03")) {
            v = new ValidationException(QueryGate.SQL_FIELD, "The result was closed by the database after its idle timeout ("
                    + m + "). Run the query again.");
        } else if (isResultBufferExceeded(e)) {
            v = new ValidationException(QueryGate.SQL_FIELD, "The result is too large for the console (more than "
                    + PostgresReaderLogin.MAX_RESULT_BUFFER + "B in one fetch): it was closed. Select fewer or shorter columns.");
        } else if (e.getErrorCode() == 90108) {
            v = new ValidationException(QueryGate.SQL_FIELD, "Stopped: the query needed more memory than the console has, and H2"
                    + " closed the database to protect it. The console reopens it by itself; narrow the query before running it again.");
        } else if (state.startsWith("08") || state.startsWith("57P") || e.getErrorCode() == 90098 || e.getErrorCode() == 90121
                || e.getErrorCode() == 90067 || e.getErrorCode() == 90007) {
            v = new ValidationException(QueryGate.SQL_FIELD, "Database unavailable: " + m
                    + ". The console reconnects by itself; the result was closed, run the query again in a moment.");
        } else {
            v = new ValidationException(QueryGate.SQL_FIELD, "SQL error: " + m);
        }
        return v;
    }

    private static boolean isResultBufferExceeded(SQLException e) {
        String m = e.getMessage();
        return m != null && m.contains("maxResultBuffer");
    }
}
