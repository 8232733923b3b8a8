package org.adminconsole.persistence;

import jakarta.persistence.OptimisticLockException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.Causes;
import org.hibernate.StaleObjectStateException;
import org.hibernate.StaleStateException;

/** How the data layer classifies a failure: expected or not, connection lost, worth retrying; and how it reads. */
public final class Failures {

    private Failures() {
    }

    /** Refused input, a conflict to resolve or a cancellation: shown to the operator, logged in one line. */
    public static boolean isOperatorError(Throwable e) {
        return Causes.has(e, OperatorError.class, OptimisticLockException.class, StaleStateException.class,
                CancelledException.class);
    }

    /** An optimistic-lock failure: someone else changed the row first. */
    public static boolean isConflict(Throwable e) {
        return Causes.has(e, OptimisticLockException.class, StaleStateException.class);
    }

    /** The connection (or the embedded database behind it) is gone: the data layer reconnects. */
    public static boolean isConnectionLost(Throwable e, Dialect dialect) {
        return Causes.first(e, t -> t instanceof SQLTransientConnectionException && t.getCause() != null
                || t instanceof SQLException s && !isPoolExhausted(s) && (dialect.isConnectionLost(s) || isNetworkState(s))
                || t instanceof ClosedChannelException
                || t instanceof java.net.SocketException || t instanceof java.net.SocketTimeoutException
                || t instanceof java.io.EOFException
                || isDeadStore(t)).isPresent()
                || Causes.has(e, DatabaseUnavailableException.class);
    }

    /**
     * An H2 MVStore failure that means the file or the store is gone (read/write failure, internal error, closed,
     * corrupt, missing chunk or block); a row lock timeout or deadlock (101, 105) is an MVStoreException too, and is not.
     */
    static boolean isDeadStore(Throwable t) {
        return t instanceof org.h2.mvstore.MVStoreException m && DEAD_STORE_CODES.contains(m.getErrorCode());
    }

    private static final java.util.Set<Integer> DEAD_STORE_CODES = java.util.Set.of(1, 2, 3, 4, 6, 9, 50);

    /** A statement that waited too long for a lock (H2 50200, PostgreSQL 55P03 lock_not_available). */
    public static boolean isLockTimeout(Throwable e) {
        return Causes.first(e, t -> t instanceof SQLException s && (s.getErrorCode() == 50200 || "55P03".equals(s.getSQLState()))).isPresent()
                || Causes.has(e, org.hibernate.exception.LockTimeoutException.class, jakarta.persistence.LockTimeoutException.class);
    }

    /**
     * Every pooled connection was busy for the whole connection timeout (HikariCP's timeout without a connection
     * failure behind it): the database is fine, the console is just busy.
     */
    public static boolean isPoolExhausted(Throwable e) {
        return Causes.first(e, t -> t instanceof SQLTransientConnectionException && t.getCause() == null).isPresent();
    }

    private static boolean isNetworkState(SQLException s) {
        return s.getSQLState() != null && s.getSQLState().startsWith("08");
    }

    /** A statement stopped by its timeout (or cancelled): SQLState 57014, or a JDBC timeout exception. */
    public static boolean isTimeout(Throwable e) {
        return Causes.first(e, t -> t instanceof java.sql.SQLTimeoutException
                || t instanceof SQLException s && ("57014".equals(s.getSQLState()) || s.getErrorCode() == 57014)
                || t instanceof org.hibernate.QueryTimeoutException || t instanceof jakarta.persistence.QueryTimeoutException).isPresent();
    }

    /** A deadlock, a serialization failure or a lock wait that timed out (often a deadlock the database did not name). */
    public static boolean isRetryable(Throwable e, Dialect dialect) {
        return Causes.first(e, t -> t instanceof SQLException s && dialect.isRetryable(s)).isPresent()
                || Causes.has(e, org.hibernate.exception.LockAcquisitionException.class) || isLockTimeout(e);
    }

    /** The one-line reason of a refusal, for the log. */
    static String refusal(Throwable e) {
        return Causes.find(e, StaleObjectStateException.class)
                .map(so -> "another transaction changed " + so.getEntityName().replaceAll(".*\\.", "") + " "
                        + so.getIdentifier() + " first (optimistic lock)")
                .or(() -> Causes.first(e, t -> t instanceof OperatorError || t instanceof CancelledException).map(Throwable::getMessage))
                .orElse("another transaction changed the same row first (optimistic lock)");
    }

    /** "Type: message (root: Type: message)" for log lines. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        Throwable root = Causes.root(e);
        if (root != e) {
            sb.append(" (root: ").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
        }
        return sb.toString();
    }

    static RuntimeException propagate(Throwable e, String label) {
        if (e instanceof RuntimeException re) {
            return re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e instanceof IOException io) {
            return new OperationFailedException("Operation " + label + " failed: " + io.getMessage(), io);
        }
        return new OperationFailedException("Operation " + label + " failed: " + e.getMessage(), e);
    }
}
