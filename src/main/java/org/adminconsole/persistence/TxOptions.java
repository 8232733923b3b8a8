package org.adminconsole.persistence;

import java.time.Duration;
import java.util.Objects;
import org.hibernate.FlushMode;

/**
 * How one unit of work runs, in the spirit of Spring's {@code TransactionDefinition}. Immutable; built with
 * {@link #read} or {@link #write} and refined with the {@code with…} methods.
 *
 * @param timeout    the deadline of the work; null takes the default (or, for a joined call, the running operation's)
 * @param flushMode  null: AUTO for writes, MANUAL for reads
 * @param isolation  a {@link java.sql.Connection} isolation level, or null for the database's default
 * @param retries    extra attempts after a deadlock, a serialization failure or a lock wait that timed out
 *                   (outermost operations only; see {@code Failures.isRetryable})
 */
public record TxOptions(String name, Operation.Kind kind, Propagation propagation, Duration timeout, FlushMode flushMode,
                        boolean dryRun, Integer isolation, int retries) {

    /** What a call does when an operation is already running on its thread. */
    public enum Propagation {
        /** Join the running operation (same session and transaction); start one when none runs. */
        REQUIRED,
        /** Suspend the running operation and run in a session and transaction of its own, committed on its own. */
        REQUIRES_NEW,
        /** Run inside the running operation under a savepoint: a failure rolls back this unit only. */
        NESTED
    }

    public TxOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(propagation, "propagation");
        if (retries < 0 || retries > 10) {
            throw new IllegalArgumentException("retries must be from 0 to 10");
        }
    }

    public static TxOptions read(String name) {
        return new TxOptions(name, Operation.Kind.READ, Propagation.REQUIRED, null, null, false, null, 0);
    }

    public static TxOptions write(String name) {
        return new TxOptions(name, Operation.Kind.WRITE, Propagation.REQUIRED, null, null, false, null, 0);
    }

    public TxOptions timeout(Duration t) {
        return new TxOptions(name, kind, propagation, t, flushMode, dryRun, isolation, retries);
    }

    public TxOptions timeoutSeconds(int seconds) {
        return timeout(Duration.ofSeconds(seconds));
    }

    /** No autoflush before queries: for bulk work that flushes in chunks or at commit. */
    public TxOptions noAutoFlush() {
        return new TxOptions(name, kind, propagation, timeout, FlushMode.COMMIT, dryRun, isolation, retries);
    }

    /**
     * A rehearsal: the write runs in full (flush, audit rows, version bumps, so constraints and counts are real)
     * and is then rolled back on purpose. Outcome ROLLED_BACK, no after-commit callbacks, not logged as a failure.
     */
    public TxOptions asDryRun() {
        return new TxOptions(name, kind, propagation, timeout, flushMode, true, isolation, retries);
    }

    public TxOptions propagation(Propagation p) {
        return new TxOptions(name, kind, p, timeout, flushMode, dryRun, isolation, retries);
    }

    public TxOptions requiresNew() {
        return propagation(Propagation.REQUIRES_NEW);
    }

    public TxOptions nested() {
        return propagation(Propagation.NESTED);
    }

    /** e.g. {@code Connection.TRANSACTION_SERIALIZABLE}. */
    public TxOptions isolation(int level) {
        return new TxOptions(name, kind, propagation, timeout, flushMode, dryRun, level, retries);
    }

    /** Retries the whole operation up to {@code n} more times after a deadlock, a serialization failure or a lock timeout. */
    public TxOptions retryOnConflict(int n) {
        return new TxOptions(name, kind, propagation, timeout, flushMode, dryRun, isolation, n);
    }

    FlushMode effectiveFlushMode() {
        return flushMode != null ? flushMode : kind == Operation.Kind.READ ? FlushMode.MANUAL : FlushMode.AUTO;
    }
}
