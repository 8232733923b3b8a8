package org.adminconsole.persistence.monitor;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of one operation, filled by the SQL monitor, the session listener and the interceptor. */
public final class OperationStats {
    public final AtomicLong statements = new AtomicLong();
    public final AtomicLong batches = new AtomicLong();
    public final AtomicLong entitiesLoaded = new AtomicLong();
    public final AtomicLong entitiesInserted = new AtomicLong();
    public final AtomicLong entitiesUpdated = new AtomicLong();
    public final AtomicLong entitiesDeleted = new AtomicLong();
    public final AtomicLong l1Hits = new AtomicLong();
    public final AtomicLong l1Misses = new AtomicLong();
    public final AtomicLong l2Hits = new AtomicLong();
    public final AtomicLong l2Misses = new AtomicLong();
    public final AtomicLong l2Puts = new AtomicLong();
    public final AtomicLong flushes = new AtomicLong();
    public final AtomicLong connectionWaitNanos = new AtomicLong();
    /** Rows inserted, updated or deleted by the operation's statements (native bulk DML included), as the driver reports them. */
    public final AtomicLong rowsWritten = new AtomicLong();

    public Snapshot snapshot() {
        return new Snapshot(statements.get(), batches.get(), entitiesLoaded.get(), entitiesInserted.get(),
                entitiesUpdated.get(), entitiesDeleted.get(), l1Hits.get(), l1Misses.get(), l2Hits.get(),
                l2Misses.get(), l2Puts.get(), flushes.get(), connectionWaitNanos.get(), rowsWritten.get());
    }

    /** Immutable copy of the counters. */
    public record Snapshot(long statements, long batches, long entitiesLoaded, long entitiesInserted,
                           long entitiesUpdated, long entitiesDeleted, long l1Hits, long l1Misses,
                           long l2Hits, long l2Misses, long l2Puts, long flushes, long connectionWaitNanos,
                           long rowsWritten) {
    }

    public void countL1(boolean hit) {
        (hit ? l1Hits : l1Misses).incrementAndGet();
    }
}
