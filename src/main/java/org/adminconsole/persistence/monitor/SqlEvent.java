package org.adminconsole.persistence.monitor;

import java.time.Instant;
import java.util.List;

/**
 * One captured JDBC execution. Everything is fixed at capture time except {@link #rows()} for queries,
 * which grows while the caller reads the result set.
 */
public final class SqlEvent {
    private final long seq;
    private final Instant at;
    private final long operationId;
    private final String operationName;
    private final String sql;
    private final List<Object> parameters;
    private final String parameterText;
    private final long durationNanos;
    private final int batchSize;
    private final boolean query;
    private final boolean success;
    private final String error;
    private final boolean slow;
    private volatile long rows;

    SqlEvent(long seq, Instant at, long operationId, String operationName, String sql, List<Object> parameters,
             String parameterText, long durationNanos, int batchSize, boolean query, boolean success, String error,
             boolean slow, long rows) {
        this.seq = seq;
        this.at = at;
        this.operationId = operationId;
        this.operationName = operationName;
        this.sql = sql;
        this.parameters = parameters;
        this.parameterText = parameterText;
        this.durationNanos = durationNanos;
        this.batchSize = batchSize;
        this.query = query;
        this.success = success;
        this.error = error;
        this.slow = slow;
        this.rows = rows;
    }

    public long seq() { return seq; }
    public Instant at() { return at; }
    /** 0 when the statement ran outside any operation (e.g. migrations). */
    public long operationId() { return operationId; }
    public String operationName() { return operationName; }
    public String sql() { return sql; }
    /** Bound values of the first parameter set, in order (for EXPLAIN). */
    public List<Object> parameters() { return parameters; }
    public String parameterText() { return parameterText; }
    public long durationNanos() { return durationNanos; }
    public double durationMillis() { return durationNanos / 1_000_000.0; }
    /** Number of parameter sets for a batch, 1 otherwise. */
    public int batchSize() { return batchSize; }
    public boolean isQuery() { return query; }
    public boolean success() { return success; }
    public String error() { return error; }
    public boolean slow() { return slow; }
    /** Rows read so far (queries) or rows affected (updates, summed over a batch). */
    public long rows() { return rows; }

    void addRow() {
        rows++;
    }

    @Override
    public String toString() {
        return String.format("%s %.2f ms rows=%d batch=%d %s %s", operationName, durationMillis(), rows, batchSize, sql, parameterText);
    }
}
