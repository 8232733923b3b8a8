package org.adminconsole.persistence;

import org.adminconsole.persistence.audit.AuditInterceptor;
import org.adminconsole.persistence.audit.EntityChange;
import org.adminconsole.persistence.monitor.OperationSessionListener;
import org.adminconsole.persistence.monitor.SqlMonitor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.hibernate.FlushMode;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.SharedSessionContract;
import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's {@code @Transactional}: every unit of work runs in one short-lived session with one
 * transaction (session-per-operation).
 *
 * <ul>
 *   <li>A call made while an operation runs on this thread <b>joins</b> it (same session, same transaction).
 *       If a joined scope fails, the whole operation becomes rollback-only: the outer commit rolls back and
 *       throws {@link RollbackOnlyException}, even if the outer code caught the inner exception.</li>
 *   <li>{@link #read} runs read-only: no flush, read-only entities, a read-only JDBC connection, any entity
 *       write refused, and it always ends in a rollback, so nothing it did can persist. A write requested
 *       inside a read is an error, never a silent upgrade.</li>
 *   <li>{@link #afterCommit} callbacks run only after the outermost commit succeeded, each isolated.</li>
 *   <li>Writes record an audit row per changed entity and bump the version row of every table they touched,
 *       inside the same transaction.</li>
 * </ul>
 */
public final class Transactions {

    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    @FunctionalInterface
    public interface Work<T> {
        T run(Session session) throws Exception;
    }

    @FunctionalInterface
    public interface BulkWork<T> {
        T run(StatelessSession session) throws Exception;
    }

    /** Options of an outermost operation. */
    public record Options(String name, Operation.Kind kind, int timeoutSeconds, FlushMode flushMode, boolean rehearsal) {
        public Options {
            Objects.requireNonNull(name, "name");
        }

        public static Options read(String name) { return new Options(name, Operation.Kind.READ, 0, FlushMode.MANUAL, false); }
        public static Options write(String name) { return new Options(name, Operation.Kind.WRITE, 0, FlushMode.AUTO, false); }
        public Options timeout(int seconds) { return new Options(name, kind, seconds, flushMode, rehearsal); }
        /** No autoflush before queries: for bulk work that only flushes in chunks or at commit. */
        public Options noAutoFlush() { return new Options(name, kind, timeoutSeconds, FlushMode.COMMIT, rehearsal); }
        /**
         * A rehearsal: the write runs in full (flush, audit rows, version bumps, so constraints and counts are
         * real) and the transaction is then rolled back on purpose. Outcome ROLLED_BACK, no after-commit
         * callbacks, nothing published as a change, not logged as a failure.
         */
        public Options dryRun() { return new Options(name, kind, timeoutSeconds, flushMode, true); }
    }

    private final SessionFactory sessionFactory;
    private final SqlMonitor monitor;
    private final String operator;
    private final int defaultTimeoutSeconds;
    private final ThreadLocal<Operation> current = new ThreadLocal<>();
    /** Outermost operations by the thread running them, and open cancellation scopes by thread. */
    private final Map<Thread, Operation> running = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Thread, CancelScope> scopes = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Consumer<OperationRecord>> listeners = new CopyOnWriteArrayList<>();
    private volatile Consumer<Operation> beforeOperation = op -> { };
    private volatile VersionHook afterVersionBump;

    private final boolean readOnlyConnections;

    public Transactions(SessionFactory sessionFactory, SqlMonitor monitor, String operator, int defaultTimeoutSeconds,
                        boolean readOnlyConnections) {
        this.readOnlyConnections = readOnlyConnections;
        this.sessionFactory = sessionFactory;
        this.monitor = monitor;
        this.operator = operator;
        this.defaultTimeoutSeconds = defaultTimeoutSeconds;
    }

    public String operator() {
        return operator;
    }

    public <T> T read(String name, Work<T> work) {
        return execute(Options.read(name), work);
    }

    public <T> T write(String name, Work<T> work) {
        return execute(Options.write(name), work);
    }

    public void writeVoid(String name, VoidWork work) {
        execute(Options.write(name), s -> {
            work.run(s);
            return null;
        });
    }

    @FunctionalInterface
    public interface VoidWork {
        void run(Session session) throws Exception;
    }

    /** The operation running on this thread, if any. */
    /**
     * Opens a cancellation scope on the current thread (a background task, for its whole run): the outermost
     * operations this thread starts until {@link CancelScope#close} belong to it, and {@link CancelScope#cancel}
     * from any thread cancels exactly those, never an operation of whatever the thread runs afterwards.
     */
    public CancelScope openCancelScope() {
        CancelScope scope = new CancelScope(Thread.currentThread());
        scopes.put(scope.thread, scope);
        return scope;
    }

    /** See {@link #openCancelScope}. */
    public final class CancelScope implements org.adminconsole.Cancellable {
        private final Thread thread;
        private volatile boolean cancelled;
        private volatile boolean closed;

        private CancelScope(Thread thread) {
            this.thread = thread;
        }

        /**
         * Cancels the scope's running operation in the database (its statement, through {@code Statement.cancel})
         * and every later one before its first statement; the operations roll back and throw
         * {@link OperationCancelledException}. A cancel that arrives between two statements would be lost (the
         * database resets it when the next one starts), so this repeats it until the scope's operation has
         * ended, for at most five seconds, and blocks meanwhile.
         */
        @Override
        public void markCancelled() {
            cancelled = true;
            Operation op = running.get(thread);
            if (op != null && op.cancelScope() == this) {
                op.markCancelled();
            }
        }

        @Override
        public void cancel() {
            markCancelled();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (!closed && System.nanoTime() < deadline) {
                Operation op = running.get(thread);
                if (op == null) {
                    return; // between operations: the next one is cancelled when it starts
                }
                if (op.cancelScope() == this) {
                    op.cancel();
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void close() {
            closed = true;
            scopes.remove(thread, this);
        }
    }

    public Optional<Operation> current() {
        return Optional.ofNullable(current.get());
    }

    /** Registers a callback for after the current outermost operation commits; it never runs on rollback. */
    public void afterCommit(Runnable callback) {
        Operation op = current.get();
        if (op == null) {
            throw new IllegalStateException("afterCommit outside an operation");
        }
        op.addAfterCommit(callback);
    }

    /** Listeners see every finished outermost operation (committed, rolled back or failed). */
    public void addListener(Consumer<OperationRecord> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<OperationRecord> listener) {
        listeners.remove(listener);
    }

    /** A hook run at the start of every outermost operation, before its session opens (cache checks). */
    public void setBeforeOperation(Consumer<Operation> hook) {
        this.beforeOperation = hook == null ? op -> { } : hook;
    }

    /** Runs inside every committing write, right after its table versions were bumped (cache coherence). */
    @FunctionalInterface
    public interface VersionHook {
        void afterBump(Operation op, Connection connection) throws java.sql.SQLException;
    }

    public void setAfterVersionBump(VersionHook hook) {
        this.afterVersionBump = hook;
    }

    public <T> T execute(Options options, Work<T> work) {
        Operation outer = current.get();
        if (outer != null) {
            return join(outer, options, work);
        }
        Operation op = new Operation(options.name(), options.kind());
        return runOutermost(op, options, work);
    }

    private <T> T join(Operation outer, Options options, Work<T> work) {
        if (outer.kind() == Operation.Kind.BULK) {
            IllegalStateException e = new IllegalStateException("Operation '" + options.name()
                    + "' cannot join bulk operation " + outer.label() + " (it has no stateful session)");
            outer.markRollbackOnly(e.getMessage(), e);
            throw e;
        }
        if (outer.readOnly() && options.kind() != Operation.Kind.READ) {
            ReadOnlyViolationException e = new ReadOnlyViolationException("Write operation '" + options.name()
                    + "' cannot run inside read-only operation " + outer.label() + "; nothing was written.");
            outer.markRollbackOnly(e.getMessage(), e);
            throw e;
        }
        try {
            return work.run(outer.session());
        } catch (Exception | Error e) {
            outer.markRollbackOnly("inner operation '" + options.name() + "' failed: " + e.getMessage(), e);
            throw propagate(e, options.name());
        }
    }

    private <T> T runOutermost(Operation op, Options options, Work<T> work) {
        beforeOperation.accept(op);
        boolean readOnly = op.readOnly();
        Session session = sessionFactory.withOptions()
                .interceptor(new AuditInterceptor(op, operator))
                .eventListeners(new OperationSessionListener(op))
                .statementInspector((java.util.function.UnaryOperator<String>) sql -> guardReadOnly(op, sql))
                .flushMode(options.flushMode())
                .openSession();
        return scoped(op, session, () -> {
            if (readOnly) {
                session.setDefaultReadOnly(true);
            }
            Transaction tx = session.getTransaction();
            int timeout = options.timeoutSeconds() > 0 ? options.timeoutSeconds() : defaultTimeoutSeconds;
            if (timeout > 0) {
                tx.setTimeout(timeout);
            }
            tx.begin();
            if (readOnly && readOnlyConnections) {
                // PostgreSQL honours it (BEGIN READ ONLY). H2 ignores the hint, so there we do not take a
                // connection just to set it: reads are guarded by the interceptor, the statement inspector and
                // the final rollback.
                session.doWork(c -> c.setReadOnly(true));
            }
            T result = work.run(session);
            if (op.isRollbackOnly()) {
                throw new RollbackOnlyException("Operation " + op.label() + " was rolled back because "
                        + op.rollbackOnlyReason(), op.rollbackOnlyCause());
            }
            if (readOnly) {
                tx.rollback();
            } else {
                session.flush();
                op.resolvePendingInserts(entity -> session.contains(entity) ? session.getIdentifier(entity) : null);
                writeAuditAndVersions(session, op);
                if (options.rehearsal()) {
                    tx.rollback();
                    op.markDryRun();
                } else {
                    tx.commit();
                }
            }
            return result;
        });
    }

    @FunctionalInterface
    private interface Body<T> {
        T run() throws Exception;
    }

    /**
     * The frame shared by every outermost operation: binds the operation to the thread and the SQL monitor,
     * runs the body (which begins and ends the transaction), rolls back on any failure and logs it once with
     * the operation's id and name, always closes the session and unbinds, runs after-commit callbacks only
     * after success, and publishes the outcome to listeners.
     */
    private <T> T scoped(Operation op, SharedSessionContract session, Body<T> body) {
        current.set(op);
        CancelScope scope = scopes.get(Thread.currentThread());
        op.setCancelScope(scope);
        running.put(Thread.currentThread(), op);
        if (scope != null && scope.isCancelled()) {
            op.markCancelled(); // its first statement is refused
        }
        monitor.bind(op);
        op.bind(session);
        OperationRecord.Outcome outcome = OperationRecord.Outcome.FAILED;
        String message = null;
        try {
            T result = body.run();
            outcome = op.isDryRun() ? OperationRecord.Outcome.ROLLED_BACK : OperationRecord.Outcome.COMMITTED;
            if (!op.readOnly() && !op.isDryRun()) {
                runAfterCommit(op);
            }
            return result;
        } catch (Exception | Error e) {
            message = e.getMessage();
            rollbackQuietly(session.getTransaction(), op);
            outcome = e instanceof RollbackOnlyException ? OperationRecord.Outcome.ROLLED_BACK : OperationRecord.Outcome.FAILED;
            if (op.isCancelled()) {
                outcome = OperationRecord.Outcome.ROLLED_BACK;
                message = "cancelled";
                LOG.info("Operation {} cancelled after {} ms", op.label(), op.elapsedNanos() / 1_000_000);
                throw OperationCancelledException.of(op, e);
            }
            if (isOperatorError(e)) {
                // refused input or a conflict the operator resolves: expected, shown to them, no stack trace
                LOG.info("Operation {} refused after {} ms: {}", op.label(), op.elapsedNanos() / 1_000_000, refusal(e));
            } else {
                LOG.warn("Operation {} failed after {} ms: {}", op.label(), op.elapsedNanos() / 1_000_000, describe(e), e);
            }
            throw propagate(e, op.label());
        } finally {
            try {
                session.close();
            } catch (RuntimeException closeFailure) {
                LOG.warn("Closing the session of {} failed", op.label(), closeFailure);
            } finally {
                current.remove();
                running.remove(Thread.currentThread(), op);
                monitor.unbind();
                publish(op, outcome, message);
            }
        }
    }

    private static final java.util.regex.Pattern WRITE_SQL = java.util.regex.Pattern.compile(
            "^\\s*(/\\*.*?\\*/\\s*)*(insert|update|delete|merge|upsert|create|drop|alter|truncate|grant|revoke|call)\\b",
            java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL);

    /** Stops a cancelled operation before its next statement; refuses data-changing SQL in a read-only operation. */
    private static String guardReadOnly(Operation op, String sql) {
        if (op.isCancelled()) {
            throw OperationCancelledException.of(op, null);
        }
        if (op.readOnly() && WRITE_SQL.matcher(sql).find()) {
            throw new ReadOnlyViolationException("Operation " + op.label()
                    + " is read-only and cannot run a data-changing statement; nothing was written.");
        }
        return sql;
    }

    /** Bulk mode: a {@link StatelessSession} with JDBC batching, for generating or importing data. */
    public <T> T bulk(String name, int batchSize, BulkWork<T> work) {
        if (current.get() != null) {
            throw new IllegalStateException("Bulk operation '" + name + "' cannot run inside operation "
                    + current.get().label());
        }
        Operation op = new Operation(name, Operation.Kind.BULK);
        beforeOperation.accept(op);
        StatelessSession session = sessionFactory.withStatelessOptions().openStatelessSession();
        session.setJdbcBatchSize(batchSize);
        return scoped(op, session, () -> {
            Transaction tx = session.beginTransaction();
            T result = work.run(session);
            writeAuditAndVersions(session, op);
            tx.commit();
            return result;
        });
    }

    private void rollbackQuietly(Transaction tx, Operation op) {
        try {
            if (tx != null && tx.isActive()) {
                tx.rollback();
            }
        } catch (RuntimeException rollbackFailure) {
            LOG.warn("Rollback of {} failed", op.label(), rollbackFailure);
        }
    }

    private void runAfterCommit(Operation op) {
        for (Runnable r : op.afterCommitCallbacks()) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("After-commit callback of operation {} failed (the commit stands)", op.label(), e);
            }
        }
    }

    private void publish(Operation op, OperationRecord.Outcome outcome, String message) {
        if (listeners.isEmpty()) {
            return;
        }
        boolean committedWrite = outcome == OperationRecord.Outcome.COMMITTED && !op.readOnly();
        OperationRecord rec = new OperationRecord(op.id(), op.name(), op.kind(), op.startedAt(), op.elapsedNanos(),
                outcome, message, op.stats().snapshot(),
                committedWrite ? op.changes() : List.of(),
                committedWrite ? op.touchedTables() : java.util.Set.of(),
                committedWrite ? op.regionsClearedFor() : java.util.Set.of());
        for (Consumer<OperationRecord> l : listeners) {
            try {
                l.accept(rec);
            } catch (RuntimeException e) {
                LOG.error("Operation listener failed for {}", op.label(), e);
            }
        }
    }

    /** Audit rows for every recorded change and a version bump for every touched table, in the transaction. */
    private void writeAuditAndVersions(SharedSessionContract session, Operation op) {
        List<EntityChange> changes = op.changes();
        if (changes.isEmpty() && op.touchedTables().isEmpty()) {
            return;
        }
        session.doWork(c -> {
            writeAudit(c, op, changes);
            bumpVersions(c, op);
            VersionHook hook = afterVersionBump;
            if (hook != null) {
                hook.afterBump(op, c);
            }
        });
    }

    private void writeAudit(Connection c, Operation op, List<EntityChange> changes) throws java.sql.SQLException {
        if (changes.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.valueOf(AuditInterceptor.now());
        int changeRows = 0;
        try (PreparedStatement log = c.prepareStatement("INSERT INTO audit_log (id, entity_type, entity_id, action, operation, operator, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement fields = c.prepareStatement("INSERT INTO audit_changes (audit_id, seq, field, old_value, new_value) VALUES (?, ?, ?, ?, ?)")) {
            for (EntityChange ch : changes) {
                UUID id = UUID.randomUUID();
                log.setObject(1, id);
                log.setString(2, ch.entity());
                log.setLong(3, ((Number) ch.id()).longValue());
                log.setString(4, ch.action().name());
                log.setString(5, op.name());
                log.setString(6, operator);
                log.setTimestamp(7, now);
                log.addBatch();
                int seq = 0;
                for (EntityChange.FieldChange f : ch.fields()) {
                    fields.setObject(1, id);
                    fields.setInt(2, ++seq);
                    fields.setString(3, f.field());
                    fields.setString(4, truncate(f.oldValue()));
                    fields.setString(5, truncate(f.newValue()));
                    fields.addBatch();
                    changeRows++;
                }
            }
            log.executeBatch();
            if (changeRows > 0) {
                fields.executeBatch();
            }
        }
        op.touch("audit_log");
    }

    private static String truncate(String v) {
        return v == null || v.length() <= 10000 ? v : v.substring(0, 9999) + "…";
    }

    private void bumpVersions(Connection c, Operation op) throws java.sql.SQLException {
        // Sorted order (TreeSet): concurrent writers lock version rows in the same order, so no deadlock.
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE table_versions SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE table_name = ?")) {
            for (String table : op.touchedTables()) {
                ps.setString(1, table);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static boolean isOperatorError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // an optimistic-lock failure is a concurrent edit (another console, another thread): the caller
            // turns it into a conflict the operator resolves, so it is no malfunction worth a stack trace
            if (t instanceof OperatorError || t instanceof jakarta.persistence.OptimisticLockException
                    || t instanceof org.hibernate.StaleStateException) {
                return true;
            }
        }
        return false;
    }

    private static String refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.hibernate.StaleObjectStateException so) {
                return "another transaction changed " + so.getEntityName().replaceAll(".*\\.", "") + " " + so.getIdentifier()
                        + " first (optimistic lock)";
            }
            if (t instanceof OperatorError) {
                return t.getMessage();
            }
        }
        return "another transaction changed the same row first (optimistic lock)";
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            sb.append(" (root: ").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
        }
        return sb.toString();
    }

    private static RuntimeException propagate(Throwable e, String label) {
        if (e instanceof RuntimeException re) {
            return re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new OperationFailedException("Operation " + label + " failed: " + e.getMessage(), e);
    }
}
