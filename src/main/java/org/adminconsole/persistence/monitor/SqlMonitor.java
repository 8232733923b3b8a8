package org.adminconsole.persistence.monitor;

import org.adminconsole.persistence.Operation;
import java.lang.reflect.Method;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.MethodExecutionContext;
import net.ttddyy.dsproxy.listener.MethodExecutionListener;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ParameterSetOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures every statement that goes through the pool (via datasource-proxy): SQL, parameters, duration,
 * rows, batch size and the operation that ran it, into a bounded ring buffer the UI can read. Statements
 * slower than the threshold (changeable at run time) are logged at WARN with their operation.
 */
public final class SqlMonitor implements QueryExecutionListener, MethodExecutionListener {

    private static final Logger LOG = LoggerFactory.getLogger(SqlMonitor.class);
    private static final int MAX_PARAM_CHARS = 200;

    private final int capacity;
    private final ArrayDeque<SqlEvent> ring;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong slowThresholdNanos = new AtomicLong();
    private final AtomicLong totalStatements = new AtomicLong();
    private final ThreadLocal<Operation> boundOperation = new ThreadLocal<>();
    private final ThreadLocal<Long> startNanos = new ThreadLocal<>();
    private final ThreadLocal<Map<Object, SqlEvent>> openResults = ThreadLocal.withInitial(IdentityHashMap::new);

    private final boolean statementTimeouts;

    /** {@code statementTimeouts}: set each statement's JDBC query timeout from its operation's deadline. */
    public SqlMonitor(int capacity, Duration slowThreshold, boolean statementTimeouts) {
        this.statementTimeouts = statementTimeouts;
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(Math.min(capacity, 4096));
        setSlowThreshold(slowThreshold);
    }

    public void setSlowThreshold(Duration threshold) {
        slowThresholdNanos.set(threshold.toNanos());
    }

    public Duration slowThreshold() {
        return Duration.ofNanos(slowThresholdNanos.get());
    }

    public int capacity() {
        return capacity;
    }

    public long totalStatements() {
        return totalStatements.get();
    }

    public void bind(Operation op) {
        boundOperation.set(op);
    }

    /** The operation running on this thread, if any (for Hibernate callbacks that have no session). */
    public Operation boundOperation() {
        return boundOperation.get();
    }

    public void unbind() {
        boundOperation.remove();
        openResults.get().clear();
    }

    /** Everything still in the buffer, oldest first. */
    public List<SqlEvent> snapshot() {
        synchronized (ring) {
            return new ArrayList<>(ring);
        }
    }

    /** Events with a sequence number greater than {@code afterSeq}, oldest first (for incremental draining). */
    public List<SqlEvent> since(long afterSeq) {
        return since(afterSeq, Integer.MAX_VALUE);
    }

    /**
     * The newest {@code max} events after {@code afterSeq}, oldest first. The live SQL log asks for at most what it
     * shows, so the JavaFX thread holds the ring's lock (which every statement also takes) for {@code max} events, not
     * for the whole ring, during a burst.
     */
    public List<SqlEvent> since(long afterSeq, int max) {
        synchronized (ring) {
            List<SqlEvent> out = new ArrayList<>();
            var it = ring.descendingIterator();
            while (it.hasNext() && out.size() < max) {
                SqlEvent e = it.next();
                if (e.seq() <= afterSeq) {
                    break;
                }
                out.add(e);
            }
            out.sort(Comparator.comparingLong(SqlEvent::seq));
            return out;
        }
    }

    /** The statements of one operation still in the buffer. */
    public List<SqlEvent> forOperation(long operationId) {
        synchronized (ring) {
            return ring.stream().filter(e -> e.operationId() == operationId).toList();
        }
    }

    public long lastSeq() {
        return seq.get();
    }

    @Override
    public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        startNanos.set(System.nanoTime());
        Operation op = boundOperation.get();
        if (op != null) {
            op.statementStarted(execInfo.getStatement());
        }
    }

    @Override
    public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        Long start = startNanos.get();
        long nanos = start == null ? execInfo.getElapsedTime() * 1_000_000 : System.nanoTime() - start;
        startNanos.remove();
        Operation op = boundOperation.get();
        if (op != null) {
            op.statementEnded();
        }
        String sql = queryInfoList.size() == 1 ? queryInfoList.get(0).getQuery()
                : String.join(";\n", queryInfoList.stream().map(QueryInfo::getQuery).toList());
        List<Object> params = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int sets = 0;
        for (QueryInfo qi : queryInfoList) {
            for (List<ParameterSetOperation> set : qi.getParametersList()) {
                if (sets == 0) {
                    describe(set, params, text);
                }
                sets++;
            }
        }
        if (sets > 1) {
            text.append(" … (").append(sets).append(" parameter sets)");
        }
        int batch = execInfo.isBatch() ? Math.max(execInfo.getBatchSize(), sets) : 1;
        Object result = execInfo.getResult();
        long rows = 0;
        boolean query = false;
        if (result instanceof Integer i) {
            rows = Math.max(i, 0);
        } else if (result instanceof Long l) {
            rows = Math.max(l, 0);
        } else if (result instanceof int[] counts) {
            for (int c : counts) {
                // SUCCESS_NO_INFO: pgjdbc's reWriteBatchedInserts sends a batch of INSERT ... VALUES as multi-row
                // INSERTs and reports each entry this way; each entry inserted its one row
                rows += c == java.sql.Statement.SUCCESS_NO_INFO ? 1 : Math.max(c, 0);
            }
        } else if (result instanceof ResultSet) {
            query = true;
        } else if (result instanceof Boolean) {
            query = sql.stripLeading().regionMatches(true, 0, "select", 0, 6);
        }
        long threshold = slowThresholdNanos.get();
        // A JDBC batch runs many statements in one call: it is slow when its statements are, on average.
        boolean slow = threshold > 0 && nanos / Math.max(1, batch) >= threshold;
        Throwable t = execInfo.getThrowable();
        SqlEvent event = new SqlEvent(seq.incrementAndGet(), Instant.now(), op == null ? 0 : op.id(),
                op == null ? "(none)" : op.name(), sql, List.copyOf(nullSafe(params)), text.toString(), nanos, batch,
                query, execInfo.isSuccess(), t == null ? null : String.valueOf(t.getMessage()), slow, rows);
        if (result instanceof ResultSet rs) {
            // the result handed out is datasource-proxy's ResultSet proxy: row counting keys on it
            openResults.get().put(rs, event);
        }
        if (op != null) {
            op.stats().statements.incrementAndGet();
            if (execInfo.isBatch()) {
                op.stats().batches.incrementAndGet();
            }
            if (!query && execInfo.isSuccess()) {
                op.stats().rowsWritten.addAndGet(rows);
            }
        }
        add(event);
        if (slow) {
            LOG.warn("Slow SQL in operation {}: {} ms (threshold {} ms): {} {}", op == null ? "(none)" : op.label(),
                    String.format("%.1f", nanos / 1e6), slowThresholdNanos.get() / 1_000_000, oneLine(sql), text);
        }
    }

    private void add(SqlEvent event) {
        totalStatements.incrementAndGet();
        synchronized (ring) {
            if (ring.size() >= capacity) {
                ring.removeFirst();
            }
            ring.addLast(event);
        }
    }

    /**
     * A statement that ran on a connection of its own, outside the pool (the SQL console's read-only login), so that
     * the SQL log shows it too; {@code source} stands where an operation's name does. {@code rows}: rows read so far.
     */
    public void recordOutside(String source, String sql, long durationNanos, long rows, boolean success, String error) {
        long threshold = slowThresholdNanos.get();
        boolean slow = threshold > 0 && durationNanos >= threshold;
        add(new SqlEvent(seq.incrementAndGet(), Instant.now(), 0, source, sql, List.of(), "", durationNanos, 1, true,
                success, error, slow, rows));
        if (slow) {
            LOG.warn("Slow SQL in the {}: {} ms (threshold {} ms): {}", source, String.format("%.1f", durationNanos / 1e6),
                    threshold / 1_000_000, oneLine(sql));
        }
    }

    /**
     * Every statement created inside an operation times out at the operation's deadline (whole seconds, as JDBC
     * counts them, rounded up): Hibernate's own statements and plain JDBC run through {@code doWork} alike.
     */
    private void applyDeadline(java.sql.Statement st) {
        Operation op = boundOperation.get();
        if (op == null) {
            return;
        }
        long remaining = op.remainingNanos();
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (remaining + 999_999_999L) / 1_000_000_000L));
        try {
            st.setQueryTimeout(seconds);
        } catch (java.sql.SQLException e) {
            LOG.debug("Cannot set the query timeout", e);
        }
    }

    private static List<Object> nullSafe(List<Object> params) {
        // List.copyOf refuses nulls; keep SQL NULL as a marker the EXPLAIN code understands.
        List<Object> out = new ArrayList<>(params.size());
        for (Object p : params) {
            out.add(p == null ? SqlNull.INSTANCE : p);
        }
        return out;
    }

    /** Stands for a bound SQL NULL in {@link SqlEvent#parameters()}. */
    public enum SqlNull { INSTANCE; @Override public String toString() { return "NULL"; } }

    private static void describe(List<ParameterSetOperation> set, List<Object> params, StringBuilder text) {
        List<ParameterSetOperation> sorted = new ArrayList<>(set);
        sorted.sort(Comparator.comparing(p -> String.valueOf(p.getArgs()[0]), Comparator.comparingInt(String::length)
                .thenComparing(Comparator.naturalOrder())));
        text.append('[');
        boolean first = true;
        for (ParameterSetOperation p : sorted) {
            Object[] args = p.getArgs();
            boolean isNull = p.getMethod().getName().equals("setNull");
            Object value = isNull || args.length < 2 ? null : args[1];
            params.add(value);
            if (!first) {
                text.append(", ");
            }
            first = false;
            String v = value == null ? "NULL" : value instanceof String s ? "'" + s + "'" : String.valueOf(value);
            if (v.length() > MAX_PARAM_CHARS) {
                v = v.substring(0, MAX_PARAM_CHARS) + "…";
            }
            text.append(args[0]).append('=').append(v);
        }
        text.append(']');
    }

    private static String oneLine(String sql) {
        return sql.replaceAll("\\s+", " ").trim();
    }

    @Override
    public void beforeMethod(MethodExecutionContext ctx) {
    }

    @Override
    public void afterMethod(MethodExecutionContext ctx) {
        Object target = ctx.getTarget();
        if (target instanceof java.sql.Connection && ctx.getResult() instanceof java.sql.Statement st) {
            if (statementTimeouts) {
                applyDeadline(st);
            }
            return;
        }
        if (!(target instanceof ResultSet)) {
            return;
        }
        Method m = ctx.getMethod();
        String name = m.getName();
        if (name.equals("next") && Boolean.TRUE.equals(ctx.getResult())) {
            SqlEvent e = openResults.get().get(ctx.getProxy());
            if (e != null) {
                e.addRow();
            }
        } else if (name.equals("close")) {
            openResults.get().remove(ctx.getProxy());
        }
    }
}
