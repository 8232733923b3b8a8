package org.adminconsole.persistence.monitor;

import org.adminconsole.persistence.Operation;
import org.adminconsole.persistence.ReadOnlyViolationException;
import org.hibernate.SessionEventListener;

/**
 * Per-session Hibernate events counted into the operation: flushes and connection acquisition time.
 * (Second-level cache hits, misses and puts are counted by {@link OperationStatistics}, which agrees with
 * the region statistics.)
 */
public final class OperationSessionListener implements SessionEventListener {
    private final transient Operation op;
    private long acquireStart;

    public OperationSessionListener(Operation op) {
        this.op = op;
    }

    @Override
    public void flushStart() {
        if (op.readOnly()) {
            throw new ReadOnlyViolationException("Operation " + op.label()
                    + " is read-only and cannot flush changes; nothing was written.");
        }
        op.setFlushing(true);
    }

    @Override
    public void flushEnd(int numberOfEntities, int numberOfCollections) {
        op.setFlushing(false);
        op.stats().flushes.incrementAndGet();
    }

    @Override
    public void jdbcConnectionAcquisitionStart() {
        acquireStart = System.nanoTime();
    }

    @Override
    public void jdbcConnectionAcquisitionEnd() {
        op.stats().connectionWaitNanos.addAndGet(System.nanoTime() - acquireStart);
    }
}
