package org.adminconsole.persistence;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.adminconsole.persistence.audit.AuditInterceptor;
import org.adminconsole.persistence.monitor.OperationSessionListener;
import org.adminconsole.persistence.monitor.SqlMonitor;
import org.adminconsole.support.TaskHandle;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.SharedSessionContract;
import org.hibernate.StatelessSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The console's {@code @Transactional}: every unit of work runs in one short-lived session with one transaction
 * (session-per-operation).
 *
 * <ul>
 *   <li>A call made while an operation runs on this thread follows its {@link TxOptions.Propagation}: it joins
 *       (REQUIRED), runs on its own (REQUIRES_NEW) or under a savepoint (NESTED); see {@link JoinedCall}. A joined
 *       call whose options the running operation cannot honour fails loudly instead of losing them.</li>
 *   <li>{@link #read} runs read-only and always ends in a rollback; a write requested inside a read is an error.</li>
 *   <li>{@link #afterCommit} callbacks run only after the outermost commit, {@link #afterRollback} ones only after a
 *       rollback, each isolated. Writes record audit rows and bump table versions in the same transaction.</li>
 *   <li>Every operation has a deadline (its statements time out, and so does the network wait), belongs to the
 *       background task that started it (cancelling the task cancels its statement: {@link TaskHandle}), and its
 *       log lines carry its label in the MDC ({@code op}).</li>
 *   <li>A lost connection is reported to {@link Connectivity}, which reconnects; a commit whose reply was lost is
 *       checked in the database, so the caller hears "saved", "not saved" or "unknown", never a guess.</li>
 * </ul>
 */
public final class Transactions {

    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    @FunctionalInterface
    public interface Work<T> {
        T run(Session session) throws Exception;
    }

    @FunctionalInterface
    public interface VoidWork {
        void run(Session session) throws Exception;
    }

    @FunctionalInterface
    public interface BulkWork<T> {
        T run(StatelessSession session) throws Exception;
    }

    /** One read on a JDBC connection of the pool ({@link #readJdbc}). */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        T run(java.sql.Connection connection) throws java.sql.SQLException;
    }

    private final java.util.function.Supplier<SessionFactory> sessionFactory;
    private final java.util.function.BooleanSupplier hibernateReady;
    private final javax.sql.DataSource jdbc;
    private final SqlMonitor monitor;
    private final String operator;
    private final Dialect dialect;
    private final Duration defaultTimeout;
    private final Duration longTimeout;
    private final Connectivity connectivity;
    private final ThreadLocal<Operation> current = new ThreadLocal<>();
    private final List<OperationListener> listeners = new CopyOnWriteArrayList<>();
    private final OperationFrame frame;

    /**
     * {@code sessionFactory} may wait while Hibernate is still building ({@code hibernateReady} says whether it is done);
     * {@code jdbc} is the monitored pool (autocommit off) that {@link #readJdbc} uses until then.
     */
    public Transactions(java.util.function.Supplier<SessionFactory> sessionFactory, java.util.function.BooleanSupplier hibernateReady,
                        javax.sql.DataSource jdbc, SqlMonitor monitor, String operator, Dialect dialect,
                        Duration defaultTimeout, Duration longTimeout, Connectivity connectivity) {
        this.sessionFactory = sessionFactory;
        this.hibernateReady = hibernateReady;
        this.jdbc = jdbc;
        this.monitor = monitor;
        this.operator = operator;
        this.dialect = dialect;
        this.defaultTimeout = defaultTimeout;
        this.longTimeout = longTimeout;
        this.connectivity = connectivity;
        this.frame = new OperationFrame(dialect, connectivity, listeners, operator);
    }

    public String operator() { return operator; }
    public Dialect dialect() { return dialect; }

    /** The deadline long work declares (exports, bulk actions, exact counts, demo data). */
    public Duration longTimeout() { return longTimeout; }

    public <T> T read(String name, Work<T> work) {
        return execute(TxOptions.read(name), work);
    }

    /**
     * A read-only operation whose work is plain JDBC on one connection. Once Hibernate is ready (or inside a running
     * operation, which it joins) it is exactly {@code read(name, s -> s.doReturningWork(work))}; while Hibernate is
     * still building after the start it runs at once on a pooled connection, with the same deadline, cancel, SQL
     * monitoring, rollback at the end and operation record (without entity statistics, as it loads no entity). The
     * Users screen's pages and totals and the Dashboard's estimate are written this way, so the first data is shown
     * seconds before the SessionFactory exists.
     */
    public <T> T readJdbc(String name, ConnectionWork<T> work) {
        if (current.get() != null || hibernateReady.getAsBoolean()) {
            return read(name, s -> s.doReturningWork(work::run));
        }
        TxOptions options = TxOptions.read(name);
        Operation op = new Operation(options.name(), options.kind(), TaskHandle.current(), timeoutOf(options).toNanos());
        op.setAttempt(1);
        op.configure(options);
        listeners.forEach(l -> frame.notifyStarted(l, op));
        try {
            connectivity.awaitAvailable();
        } catch (RuntimeException e) {
            frame.notStarted(op, e);
            throw e;
        }
        // taken inside the frame, as a session takes its connection: a busy pool or a lost connection get its sentences
        java.sql.Connection[] held = new java.sql.Connection[1];
        return boundTo(op, null, () -> frame.runJdbc(op, held[0] = jdbc.getConnection(), work), OperationFrame.Ending.of(() -> held[0]));
    }

    public <T> T write(String name, Work<T> work) {
        return execute(TxOptions.write(name), work);
    }

    public void writeVoid(String name, VoidWork work) {
        execute(TxOptions.write(name), s -> {
            work.run(s);
            return null;
        });
    }

    /** The operation running on this thread, if any. */
    public Optional<Operation> current() {
        return Optional.ofNullable(current.get());
    }

    /** Runs after the current outermost operation commits; never on rollback. */
    public void afterCommit(Runnable callback) {
        runningOperation("afterCommit").addAfterCommit(callback);
    }

    /** Runs after the current outermost operation rolled back (failure, cancel, dry run); never after a commit. */
    public void afterRollback(Runnable callback) {
        runningOperation("afterRollback").addAfterRollback(callback);
    }

    private Operation runningOperation(String what) {
        Operation op = current.get();
        if (op == null) {
            throw new IllegalStateException(what + " outside an operation");
        }
        return op;
    }

    public void addListener(OperationListener listener) {
        listeners.add(listener);
    }

    public void removeListener(OperationListener listener) {
        listeners.remove(listener);
    }

    public <T> T execute(TxOptions options, Work<T> work) {
        Operation outer = current.get();
        if (outer == null) {
            return outermost(options, work);
        }
        return switch (options.propagation()) {
            case REQUIRED -> JoinedCall.join(outer, options, work, dialect);
            case NESTED -> JoinedCall.nested(outer, options, work, dialect);
            case REQUIRES_NEW -> suspended(outer, () -> outermost(options, work));
        };
    }

    /** Runs {@code body} with the running operation suspended (a REQUIRES_NEW call), then resumes it. */
    private <T> T suspended(Operation outer, java.util.function.Supplier<T> body) {
        if (outer.kind() == Operation.Kind.BULK) {
            throw new IllegalStateException("Cannot suspend bulk operation " + outer.label());
        }
        current.remove();
        try {
            return body.get();
        } catch (RuntimeException e) {
            if ((Failures.isLockTimeout(e) || Failures.isTimeout(e) || e instanceof OperationTimeoutException)
                    && !outer.touchedTables().isEmpty()) {
                // Every write of a table takes that table's version row until commit (cache coherence): a new transaction
                // writing a table its suspended caller already wrote waits for the caller, which waits for it.
                throw new IllegalStateException("A REQUIRES_NEW operation waited for a lock held by its own suspended caller "
                        + outer.label() + ", which has written " + String.join(", ", outer.touchedTables())
                        + ". Run it before the caller writes those tables, or let it write other tables.", e);
            }
            throw e;
        } finally {
            current.set(outer);
            monitor.bind(outer);
            MDC.put("op", outer.label());
        }
    }

    private <T> T outermost(TxOptions options, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return runOnce(options, work, attempt);
            } catch (RuntimeException e) {
                if (attempt > options.retries() || !Failures.isRetryable(e, dialect) || TaskHandle.current().isCancelled()) {
                    throw e;
                }
                // exponential backoff with full jitter: two victims of one deadlock do not meet again at the same moment
                long pause = 20 + (long) (Math.random() * Math.min(2_000, 100L << (attempt - 1)));
                LOG.info("Operation {} hit a deadlock or serialization failure; retrying in {} ms (attempt {} of {})",
                        options.name(), pause, attempt + 1, options.retries() + 1);
                sleep(pause);
            }
        }
    }

    private <T> T runOnce(TxOptions options, Work<T> work, int attempt) {
        Operation op = new Operation(options.name(), options.kind(), TaskHandle.current(), timeoutOf(options).toNanos());
        op.setAttempt(attempt);
        op.configure(options);
        listeners.forEach(l -> frame.notifyStarted(l, op));
        Session session;
        try {
            connectivity.awaitAvailable();
            session = sessionFactory.get().withOptions()
                    .interceptor(new AuditInterceptor(op, operator))
                    .eventListeners(new OperationSessionListener(op))
                    .statementInspector(new StatementGuard(op))
                    .flushMode(options.effectiveFlushMode())
                    .openSession();
        } catch (RuntimeException e) {
            frame.notStarted(op, e); // listeners that saw it start see it end
            throw e;
        }
        return bound(op, session, () -> frame.runStateful(op, options, session, work));
    }

    /** Bulk mode: a {@link StatelessSession} with JDBC batching, for generating or importing data. */
    public <T> T bulk(String name, int batchSize, BulkWork<T> work) {
        if (current.get() != null) {
            throw new IllegalStateException("Bulk operation '" + name + "' cannot run inside operation " + current.get().label());
        }
        Operation op = new Operation(name, Operation.Kind.BULK, TaskHandle.current(), longTimeout.toNanos());
        listeners.forEach(l -> frame.notifyStarted(l, op));
        StatelessSession session;
        try {
            connectivity.awaitAvailable();
            session = sessionFactory.get().withStatelessOptions().statementInspector(new StatementGuard(op)).openStatelessSession();
        } catch (RuntimeException e) {
            frame.notStarted(op, e);
            throw e;
        }
        session.setJdbcBatchSize(batchSize);
        return bound(op, session, () -> frame.runStateless(op, session, work));
    }

    /** Binds the operation to the thread (helper, SQL monitor, MDC, task cancel) for the body; always unbinds. */
    private <T> T bound(Operation op, SharedSessionContract session, OperationFrame.Body<T> body) {
        return boundTo(op, session, body, OperationFrame.Ending.of(session));
    }

    private <T> T boundTo(Operation op, SharedSessionContract session, OperationFrame.Body<T> body, OperationFrame.Ending ending) {
        current.set(op);
        String previousMdc = MDC.get("op");
        MDC.put("op", op.label());
        monitor.bind(op);
        op.bind(session);
        TaskHandle.Registration cancel = op.task().onCancel(op::cancelRunningStatement);
        try {
            return frame.run(op, ending, body);
        } finally {
            cancel.close();
            current.remove();
            monitor.unbind();
            if (previousMdc == null) {
                MDC.remove("op");
            } else {
                MDC.put("op", previousMdc);
            }
        }
    }

    private Duration timeoutOf(TxOptions options) {
        return options.timeout() != null ? options.timeout() : defaultTimeout;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
