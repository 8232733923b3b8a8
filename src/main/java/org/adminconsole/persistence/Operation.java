package org.adminconsole.persistence;

import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.adminconsole.persistence.audit.ChangeSet;
import org.adminconsole.persistence.audit.EntityChange;
import org.adminconsole.persistence.monitor.OperationStats;
import org.adminconsole.support.TaskHandle;
import org.hibernate.Session;
import org.hibernate.SharedSessionContract;

/**
 * One unit of work: one session, one transaction, an id and a name. Bound to the running thread by
 * {@link Transactions} for its duration; inner calls join it. Holds what the work changed ({@link ChangeSet}),
 * its callbacks, its deadline and the statement it runs right now (so that a cancel from another thread can
 * reach it).
 */
public final class Operation {

    private static final AtomicLong IDS = new AtomicLong();

    public enum Kind { READ, WRITE, BULK }

    private final long id = IDS.incrementAndGet();
    private final String name;
    private final Kind kind;
    private final TaskHandle task;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final OperationStats stats = new OperationStats();
    private final ChangeSet changes = new ChangeSet();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Runnable> afterRollback = new ArrayList<>();
    private volatile long deadlineNanos;
    private SharedSessionContract session;
    private String rollbackOnlyReason;
    private Throwable rollbackOnlyCause;
    private boolean dryRun;
    private int readOnlyScopes;
    private volatile boolean flushing;
    private volatile Statement running;
    /** Identifies the commit, so that a commit whose reply was lost can be checked (see {@code CommitCheck}). */
    private volatile String commitMarker;
    private volatile Long transactionId;
    private int attempt = 1;
    private boolean dryRunOperation;
    private Integer isolation;

    Operation(String name, Kind kind, TaskHandle task, long timeoutNanos) {
        this.name = name;
        this.kind = kind;
        this.task = task;
        this.deadlineNanos = startNanos + timeoutNanos;
    }

    public long id() { return id; }
    public String name() { return name; }
    public Kind kind() { return kind; }
    public Instant startedAt() { return startedAt; }
    public long elapsedNanos() { return System.nanoTime() - startNanos; }
    public OperationStats stats() { return stats; }

    /** Read-only: a read operation, or a read scope joined to a write (entity inserts and deletes refused there). */
    public boolean readOnly() {
        return kind == Kind.READ;
    }

    /** Whether the code running now asked for read-only work (a read operation, or a read joined to a write). */
    public boolean inReadOnlyScope() {
        return kind == Kind.READ || readOnlyScopes > 0;
    }

    void enterReadOnlyScope() { readOnlyScopes++; }
    void leaveReadOnlyScope() { readOnlyScopes--; }

    /** "users.save#42": how operations are named in logs and messages. */
    public String label() {
        return name + "#" + id;
    }

    /** The background task this operation belongs to (cancelling it cancels the operation). */
    public TaskHandle task() {
        return task;
    }

    // ---- deadline --------------------------------------------------------------------------------------------

    /** Nanoseconds left before the deadline (negative when passed). */
    public long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    long deadlineNanos() { return deadlineNanos; }
    void setDeadlineNanos(long d) { deadlineNanos = d; }

    // ---- cancellation ----------------------------------------------------------------------------------------

    /** 1 for the first attempt; more when the operation is retried after a deadlock. */
    public int attempt() { return attempt; }
    void setAttempt(int a) { attempt = a; }

    public boolean isCancelled() {
        return task.isCancelled();
    }

    /** Called by the SQL monitor around each statement of this operation. */
    public void statementStarted(Statement s) { running = s; }
    public void statementEnded() { running = null; }

    /** Cancels the statement running now, from any thread (see {@link JdbcCancel}). */
    void cancelRunningStatement() {
        Statement s = running;
        if (s != null) {
            JdbcCancel.cancel(s);
        }
    }

    // ---- session and flush -----------------------------------------------------------------------------------

    void bind(SharedSessionContract session) {
        this.session = session;
    }

    /** The stateful session; fails for bulk operations, which have a stateless one. */
    public Session session() {
        if (session instanceof Session s) {
            return s;
        }
        throw new IllegalStateException("Operation " + label() + " has no stateful session");
    }

    SharedSessionContract anySession() { return session; }

    public void setFlushing(boolean f) { flushing = f; }
    public boolean isFlushing() { return flushing; }

    // ---- callbacks and outcome -------------------------------------------------------------------------------

    void addAfterCommit(Runnable r) { afterCommit.add(r); }
    void addAfterRollback(Runnable r) { afterRollback.add(r); }
    List<Runnable> afterCommitCallbacks() { return Collections.unmodifiableList(afterCommit); }
    List<Runnable> afterRollbackCallbacks() { return Collections.unmodifiableList(afterRollback); }

    void markRollbackOnly(String reason, Throwable cause) {
        if (rollbackOnlyReason == null) {
            rollbackOnlyReason = reason;
            rollbackOnlyCause = cause;
        }
    }

    public boolean isRollbackOnly() { return rollbackOnlyReason != null; }
    String rollbackOnlyReason() { return rollbackOnlyReason; }
    Throwable rollbackOnlyCause() { return rollbackOnlyCause; }
    void markDryRun() { dryRun = true; }

    /** The operation was started as a dry run (it will roll back on purpose). */
    boolean isDryRunOperation() { return dryRunOperation; }
    Integer isolation() { return isolation; }

    void configure(TxOptions options) {
        this.dryRunOperation = options.dryRun();
        this.isolation = options.isolation();
    }

    void truncateAfterCommit(int size) {
        while (afterCommit.size() > size) {
            afterCommit.remove(afterCommit.size() - 1);
        }
    }

    /** True once a dry-run operation has rolled back on purpose. */
    public boolean isDryRun() { return dryRun; }

    public void setCommitMarker(String marker, Long txId) {
        this.commitMarker = marker;
        this.transactionId = txId;
    }

    String commitMarker() { return commitMarker; }
    Long transactionId() { return transactionId; }

    // ---- changes ---------------------------------------------------------------------------------------------

    /** What this operation changed so far. */
    public ChangeSet changeSet() {
        return changes;
    }

    /** Declares that this operation wrote to a table outside the entity model (native SQL, bulk JDBC). */
    public void touch(String table) {
        changes.touch(table);
    }

    /**
     * Declares DML synchronized with the entities stored in {@code table}: Hibernate empties their whole
     * second-level regions when it commits, which lets an operation that read before the commit put its older row
     * back. Listeners fence those regions again (see {@code CoherenceService}).
     */
    public void touchWithRegionClear(String table) {
        changes.touchWithRegionClear(table);
    }

    /** Reports a change made with SQL outside the entity model, so it gets an audit row and precise invalidation. */
    public void recordChange(EntityChange change) {
        changes.record(change);
    }

    public Set<String> touchedTables() {
        return changes.touchedTables();
    }

    public Set<String> regionsClearedFor() {
        return changes.regionsClearedFor();
    }

    public List<EntityChange> changes() {
        return changes.changes();
    }
}
