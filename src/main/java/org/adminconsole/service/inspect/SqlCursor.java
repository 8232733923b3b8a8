package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.adminconsole.persistence.JdbcCancel;
import org.adminconsole.service.ValidationException;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open console result: its reader connection (one read-only transaction), statement and result set. The presenter
 * that ran the query owns it and closes it when it runs another query or goes away; the console closes it by itself
 * when it has been idle longer than {@code sql.idleCloseSeconds} (so that an open result never holds a transaction,
 * snapshot or lock for long), when the heap runs low, or when the console shuts down, and then tells the owner why
 * ({@link #onClosedByConsole}).
 *
 * <p>Reads are bounded: {@code batchSize} rows per fetch, {@code rowCap} rows in all, every value read for display
 * only (long text and binary values truncated), and an {@link OutOfMemoryError} while reading closes the result with
 * a message instead of escaping.
 */
public final class SqlCursor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqlCursor.class);

    static final String TOO_LARGE = "The result is too large for the console's memory: it was closed. Select fewer rows or"
            + " columns, or shorter values (or export the table instead).";
    static final String LOW_MEMORY = "Stopped: the console was running out of memory while the database worked on this query"
            + " (large groups, sorts or values). Narrow the query.";

    private final SqlConsoleService console;
    private final ReaderConnections readers;
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rs;
    private final List<String> columns;
    private final int[] types;
    private final int batchSize;
    private final int rowCap;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean lowMemory = new AtomicBoolean();
    private long rows;
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile boolean closed;
    private volatile Consumer<String> onClosedByConsole = m -> { };

    SqlCursor(SqlConsoleService console, ReaderConnections readers, Connection connection, PreparedStatement statement,
              ResultSet rs, int batchSize, int rowCap) throws SQLException {
        this.console = console;
        this.readers = readers;
        this.connection = connection;
        this.statement = statement;
        this.rs = rs;
        this.batchSize = batchSize;
        this.rowCap = rowCap;
        var md = rs.getMetaData();
        List<String> cols = new ArrayList<>();
        types = new int[md.getColumnCount()];
        for (int i = 1; i <= md.getColumnCount(); i++) {
            cols.add(md.getColumnLabel(i));
            types[i - 1] = md.getColumnType(i);
        }
        columns = List.copyOf(cols);
    }

    /** Where the console tells the owner that it closed this result (idle, memory, shutdown); any thread. */
    public void onClosedByConsole(Consumer<String> listener) {
        onClosedByConsole = listener == null ? m -> { } : listener;
    }

    public boolean isOpen() {
        return !closed;
    }

    public List<String> columns() {
        return columns;
    }

    /** The next batch of rows. */
    public SqlConsoleService.Result fetchMore() {
        lock.lock();
        try {
            if (closed) {
                return new SqlConsoleService.Result(columns, List.of(), rows, false, false, 0, null);
            }
            return read(TaskHandle.current(), System.nanoTime());
        } finally {
            lastUsedNanos = System.nanoTime();
            lock.unlock();
        }
    }

    /** Reads one batch; the caller holds the lock (or is the creating thread). Closes the cursor when done or failed. */
    SqlConsoleService.Result read(TaskHandle task, long t0) {
        boolean ok = false;
        try (TaskHandle.Registration reg = JdbcCancel.onTaskCancel(statement);
             MemoryGuard.Watch guard = MemoryGuard.watch(this::stopForMemory)) {
            List<List<String>> batch = new ArrayList<>();
            boolean more = true;
            int limit = (int) Math.min(batchSize, rowCap - rows);
            while (batch.size() < limit) {
                if (!rs.next()) {
                    more = false;
                    break;
                }
                List<String> row = new ArrayList<>(types.length);
                for (int i = 0; i < types.length; i++) {
                    Object v = CellFormat.readForDisplay(rs, i + 1, types[i]);
                    row.add(v == null ? null : CellFormat.display(v));
                }
                batch.add(row);
                if ((batch.size() & 127) == 0) {
                    task.throwIfCancelled();
                }
            }
            rows += batch.size();
            boolean capped = more && rows >= rowCap;
            ok = true;
            if (!more || capped) {
                close();
            }
            return new SqlConsoleService.Result(columns, List.copyOf(batch), rows, more && !capped, capped,
                    (System.nanoTime() - t0) / 1_000_000, isOpen() ? this : null);
        } catch (SQLException e) {
            throw failure(task, e);
        } catch (OutOfMemoryError e) {
            throw new ValidationException(QueryGate.SQL_FIELD, TOO_LARGE);
        } catch (CancelledException | ValidationException e) {
            throw e;
        } catch (RuntimeException e) {
            // a driver's unchecked failure is reported, never thrown raw at the operator
            LOG.warn("Reading a console result failed", e);
            throw new ValidationException(QueryGate.SQL_FIELD, "SQL error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + Inspection.firstLine(e.getMessage())));
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    RuntimeException failure(TaskHandle task, SQLException e) {
        if (lowMemory.get()) {
            return new ValidationException(QueryGate.SQL_FIELD, LOW_MEMORY);
        }
        if (task.isCancelled()) {
            return new CancelledException("Query cancelled.", e);
        }
        return readers.translate(e);
    }

    private void stopForMemory() {
        lowMemory.set(true);
        JdbcCancel.cancel(statement);
    }

    long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    /** Closes the result if nobody is reading it and it has been idle at least {@code idleNanos}; true when closed. */
    boolean closeIfIdle(long idleNanosLimit, String reason) {
        if (closed) {
            return true;
        }
        if (idleNanos() < idleNanosLimit || !lock.tryLock()) {
            return false;
        }
        try {
            if (idleNanos() < idleNanosLimit) {
                return false;
            }
            closeBecause(reason);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Closed by the console (not the owner): the owner is told why. */
    void closeBecause(String reason) {
        if (closed) {
            return;
        }
        close();
        LOG.info("SQL console result closed: {}", reason);
        try {
            onClosedByConsole.accept(reason);
        } catch (RuntimeException e) {
            LOG.debug("The owner's close listener failed", e);
        }
    }

    /** Cancels a running fetch (console shutdown). */
    void cancelRunning() {
        JdbcCancel.cancel(statement);
    }

    /**
     * Closes the result: rolls its transaction back and closes its connection. A fetch running on another thread is
     * cancelled first and finishes before the connection goes (never closed under a running statement).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        boolean acquired = false;
        if (!lock.isHeldByCurrentThread()) {
            acquired = lock.tryLock();
            if (!acquired) {
                cancelRunning();
                try {
                    acquired = lock.tryLock(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            release();
        } finally {
            if (acquired) {
                lock.unlock();
            }
        }
    }

    private void release() {
        if (closed) {
            return;
        }
        closed = true;
        Inspection.closeQuietly(rs, "result");
        Inspection.closeQuietly(statement, "statement");
        ReaderConnections.release(connection);
        console.forget(this);
    }
}
