package org.adminconsole.service.monitor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.adminconsole.persistence.OperationListener;
import org.adminconsole.persistence.OperationRecord;
import org.adminconsole.persistence.monitor.SqlEvent;
import org.adminconsole.persistence.monitor.SqlMonitor;
import org.adminconsole.persistence.Transactions;

/**
 * The operations log: one {@link OperationEntry} per finished outermost operation, fed by the transaction
 * helper's listener (which runs on the operation's own thread right after it ended, so the statements are
 * already in the SQL monitor). Bounded; views drain it incrementally with {@link #since(long)} on a timer,
 * never one event at a time.
 */
public final class OperationsLog implements AutoCloseable {

    /** Statements kept per entry (the first ones; the counters stay exact beyond this; bounds the memory held). */
    public static final int MAX_STATEMENTS_PER_ENTRY = 200;

    private final Transactions tx;
    private final SqlMonitor monitor;
    private final OperationAnalyzer analyzer;
    private final int capacity;
    private final ArrayDeque<OperationEntry> entries;
    private final java.util.concurrent.ConcurrentHashMap<Long, org.adminconsole.persistence.Operation> running =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final OperationListener listener = new OperationListener() {
        @Override
        public void started(org.adminconsole.persistence.Operation op) {
            running.put(op.id(), op);
        }

        @Override
        public void finished(OperationRecord record) {
            onOperation(record);
        }
    };
    private long seq;

    public OperationsLog(Transactions tx, SqlMonitor monitor, OperationAnalyzer analyzer, int capacity) {
        this.tx = tx;
        this.monitor = monitor;
        this.analyzer = analyzer;
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 4096));
        tx.addListener(listener);
    }

    public OperationAnalyzer analyzer() {
        return analyzer;
    }

    void onOperation(OperationRecord rec) {
        List<SqlEvent> statements = monitor.forOperation(rec.id());
        List<OperationEntry.Warning> warnings = analyzer.analyze(rec, statements);
        List<SqlEvent> kept = statements.size() <= MAX_STATEMENTS_PER_ENTRY ? statements
                : statements.subList(0, MAX_STATEMENTS_PER_ENTRY);
        synchronized (entries) {
            OperationEntry e = new OperationEntry(++seq, rec, kept, warnings);
            if (entries.size() >= capacity) {
                entries.removeFirst();
            }
            entries.addLast(e);
            running.remove(rec.id()); // after it is in the log: a view never sees it in neither
        }
    }

    /** The operations running now, as they stand (counters so far), the latest started first. */
    public List<OperationEntry> running() {
        List<OperationEntry> out = new ArrayList<>(running.size());
        for (org.adminconsole.persistence.Operation op : running.values()) {
            out.add(OperationEntry.running(op));
        }
        out.sort(java.util.Comparator.comparing((OperationEntry e) -> e.record().startedAt()).reversed()
                .thenComparing(java.util.Comparator.comparingLong(OperationEntry::id).reversed()));
        return out;
    }

    /** Entries after {@code afterSeq}, oldest first, at most {@code max} (the newest ones when more). */
    public List<OperationEntry> since(long afterSeq, int max) {
        synchronized (entries) {
            List<OperationEntry> out = new ArrayList<>();
            Iterator<OperationEntry> it = entries.descendingIterator();
            while (it.hasNext() && out.size() < max) {
                OperationEntry e = it.next();
                if (e.seq() <= afterSeq) {
                    break;
                }
                out.add(e);
            }
            java.util.Collections.reverse(out);
            return out;
        }
    }

    public List<OperationEntry> snapshot() {
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }

    /** The entry of an operation, if still in the log. */
    public Optional<OperationEntry> find(long operationId) {
        synchronized (entries) {
            Iterator<OperationEntry> it = entries.descendingIterator();
            while (it.hasNext()) {
                OperationEntry e = it.next();
                if (e.id() == operationId) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }
    }

    /** The most recent entries that waited for a connection, newest first. */
    public List<OperationEntry> connectionWaits(int max) {
        synchronized (entries) {
            List<OperationEntry> out = new ArrayList<>();
            Iterator<OperationEntry> it = entries.descendingIterator();
            while (it.hasNext() && out.size() < max) {
                OperationEntry e = it.next();
                if (e.has(OperationEntry.WarningKind.CONNECTION_WAIT)) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    public long lastSeq() {
        synchronized (entries) {
            return seq;
        }
    }

    @Override
    public void close() {
        tx.removeListener(listener);
    }
}
