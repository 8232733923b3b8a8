package org.adminconsole.service.inspect;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels a running inspection task from another thread: sets a flag checked between rows and calls
 * {@link Statement#cancel()} on the statement being executed, so a long query returns at once. A cancel that
 * arrives just before the driver starts executing can be lost (H2 only cancels a running command), so it is
 * repeated every {@value #RETRY_MS} ms until the statement is unregistered (on PostgreSQL as a connection-level
 * cancel request, because pgjdbc sends only one per execution).
 */
public final class CancelToken implements BooleanSupplier {

    private static final Logger LOG = LoggerFactory.getLogger(CancelToken.class);

    static final long RETRY_MS = 250;
    private static final ScheduledExecutorService RETRIES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "statement-cancel");
        t.setDaemon(true);
        return t;
    });

    private volatile boolean cancelled;
    private volatile Statement statement;

    public static CancelToken none() {
        return new CancelToken();
    }

    public void cancel() {
        cancelled = true;
        cancelStatement(statement, 0);
    }

    private void cancelStatement(Statement s, int attempt) {
        if (s == null || s != statement) {
            return; // finished (unregistered) meanwhile
        }
        try {
            java.sql.Connection c = attempt == 0 ? null : s.getConnection();
            if (c != null && c.isWrapperFor(org.postgresql.core.BaseConnection.class)) {
                // pgjdbc sends one cancel request per statement execution; if it reached the server before the
                // query started it was ignored, so repeat it at the connection level
                c.unwrap(org.postgresql.core.BaseConnection.class).cancelQuery();
            } else {
                s.cancel();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Statement.cancel failed", e);
        }
        if (attempt < 240) {
            RETRIES.schedule(() -> cancelStatement(s, attempt + 1), RETRY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether a statement is registered (executing) right now. */
    public boolean isExecuting() {
        return statement != null;
    }

    public boolean isCancelled() {
        return cancelled || Thread.currentThread().isInterrupted();
    }

    @Override
    public boolean getAsBoolean() {
        return isCancelled();
    }

    /** The statement to cancel; cancels it at once if the token was already cancelled. */
    public void register(Statement s) {
        statement = s;
        if (cancelled) {
            cancel();
        }
    }

    public void unregister() {
        statement = null;
    }

    public void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancellationException("Cancelled");
        }
    }
}
