package org.adminconsole.cache;

import java.util.HashMap;
import java.util.Map;
import org.adminconsole.persistence.Operation;
import org.adminconsole.persistence.monitor.OperationStats;

/**
 * Named values memoised per operation: within one operation the same value is returned each time, until the
 * operation changes something again (a value read after its own edits sees them, and is kept only here, never in the
 * process cache: it is not committed). One memo per thread, for the operation running on it.
 */
final class OperationMemo {

    /** A memoised value (may be null) and the operation's write stamp when it was read. */
    record Entry(Object value, long stamp) {
    }

    private record Key(String name, Object key) {
    }

    private static final class Memo {
        final long opId;
        final Map<Key, Entry> values = new HashMap<>();

        Memo(long opId) {
            this.opId = opId;
        }
    }

    private final ThreadLocal<Memo> memo = new ThreadLocal<>();

    /** Grows whenever the operation changes something (flushed entity writes or declared table writes). */
    static long writeStamp(Operation op) {
        OperationStats.Snapshot s = op.stats().snapshot();
        return s.entitiesInserted() + s.entitiesUpdated() + s.entitiesDeleted() + op.touchedTables().size();
    }

    /** What {@code op} memoised for the value's variant {@code key}, or null. */
    Entry get(Operation op, String name, Object key) {
        return memoFor(op).values.get(new Key(name, key));
    }

    void put(Operation op, String name, Object key, Object value, long stamp) {
        memoFor(op).values.put(new Key(name, key), new Entry(value, stamp));
    }

    /** The memo ends with its operation. */
    void ended(long opId) {
        Memo m = memo.get();
        if (m != null && m.opId == opId) {
            memo.remove();
        }
    }

    private Memo memoFor(Operation op) {
        Memo m = memo.get();
        if (m == null || m.opId != op.id()) {
            m = new Memo(op.id());
            memo.set(m);
        }
        return m;
    }
}
