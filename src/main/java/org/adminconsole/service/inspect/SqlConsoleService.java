package org.adminconsole.service.inspect;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.adminconsole.persistence.JdbcCancel;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.Database;
import org.adminconsole.service.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only SQL console. Every statement runs on its own connection (not the pool), in a read-only
 * transaction that is always rolled back, and only if it is one query:
 * <ul>
 *   <li>several statements, or a statement whose first word changes data, schema, settings or the
 *       transaction, are refused before anything is sent;</li>
 *   <li>a statement the driver does not describe as returning rows (no result set metadata) is refused;</li>
 *   <li>PostgreSQL enforces the rest: {@code setReadOnly(true)} runs a READ ONLY transaction, in which writes,
 *       DDL, {@code nextval} and functions that write fail;</li>
 *   <li>H2 ignores read-only connections, so console statements run as a dedicated H2 user with SELECT rights
 *       only ({@value #H2_READER}, created at first use with a fresh random password); functions (aliases)
 *       run with those rights too. Sequence advances (NEXT VALUE FOR, NEXTVAL) are not covered by H2 rights
 *       and survive a rollback, so they are refused by name.</li>
 * </ul>
 * Results stream: the first batch is returned, {@link #fetchMore} reads the next one from the open cursor,
 * up to a row cap. Cancelling the task ({@link TaskHandle#cancel()}) cancels the statement.
 */
public final class SqlConsoleService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqlConsoleService.class);
    public static final String H2_READER = "ADMINCONSOLE_READER";
    public static final String SQL_FIELD = "sql";

    /** First words of statements that change something (data, schema, settings, transaction): refused. */
    private static final Set<String> CHANGING = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE",
            "TRUNCATE", "CREATE", "DROP", "ALTER", "RENAME", "GRANT", "REVOKE", "COMMENT", "COPY", "IMPORT", "LOCK",
            "VACUUM", "ANALYZE", "REINDEX", "CLUSTER", "REFRESH", "SET", "RESET", "COMMIT", "ROLLBACK", "BEGIN",
            "START", "END", "SAVEPOINT", "RELEASE", "PREPARE", "EXECUTE", "DEALLOCATE", "DO", "BACKUP", "SCRIPT",
            "RUNSCRIPT", "SHUTDOWN", "CHECKPOINT", "DISCARD", "LISTEN", "NOTIFY", "UNLISTEN", "REASSIGN", "SECURITY", "LOAD");

    /** A batch of result rows (display text, null for SQL NULL). */
    public record Result(List<String> columns, List<List<String>> rows, long totalRows, boolean more, boolean capped,
                         long elapsedMillis) {
    }

    private final Settings settings;
    private final Database database;
    private final SqlHistory history;
    private final int batchSize;
    private final int rowCap;
    private String readerPassword;
    private String readerProblem;

    private Connection cursorConnection;
    private Statement cursorStatement;
    private ResultSet cursor;
    private List<String> cursorColumns = List.of();
    private int[] cursorTypes = new int[0];
    private long cursorRows;
    /** The statement executing right now (for {@link #close()} from another thread). */
    private volatile Statement executing;

    public SqlConsoleService(Database database, SqlHistory history, int batchSize, int rowCap) {
        this.database = database;
        this.settings = database.settings();
        this.history = history;
        this.batchSize = batchSize;
        this.rowCap = rowCap;
    }

    public SqlConsoleService(Database database, SqlHistory history) {
        this(database, history, 500, 10_000);
    }

    public SqlHistory history() {
        return history;
    }

    public int rowCap() {
        return rowCap;
    }

    /** Runs one query and returns its first batch of rows; the rest stays open for {@link #fetchMore}. */
    public synchronized Result run(String sql) {
        TaskHandle task = TaskHandle.current();
        TaskHandle.Registration reg = null;
        closeCursor();
        String statement = checkShape(sql);
        history.add(statement);
        long t0 = System.nanoTime();
        Connection c = open();
        boolean keep = false;
        PreparedStatement ps = null;
        try {
            ps = prepareQuery(c, statement);
            ps.setFetchSize(batchSize);
            reg = JdbcCancel.onTaskCancel(ps);
            executing = ps;
            task.throwIfCancelled();
            ResultSet rs = ps.executeQuery();
            ResultSetMetaData md = rs.getMetaData();
            List<String> cols = new ArrayList<>();
            int[] types = new int[md.getColumnCount()];
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.add(md.getColumnLabel(i));
                types[i - 1] = md.getColumnType(i);
            }
            cursorConnection = c;
            cursorStatement = ps;
            cursor = rs;
            cursorColumns = List.copyOf(cols);
            cursorTypes = types;
            cursorRows = 0;
            keep = true;
            return readBatch(task, t0);
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            executing = null;
            if (reg != null) {
                reg.close();
            }
            if (!keep) {
                closeQuietly(ps, c);
            }
        }
    }

    /** The next batch of the last query's rows (empty if none is open). */
    public synchronized Result fetchMore() {
        if (cursor == null) {
            return new Result(cursorColumns, List.of(), cursorRows, false, false, 0);
        }
        try (TaskHandle.Registration reg = JdbcCancel.onTaskCancel(cursorStatement)) {
            return readBatch(TaskHandle.current(), System.nanoTime());
        } catch (SQLException e) {
            closeCursor();
            throw translate(e);
        }
    }

    private Result readBatch(TaskHandle task, long t0) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        boolean more = true;
        int limit = (int) Math.min(batchSize, rowCap - cursorRows);
        while (rows.size() < limit) {
            if (!cursor.next()) {
                more = false;
                break;
            }
            List<String> row = new ArrayList<>(cursorTypes.length);
            for (int i = 0; i < cursorTypes.length; i++) {
                Object v = CellFormat.readForDisplay(cursor, i + 1, cursorTypes[i]);
                row.add(v == null ? null : CellFormat.display(v));
            }
            rows.add(row);
            if ((rows.size() & 255) == 0) {
                task.throwIfCancelled();
            }
        }
        cursorRows += rows.size();
        boolean capped = more && cursorRows >= rowCap;
        if (!more || capped) {
            closeCursor();
        }
        return new Result(cursorColumns, List.copyOf(rows), cursorRows, more && !capped, capped,
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** The database's plan for a query (never executes it: EXPLAIN without ANALYZE). */
    public String explain(String sql) {
        TaskHandle.Registration reg = null;
        String statement = checkShape(sql);
        if (statement.toUpperCase(java.util.Locale.ROOT).startsWith("EXPLAIN")) {
            throw new ValidationException(SQL_FIELD, "Type the query itself; Explain adds EXPLAIN.");
        }
        Connection c = open();
        PreparedStatement ps = null;
        try {
            prepareQuery(c, statement).close();
            ps = c.prepareStatement("EXPLAIN " + statement);
            reg = JdbcCancel.onTaskCancel(ps);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        plan.append(i > 1 ? "\t" : "").append(rs.getString(i));
                    }
                    plan.append('\n');
                }
            }
            return plan.toString().strip();
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            if (reg != null) {
                reg.close();
            }
            closeQuietly(ps, c);
        }
    }

    /** One statement, not empty, not obviously changing anything: returns it without its trailing semicolon. */
    String checkShape(String sql) {
        SqlText text = SqlText.scan(sql == null ? "" : sql);
        if (text.statements().isEmpty()) {
            throw new ValidationException(SQL_FIELD, "Type a query to run, e.g. SELECT * FROM users.");
        }
        if (text.statements().size() > 1) {
            throw new ValidationException(SQL_FIELD, "Run one statement at a time (found " + text.statements().size()
                    + " separated by ';').");
        }
        String first = text.firstWord();
        if (CHANGING.contains(first)) {
            throw refused(first + " statements change the database");
        }
        if (text.containsSequence("NEXT", "VALUE", "FOR") || text.words(0).contains("NEXTVAL") || text.words(0).contains("SETVAL")) {
            throw refused("the statement advances a sequence (NEXT VALUE FOR / NEXTVAL / SETVAL), a change that a rollback does not undo");
        }
        return text.statements().get(0);
    }

    private static ValidationException refused(String why) {
        return new ValidationException(SQL_FIELD, "Refused: " + why
                + ". The SQL console is read-only: only queries run here (SELECT, WITH … SELECT, VALUES, TABLE, EXPLAIN, SHOW). Nothing was changed.");
    }

    private PreparedStatement prepareQuery(Connection c, String statement) throws SQLException {
        PreparedStatement ps = c.prepareStatement(statement, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        if (ps.getMetaData() == null) {
            ps.close();
            throw refused("this statement does not return rows, so it is not a query");
        }
        return ps;
    }

    private RuntimeException translate(SQLException e) {
        if (TaskHandle.current().isCancelled() || Inspection.isCancelState(e)) {
            return new CancelledException("Query cancelled.", e);
        }
        String m = Inspection.firstLine(e.getMessage());
        if (m.endsWith("; SQL statement:")) {
            m = m.substring(0, m.length() - "; SQL statement:".length());
        }
        m = m.replaceFirst("^ERROR: ", "");
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        ValidationException v;
        if (state.equals("25006") || e.getErrorCode() == 90096 || e.getErrorCode() == 90040 || state.equals("42501")) {
            v = refused("the database refused it (" + m + ")");
        } else if (state.startsWith("08")) {
            v = new ValidationException(SQL_FIELD, "Database unavailable: " + m);
        } else {
            v = new ValidationException(SQL_FIELD, "SQL error: " + m);
        }
        v.addSuppressed(e);
        return v;
    }

    /** Closes the open cursor of the last query, if any. */
    public synchronized void closeCursor() {
        if (cursor != null || cursorConnection != null) {
            try {
                if (cursor != null) {
                    cursor.close();
                }
            } catch (SQLException e) {
                LOG.debug("Closing the console cursor failed", e);
            }
            closeQuietly(cursorStatement, cursorConnection);
        }
        cursor = null;
        cursorStatement = null;
        cursorConnection = null;
    }

    private static void closeQuietly(Statement st, Connection c) {
        try {
            if (st != null) {
                st.close();
            }
        } catch (SQLException e) {
            LOG.debug("Closing a console statement failed", e);
        }
        if (c != null) {
            try {
                c.rollback();
            } catch (SQLException e) {
                LOG.debug("Rollback of a console connection failed", e);
            }
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("Closing a console connection failed", e);
            }
        }
    }

    /** A new read-only connection in a read-only transaction (H2: as the SELECT-only user). */
    Connection open() {
        try {
            Connection c;
            if (settings.isH2()) {
                c = openH2Reader();
            } else {
                c = database.openDirect(settings.dbUser(), settings.dbPassword(), false);
            }
            c.setAutoCommit(false);
            c.setReadOnly(true);
            if (settings.isH2()) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET LAZY_QUERY_EXECUTION TRUE"); // stream huge results instead of materialising them
                }
            }
            return c;
        } catch (SQLException e) {
            ValidationException v = new ValidationException(SQL_FIELD, "Cannot open a console connection: " + Inspection.firstLine(e.getMessage()));
            v.addSuppressed(e);
            throw v;
        }
    }

    private Connection openH2Reader() throws SQLException {
        String password = ensureH2Reader(false);
        try {
            return database.openDirect(H2_READER, password, true);
        } catch (SQLException e) {
            if (e.getErrorCode() != 28000) {
                throw e;
            }
            // another console sharing this database (AUTO_SERVER) set a new password: set ours again
            return database.openDirect(H2_READER, ensureH2Reader(true), true);
        }
    }

    /** Creates (or re-keys) the SELECT-only H2 user; done as the configured (admin) user on its own connection. */
    private synchronized String ensureH2Reader(boolean force) throws SQLException {
        if (readerPassword != null && !force) {
            return readerPassword;
        }
        if (readerProblem != null && !force) {
            throw new SQLException(readerProblem);
        }
        String pw = randomPassword();
        try (Connection admin = database.openDirect(settings.dbUser(), settings.dbPassword(), false);
             Statement st = admin.createStatement()) {
            st.execute("CREATE USER IF NOT EXISTS " + H2_READER + " PASSWORD '" + pw + "'");
            st.execute("ALTER USER " + H2_READER + " SET PASSWORD '" + pw + "'");
            Identifiers ids = Identifiers.of(admin);
            DatabaseMetaData md = admin.getMetaData();
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = md.getSchemas()) {
                while (rs.next()) {
                    String s = rs.getString("TABLE_SCHEM");
                    if (!"INFORMATION_SCHEMA".equals(s)) {
                        schemas.add(s);
                    }
                }
            }
            for (String s : schemas) {
                st.execute("GRANT SELECT ON SCHEMA " + ids.quote(s) + " TO " + H2_READER);
            }
        } catch (SQLException e) {
            readerProblem = "The SQL console needs admin rights for db.user '" + settings.dbUser()
                    + "' on H2 to create its read-only user: " + Inspection.firstLine(e.getMessage());
            LOG.warn(readerProblem, e);
            throw new SQLException(readerProblem, e);
        }
        readerPassword = pw;
        return pw;
    }

    private static String randomPassword() {
        SecureRandom r = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        Statement running = executing != null ? executing : cursorStatement;
        if (running != null) {
            try {
                running.cancel();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Cancel on close failed", e);
            }
        }
        closeCursor();
    }
}
