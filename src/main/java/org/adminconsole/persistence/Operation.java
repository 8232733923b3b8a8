package org.adminconsole.persistence;

import org.adminconsole.persistence.audit.EntityChange;
import org.adminconsole.persistence.monitor.OperationStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.Session;
import org.hibernate.SharedSessionContract;

/**
 * One unit of work: one session, one transaction, an id and a name. Bound to the running thread by
 * {@link Transactions} for its duration; inner calls join it.
 */
public final class Operation {

    private static final AtomicLong IDS = new AtomicLong();

    public enum Kind { READ, WRITE, BULK }

    private final long id = IDS.incrementAndGet();
    private final String name;
    private final Kind kind;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final OperationStats stats = new OperationStats();
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final Map<Object, EntityChange> changes = new LinkedHashMap<>();
    private final TreeSet<String> touchedTables = new TreeSet<>();
    private final TreeSet<String> regionsClearedFor = new TreeSet<>();
    private final Map<Object, EntityChange> pendingInserts = new java.util.IdentityHashMap<>();
    private SharedSessionContract session;
    private String rollbackOnlyReason;
    private Throwable rollbackOnlyCause;

    Operation(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
    }

    public long id() { return id; }
    public String name() { return name; }
    public Kind kind() { return kind; }
    public boolean readOnly() { return kind == Kind.READ; }
    public Instant startedAt() { return startedAt; }
    public long elapsedNanos() { return System.nanoTime() - startNanos; }
    public OperationStats stats() { return stats; }

    /** "users.save#42": how operations are named in logs and messages. */
    public String label() {
        return name + "#" + id;
    }

    void bind(SharedSessionContract session) {
        this.session = session;
    }

    private volatile boolean cancelled;
    private volatile Object cancelScope;

    void setCancelScope(Object scope) {
        this.cancelScope = scope;
    }

    Object cancelScope() {
        return cancelScope;
    }

    /** Marks the operation cancelled (in memory): its next statement is refused, and a failure counts as cancelled. */
    void markCancelled() {
        cancelled = true;
    }

    /**
     * Cancels the statement this operation is running, from any thread ({@code Statement.cancel} through
     * Hibernate's JDBC coordinator). The operation then fails and rolls back; it is logged as cancelled.
     */
    void cancel() {
        markCancelled();
        SharedSessionContract s = session;
        if (s != null && s.isOpen()) {
            try {
                s.unwrap(org.hibernate.engine.spi.SharedSessionContractImplementor.class).getJdbcCoordinator().cancelLastQuery();
            } catch (RuntimeException ignored) {
                // the statement ended (or the session closed) meanwhile: nothing left to cancel
            }
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** The stateful session; fails for bulk operations, which have a stateless one. */
    public Session session() {
        if (session instanceof Session s) {
            return s;
        }
        throw new IllegalStateException("Operation " + label() + " has no stateful session");
    }

    SharedSessionContract anySession() {
        return session;
    }

    void addAfterCommit(Runnable r) {
        afterCommit.add(r);
    }

    List<Runnable> afterCommitCallbacks() {
        return Collections.unmodifiableList(afterCommit);
    }

    void markRollbackOnly(String reason, Throwable cause) {
        if (rollbackOnlyReason == null) {
            rollbackOnlyReason = reason;
            rollbackOnlyCause = cause;
        }
    }

    public boolean isRollbackOnly() { return rollbackOnlyReason != null; }

    private boolean dryRun;

    void markDryRun() { dryRun = true; }

    /** True once a dry-run operation has rolled back on purpose. */
    public boolean isDryRun() { return dryRun; }
    String rollbackOnlyReason() { return rollbackOnlyReason; }
    Throwable rollbackOnlyCause() { return rollbackOnlyCause; }

    /** Declares that this operation wrote to a table outside the entity model (native SQL, bulk JDBC). */
    public void touch(String table) {
        touchedTables.add(table);
    }

    public TreeSet<String> touchedTables() {
        return touchedTables;
    }

    /**
     * Declares that this operation ran DML synchronized with the entities stored in {@code table}: Hibernate
     * empties their whole second-level regions when it commits, which lets an operation that read before the
     * commit put its older row back. Listeners fence those regions again (see {@code CoherenceService}).
     */
    public void touchWithRegionClear(String table) {
        touchedTables.add(table);
        regionsClearedFor.add(table);
    }

    public Set<String> regionsClearedFor() {
        return regionsClearedFor;
    }

    /**
     * Merges a change of one entity into the operation's change set (several flushes may see it). Code that
     * changes rows with SQL outside the entity model reports its changes here, so they get audit rows and
     * precise cache invalidation like entity changes.
     */
    public void recordChange(EntityChange change) {
        touchedTables.add(change.table());
        Object key = change.entity() + "#" + change.id();
        EntityChange prev = changes.get(key);
        if (prev == null) {
            changes.put(key, change);
            return;
        }
        Map<String, EntityChange.FieldChange> merged = new LinkedHashMap<>();
        prev.fields().forEach(f -> merged.put(f.field(), f));
        for (EntityChange.FieldChange f : change.fields()) {
            EntityChange.FieldChange old = merged.get(f.field());
            merged.put(f.field(), old == null ? f : new EntityChange.FieldChange(f.field(), old.oldValue(), f.newValue()));
        }
        EntityChange.Action action = prev.action() == EntityChange.Action.INSERT && change.action() != EntityChange.Action.DELETE
                ? EntityChange.Action.INSERT : change.action();
        Long previousVersion = prev.previousVersion() != null ? prev.previousVersion() : change.previousVersion();
        changes.put(key, new EntityChange(change.entity(), change.table(), change.id(), action, new ArrayList<>(merged.values()),
                previousVersion));
    }

    /** An insert whose id the database generates (IDENTITY): resolved after the flush. */
    public void recordPendingInsert(Object entity, EntityChange change) {
        touchedTables.add(change.table());
        pendingInserts.put(entity, change);
    }

    void resolvePendingInserts(java.util.function.Function<Object, Object> idOf) {
        for (Map.Entry<Object, EntityChange> e : pendingInserts.entrySet()) {
            EntityChange c = e.getValue();
            Object id = idOf.apply(e.getKey());
            if (id != null) {
                recordChange(new EntityChange(c.entity(), c.table(), id, c.action(), c.fields(), c.previousVersion()));
            }
        }
        pendingInserts.clear();
    }

    public List<EntityChange> changes() {
        return List.copyOf(changes.values());
    }
}
