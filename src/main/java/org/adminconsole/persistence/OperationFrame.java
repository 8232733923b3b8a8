package org.adminconsole.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.adminconsole.persistence.audit.AuditMarker;
import org.adminconsole.persistence.audit.AuditWriter;
import org.adminconsole.support.FailureLog;
import org.hibernate.Session;
import org.hibernate.SharedSessionContract;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frame every outermost operation runs in: begin, work, audit and version rows, commit (checked when its
 * reply is lost) or rollback, callbacks, one log line per failure, and the record published to listeners.
 */
final class OperationFrame {

    private static final Logger LOG = LoggerFactory.getLogger(OperationFrame.class);

    @FunctionalInterface
    interface Body<T> {
        T run() throws Exception;
    }

    /** How an operation's transaction is rolled back after a failure and its session or connection given back. */
    interface Ending {
        void rollbackIfActive();

        void close();

        static Ending of(SharedSessionContract session) {
            return new Ending() {
                @Override
                public void rollbackIfActive() {
                    Transaction tx = session.getTransaction();
                    if (tx != null && tx.isActive()) {
                        tx.rollback();
                    }
                }

                @Override
                public void close() {
                    session.close();
                }
            };
        }

        /** A pooled connection (autocommit off), taken by the body: none when taking it failed. */
        static Ending of(java.util.function.Supplier<Connection> held) {
            return new Ending() {
                @Override
                public void rollbackIfActive() {
                    Connection c = held.get();
                    if (c != null) {
                        try {
                            c.rollback();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    }
                }

                @Override
                public void close() {
                    Connection c = held.get();
                    if (c != null) {
                        try {
                            c.close();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    }
                }
            };
        }
    }

    private final Dialect dialect;
    private final Connectivity connectivity;
    private final List<OperationListener> listeners;
    private final String operator;

    OperationFrame(Dialect dialect, Connectivity connectivity, List<OperationListener> listeners, String operator) {
        this.dialect = dialect;
        this.connectivity = connectivity;
        this.listeners = listeners;
        this.operator = operator;
    }

    <T> T runStateful(Operation op, TxOptions options, Session session, Transactions.Work<T> work) throws Exception {
        boolean readOnly = op.readOnly();
        if (readOnly) {
            session.setDefaultReadOnly(true);
        }
        Transaction tx = session.getTransaction();
        if (options.isolation() != null) {
            session.doWork(c -> c.setTransactionIsolation(options.isolation()));
        }
        tx.begin();
        if (readOnly && dialect.honoursReadOnlyConnections()) {
            // PostgreSQL: BEGIN READ ONLY. H2 ignores the hint, so there no connection is taken just to set it:
            // reads are guarded by the interceptor, the statement guard and the final rollback.
            session.doWork(c -> c.setReadOnly(true));
        }
        applyStatementTimeout(session, op, options);
        if (!readOnly) {
            session.doWork(c -> AuditMarker.arm(c, dialect == Dialect.POSTGRES)); // the audit triggers skip this transaction
        }
        StatementGuard.check(op);
        T result = work.run(session);
        if (op.isRollbackOnly()) {
            throw new RollbackOnlyException("Operation " + op.label() + " was rolled back because " + op.rollbackOnlyReason(),
                    op.rollbackOnlyCause());
        }
        if (!readOnly && tx.getRollbackOnly()) {
            // Hibernate marks the transaction after a failure the work caught (a failed flush, say); its commit() would
            // then roll back silently and return as if all went well
            throw new RollbackOnlyException("Operation " + op.label() + " was rolled back: a statement in it failed "
                    + "(the failure was caught inside the operation), so it could not commit. Nothing was changed.", null);
        }
        if (readOnly) {
            tx.rollback();
            return result;
        }
        session.flush();
        op.changeSet().resolvePendingInserts(e -> session.contains(e) ? session.getIdentifier(e) : null);
        writeAuditAndVersions(session, op);
        if (options.dryRun()) {
            tx.rollback();
            op.markDryRun();
            return result;
        }
        StatementGuard.check(op); // a cancel that arrived during the work stops it here, before COMMIT
        commit(op, tx);
        return result;
    }

    /**
     * A read on a plain pooled connection ({@link Transactions#readJdbc}, before Hibernate is ready): read-only where the
     * database honours it, the work, then a rollback, as {@link #runStateful} does for a read.
     */
    <T> T runJdbc(Operation op, Connection c, Transactions.ConnectionWork<T> work) throws Exception {
        if (c.getAutoCommit()) {
            c.setAutoCommit(false);
        }
        if (dialect.honoursReadOnlyConnections()) {
            c.setReadOnly(true);
        }
        StatementGuard.check(op);
        T result = work.run(c);
        if (op.isRollbackOnly()) {
            throw new RollbackOnlyException("Operation " + op.label() + " was rolled back because " + op.rollbackOnlyReason(),
                    op.rollbackOnlyCause());
        }
        c.rollback();
        return result;
    }

    /** Where the server times statements (PostgreSQL), an operation with its own deadline tells it so. */
    private void applyStatementTimeout(SharedSessionContract session, Operation op, TxOptions options) {
        String sql = options.timeout() == null ? null : dialect.statementTimeoutSql(op.remainingNanos() / 1_000_000);
        if (sql != null) {
            session.doWork(c -> {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute(sql);
                }
            });
        }
    }

    <T> T runStateless(Operation op, StatelessSession session, Transactions.BulkWork<T> work) throws Exception {
        Transaction tx = session.beginTransaction();
        applyStatementTimeout(session, op, TxOptions.write(op.name()).timeout(java.time.Duration.ofNanos(op.remainingNanos())));
        session.doWork(c -> AuditMarker.arm(c, dialect == Dialect.POSTGRES)); // generated data is not audited row by row
        StatementGuard.check(op);
        T result = work.run(session);
        writeAuditAndVersions(session, op);
        StatementGuard.check(op);
        commit(op, tx);
        return result;
    }

    /**
     * Commits; when the connection breaks on the way the commit may or may not have happened, so the database is
     * asked (once it is back): committed means success, anything else a clear failure.
     */
    private void commit(Operation op, Transaction tx) {
        try {
            tx.commit();
        } catch (RuntimeException e) {
            if (!Failures.isConnectionLost(e, dialect)) {
                throw e;
            }
            connectivity.connectionLost(e);
            switch (connectivity.checkCommit(op)) {
                case COMMITTED -> LOG.warn("Operation {}: the reply to COMMIT was lost, but the database confirms the commit", op.label());
                case NOT_COMMITTED -> throw new DatabaseUnavailableException("The connection to the database was lost before the change "
                        + "was saved; nothing was changed. The console reconnects by itself: try again.", e);
                case UNKNOWN -> throw new CommitUnknownException("The connection to the database was lost while the change was being "
                        + "saved, and the database could not be asked whether it was. Reload and check (the History shows a saved change).", e);
            }
        }
    }

    /** Audit rows for every recorded change and a version bump for every touched table, in the transaction. */
    private void writeAuditAndVersions(SharedSessionContract session, Operation op) {
        if (op.changeSet().isEmpty()) {
            return;
        }
        session.doWork(c -> {
            String marker = AuditWriter.write(c, op.name(), operator, op.changeSet());
            // what identifies the commit if its reply is lost: PostgreSQL's transaction id (txid_status knows whether it
            // committed, aborted or is still in progress), else the first audit row
            op.setCommitMarker(marker, transactionId(c));
            for (OperationListener l : listeners) {
                l.versionsBumped(op, c);
            }
        });
    }

    private Long transactionId(Connection c) throws SQLException {
        String sql = dialect.transactionIdSql();
        if (sql == null) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    /**
     * Runs the body (which begins and ends the transaction); on any failure rolls back and logs once with the
     * operation's label; runs after-commit or after-rollback callbacks; always closes the session and publishes.
     */
    <T> T run(Operation op, Ending session, Body<T> body) {
        OperationRecord.Outcome outcome = OperationRecord.Outcome.FAILED;
        String message = null;
        try {
            T result = body.run();
            outcome = op.isDryRun() ? OperationRecord.Outcome.ROLLED_BACK : OperationRecord.Outcome.COMMITTED;
            if (op.isDryRun()) {
                runCallbacks(op, op.afterRollbackCallbacks(), "after-rollback");
            } else if (!op.readOnly()) {
                runCallbacks(op, op.afterCommitCallbacks(), "after-commit");
            }
            return result;
        } catch (Exception | Error e) {
            rollbackQuietly(session, op);
            runCallbacks(op, op.afterRollbackCallbacks(), "after-rollback");
            Throwable failure = e;
            if (op.isCancelled()) {
                outcome = OperationRecord.Outcome.ROLLED_BACK;
                message = "cancelled";
                LOG.info("Operation {} cancelled after {} ms", op.label(), op.elapsedNanos() / 1_000_000);
                throw OperationCancelledException.of(op, e);
            }
            if (op.remainingNanos() <= 0 && !(e instanceof OperationTimeoutException) && Failures.isTimeout(e)) {
                failure = new OperationTimeoutException("Operation " + op.label() + " ran past its deadline ("
                        + op.elapsedNanos() / 1_000_000 + " ms) and was stopped; nothing was changed.", e);
            } else if (Failures.isPoolExhausted(e)) {
                failure = new DatabaseUnavailableException("Every database connection of the console was busy for the whole "
                        + "connection timeout (pool.maxSize, pool.connectionTimeoutMs); the operation was not run. Try again in a moment.", e);
            } else if (Failures.isConnectionLost(e, dialect) && !(e instanceof DatabaseUnavailableException)) {
                connectivity.connectionLost(e);
                failure = new DatabaseUnavailableException("The connection to the database was lost; nothing was changed. "
                        + "The console reconnects by itself: try again in a moment.", e);
            }
            message = failure.getMessage();
            outcome = failure instanceof RollbackOnlyException ? OperationRecord.Outcome.ROLLED_BACK : OperationRecord.Outcome.FAILED;
            log(op, failure);
            throw Failures.propagate(failure, op.label());
        } finally {
            try {
                session.close();
            } catch (RuntimeException closeFailure) {
                LOG.warn("Closing the session of {} failed: {}", op.label(), closeFailure.toString());
            }
            publish(op, outcome, message);
        }
    }

    private void log(Operation op, Throwable e) {
        FailureLog.markLogged(e); // whoever shows it to the operator does not log it again
        long ms = op.elapsedNanos() / 1_000_000;
        if (Failures.isOperatorError(e)) {
            // refused input or a conflict the operator resolves: expected, shown to them, no stack trace
            LOG.info("Operation {} refused after {} ms: {}", op.label(), ms, Failures.refusal(e));
        } else if (e instanceof DatabaseUnavailableException || e instanceof OperationTimeoutException) {
            LOG.warn("Operation {} failed after {} ms: {}", op.label(), ms, Failures.describe(e));
        } else {
            LOG.error("Operation {} failed after {} ms: {}", op.label(), ms, Failures.describe(e), e);
        }
    }

    private static void rollbackQuietly(Ending session, Operation op) {
        try {
            session.rollbackIfActive();
        } catch (RuntimeException rollbackFailure) {
            LOG.warn("Rollback of {} failed: {}", op.label(), rollbackFailure.toString());
        }
    }

    private static void runCallbacks(Operation op, List<Runnable> callbacks, String kind) {
        for (Runnable r : callbacks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("An {} callback of operation {} failed (the outcome stands)", kind, op.label(), e);
            }
        }
    }

    void notifyStarted(OperationListener l, Operation op) {
        try {
            l.started(op);
        } catch (RuntimeException e) {
            LOG.error("Operation listener failed at the start of {}", op.label(), e);
        }
    }

    /** The operation failed before its session opened (database unavailable): published as failed, nothing ran. */
    void notStarted(Operation op, RuntimeException e) {
        publish(op, OperationRecord.Outcome.FAILED, e.getMessage());
    }

    private void publish(Operation op, OperationRecord.Outcome outcome, String message) {
        if (listeners.isEmpty()) {
            return;
        }
        boolean committedWrite = outcome == OperationRecord.Outcome.COMMITTED && !op.readOnly();
        OperationRecord rec = new OperationRecord(op.id(), op.name(), op.kind(), op.startedAt(), op.elapsedNanos(),
                outcome, message, op.stats().snapshot(),
                committedWrite ? op.changes() : List.of(),
                committedWrite ? op.touchedTables() : Set.of(),
                committedWrite ? op.regionsClearedFor() : Set.of(), op.attempt(), op.isDryRun(),
                outcome == OperationRecord.Outcome.ROLLED_BACK && op.isCancelled());
        for (OperationListener l : listeners) {
            try {
                l.finished(rec);
            } catch (RuntimeException e) {
                LOG.error("Operation listener failed for {}", op.label(), e);
            }
        }
    }
}
