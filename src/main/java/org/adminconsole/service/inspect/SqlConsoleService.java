package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.adminconsole.persistence.JdbcCancel;
import org.adminconsole.service.ValidationException;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only SQL console. A query passes three gates before its result is read:
 * <ol>
 *   <li>{@link QueryGate}: a real SQL parser reads exactly one query (SELECT, WITH … SELECT, VALUES, TABLE, EXPLAIN of
 *       one), with no locking clause, hidden change or denied function;</li>
 *   <li>{@link ReaderConnections}: the dialect's own splitter counts exactly one statement;</li>
 *   <li>the database: the query runs as a login that can only read, whose rights are checked before every
 *       connection, in a read-only transaction with a statement timeout, always rolled back.</li>
 * </ol>
 * The result comes back as an {@link SqlCursor} the caller owns (no operator's state lives in this shared service);
 * the service only keeps the list of open cursors to close idle ones and everything at shutdown.
 */
public final class SqlConsoleService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqlConsoleService.class);
    /** The SQL field of every message (the presenter shows it under the SQL text). */
    public static final String SQL_FIELD = QueryGate.SQL_FIELD;
    private static final int MAX_PLAN_CHARS = 200_000;

    /**
     * A batch of result rows (display text, null for SQL NULL), and the cursor to fetch more from (null when the
     * result is complete or capped: nothing is held open then).
     */
    public record Result(List<String> columns, List<List<String>> rows, long totalRows, boolean more, boolean capped,
                         long elapsedMillis, SqlCursor cursor) {
    }

    /** The console's bounds: rows per fetch, rows in all, idle time after which an open result is closed. */
    public record Limits(int batchSize, int rowCap, Duration idleClose) {
    }

    private final java.util.function.Supplier<ReaderConnections> readersOf;
    private final SqlHistory history;
    private final Limits limits;
    private final Set<SqlCursor> open = ConcurrentHashMap.newKeySet();
    private final Set<PreparedStatement> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService idleTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sql-console-idle");
        t.setDaemon(true);
        return t;
    });

    public SqlConsoleService(ReaderConnections readers, SqlHistory history, Limits limits) {
        this(() -> readers, history, limits);
    }

    /**
     * Running on whichever reader connections {@code readers} gives when a statement starts: the console's database
     * or an opened connection profile (see {@link InspectTargets}).
     */
    public SqlConsoleService(java.util.function.Supplier<ReaderConnections> readers, SqlHistory history, Limits limits) {
        this.readersOf = readers;
        this.history = history;
        this.limits = limits;
        QueryGate.warmUp();
    }

    public SqlHistory history() {
        return history;
    }

    public int rowCap() {
        return limits.rowCap();
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Runs one query and returns its first batch; when there are more rows, {@link Result#cursor()} is open and owned
     * by the caller. Only {@link ValidationException} (with the operator's message) or {@link CancelledException}
     * leave this method.
     */
    public Result run(String sql) {
        TaskHandle task = TaskHandle.current();
        QueryGate.check(sql, Set.of()); // refuse what the parser refuses before opening any connection
        long t0 = System.nanoTime();
        ReaderConnections readers = readersOf.get();
        Connection c = readers.open();
        PreparedStatement ps = null;
        SqlCursor cursor = null;
        AtomicBoolean lowMemory = new AtomicBoolean();
        String ran = null; // what reached the database, for the SQL log, and since when
        long ranAt = t0;
        try {
            QueryGate.Checked q = readers.check(c, sql);
            history.add(q.sql());
            ran = q.sql();
            ps = readers.prepare(c, q.sql());
            if (ps.getMetaData() == null) {
                throw QueryGate.refused("this statement does not return rows, so it is not a query");
            }
            ps.setFetchSize(limits.batchSize());
            ranAt = System.nanoTime();
            PreparedStatement statement = ps;
            running.add(ps);
            ResultSet rs;
            try (TaskHandle.Registration reg = JdbcCancel.onTaskCancel(ps);
                 MemoryGuard.Watch guard = MemoryGuard.watch(() -> {
                     lowMemory.set(true);
                     JdbcCancel.cancel(statement);
                 })) {
                task.throwIfCancelled();
                rs = ps.executeQuery();
            }
            cursor = new SqlCursor(this, readers, c, ps, rs, limits.batchSize(), limits.rowCap());
            open.add(cursor);
            Result first = cursor.read(task, t0);
            readers.logged(ran, System.nanoTime() - ranAt, first.totalRows(), null);
            if (cursor.isOpen()) {
                scheduleIdleCheck(cursor, limits.idleClose().toNanos());
            }
            return first;
        } catch (SQLException e) {
            RuntimeException f = lowMemory.get() ? new ValidationException(SQL_FIELD, SqlCursor.LOW_MEMORY) : failure(readers, e, task, "a query");
            logFailure(readers, ran, ranAt, f);
            throw f;
        } catch (OutOfMemoryError | RuntimeException e) {
            RuntimeException f = failure(readers, e, task, "a query");
            logFailure(readers, ran, ranAt, f);
            throw f;
        } finally {
            if (ps != null) {
                running.remove(ps);
            }
            if (cursor == null) {
                Inspection.closeQuietly(ps, "statement");
                ReaderConnections.release(c);
            }
        }
    }

    /** A query the gate let through but the database failed or the operator cancelled: in the SQL log too. */
    private static void logFailure(ReaderConnections readers, String ran, long t0, RuntimeException f) {
        if (ran != null) {
            readers.logged(ran, System.nanoTime() - t0, 0, f.getMessage() == null ? f.getClass().getSimpleName() : f.getMessage());
        }
    }

    /**
     * The database's plan for a query, without running it (EXPLAIN, not EXPLAIN ANALYZE), through the same gates and
     * reader connection as {@link #run}.
     */
    public String explain(String sql) {
        QueryGate.Checked pre = QueryGate.check(sql, Set.of());
        if (pre.kind() == QueryGate.Kind.EXPLAIN) {
            throw new ValidationException(SQL_FIELD, "Type the query itself; Explain adds EXPLAIN.");
        }
        ReaderConnections readers = readersOf.get();
        Connection c = readers.open();
        try {
            QueryGate.Checked q = readers.check(c, sql);
            String command = "EXPLAIN " + q.sql();
            readers.requireOneStatement(c, command);
            try (PreparedStatement ps = readers.prepare(c, command);
                 TaskHandle.Registration reg = JdbcCancel.onTaskCancel(ps);
                 ResultSet rs = ps.executeQuery()) {
                return readPlan(rs, "\t");
            }
        } catch (SQLException | OutOfMemoryError | RuntimeException e) {
            throw failure(readers, e, TaskHandle.current(), "EXPLAIN");
        } finally {
            ReaderConnections.release(c);
        }
    }

    /** What the operator reads when {@link #run} or {@link #explain} fails; the technical cause goes to the log. */
    private static RuntimeException failure(ReaderConnections readers, Throwable e, TaskHandle task, String what) {
        if (e instanceof ValidationException || e instanceof CancelledException) {
            return (RuntimeException) e;
        }
        if (e instanceof OutOfMemoryError) {
            // H2 folds constants while preparing, in this heap; the database itself stays open
            return new ValidationException(SQL_FIELD, SqlCursor.TOO_LARGE);
        }
        if (e instanceof SQLException sql) {
            return task.isCancelled() ? new CancelledException("Query cancelled.", sql) : readers.translate(sql);
        }
        LOG.warn("The SQL console failed on " + what, e);
        return new ValidationException(SQL_FIELD, "SQL error: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + Inspection.firstLine(e.getMessage())));
    }

    /** A plan's rows as text (columns separated by {@code separator}), bounded in size. */
    public static String readPlan(ResultSet rs, String separator) throws SQLException {
        StringBuilder plan = new StringBuilder();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next() && plan.length() < MAX_PLAN_CHARS) {
            for (int i = 1; i <= n; i++) {
                plan.append(i > 1 ? separator : "").append(rs.getString(i));
            }
            plan.append('\n');
        }
        if (plan.length() > MAX_PLAN_CHARS) {
            plan.setLength(MAX_PLAN_CHARS);
            plan.append("\n… (plan cut at ").append(MAX_PLAN_CHARS).append(" characters)");
        }
        return plan.toString().strip();
    }

    private void scheduleIdleCheck(SqlCursor cursor, long delayNanos) {
        try {
            idleTimer.schedule(() -> {
                long limit = limits.idleClose().toNanos();
                if (!cursor.closeIfIdle(limit, idleMessage()) && cursor.isOpen()) {
                    scheduleIdleCheck(cursor, Math.max(TimeUnit.MILLISECONDS.toNanos(50), limit - cursor.idleNanos()));
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            LOG.debug("Cannot schedule the idle check of a console result", e);
        }
    }

    private String idleMessage() {
        return "The result was closed after " + limits.idleClose().toSeconds() + " s without use, so that it holds no"
                + " transaction or lock. Run the query again to see more rows.";
    }

    void forget(SqlCursor cursor) {
        open.remove(cursor);
    }

    /** Open results right now (for tests and the shutdown). */
    int openCursors() {
        return open.size();
    }

    /**
     * Stops running statements and closes every open result, telling their owners {@code reason} (the inspected
     * database is about to change: those results hold its connections).
     */
    public void closeResults(String reason) {
        running.forEach(JdbcCancel::cancel);
        for (SqlCursor c : List.copyOf(open)) {
            c.cancelRunning();
            c.closeBecause(reason);
        }
    }

    /** Stops running statements and closes every open result (the application is closing). */
    @Override
    public void close() {
        running.forEach(JdbcCancel::cancel);
        for (SqlCursor c : List.copyOf(open)) {
            c.cancelRunning();
            c.closeBecause("The console is closing: the result was closed.");
        }
        idleTimer.shutdown(); // never interrupted: its task may be closing a JDBC connection
    }
}
