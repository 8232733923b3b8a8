package org.adminconsole.service.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.adminconsole.persistence.OperationRecord;
import org.adminconsole.persistence.monitor.SqlEvent;

/**
 * Looks at one finished operation and its statements and explains what looks wrong:
 * <ul>
 *   <li>more statements than the threshold;</li>
 *   <li>N+1 (not for bulk operations, which work chunk by chunk by design): the same parameterised SELECT run again and again with a different key each time (entities or a
 *       lazy collection fetched one by one in a loop), at least {@code nPlusOneThreshold} distinct keys;</li>
 *   <li>a wait for a pooled connection longer than the threshold.</li>
 * </ul>
 * Thresholds are changeable at run time. Thread-safe.
 */
public final class OperationAnalyzer {

    /** Parameter sets larger than this are not "a key" (an IN list or a search form, not a loop). */
    private static final int MAX_KEY_PARAMETERS = 3;

    private volatile int statementThreshold;
    private volatile int nPlusOneThreshold;
    private volatile Duration connectionWaitThreshold;
    private final int poolMax;

    public OperationAnalyzer(int statementThreshold, int nPlusOneThreshold, Duration connectionWaitThreshold, int poolMax) {
        setStatementThreshold(statementThreshold);
        setNPlusOneThreshold(nPlusOneThreshold);
        setConnectionWaitThreshold(connectionWaitThreshold);
        this.poolMax = poolMax;
    }

    public int statementThreshold() { return statementThreshold; }
    public int nPlusOneThreshold() { return nPlusOneThreshold; }
    public Duration connectionWaitThreshold() { return connectionWaitThreshold; }

    public void setStatementThreshold(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("statement threshold must be at least 1");
        }
        statementThreshold = n;
    }

    /** From the operator's text field; a clear message on the field when it is not a whole number >= 1. */
    public int setStatementThreshold(String text) {
        int n;
        try {
            n = Integer.parseInt(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw new org.adminconsole.service.ValidationException("statementThreshold",
                    "Enter a whole number of statements, e.g. 50.");
        }
        if (n < 1 || n > 1_000_000) {
            throw new org.adminconsole.service.ValidationException("statementThreshold",
                    "The threshold must be between 1 and 1000000 statements.");
        }
        setStatementThreshold(n);
        return n;
    }

    public void setNPlusOneThreshold(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("N+1 threshold must be at least 2");
        }
        nPlusOneThreshold = n;
    }

    public void setConnectionWaitThreshold(Duration d) {
        connectionWaitThreshold = d;
    }

    public List<OperationEntry.Warning> analyze(OperationRecord rec, List<SqlEvent> statements) {
        List<OperationEntry.Warning> out = new ArrayList<>();
        long count = rec.stats().statements();
        if (count > statementThreshold) {
            out.add(new OperationEntry.Warning(OperationEntry.WarningKind.TOO_MANY_STATEMENTS,
                    "Issued " + count + " statements (threshold " + statementThreshold + "). Each statement is a round trip"
                            + " to the database; load what the operation needs in fewer queries (joins, IN lists, JDBC batches)."));
        }
        if (rec.kind() != org.adminconsole.persistence.Operation.Kind.BULK) {
            // bulk work (seeding, bulk actions) reads and writes chunk by chunk by design: a key per chunk is no loop
            nPlusOne(statements).ifPresent(out::add);
        }
        long waitNanos = rec.stats().connectionWaitNanos();
        if (waitNanos > 0 && waitNanos >= connectionWaitThreshold.toNanos()) {
            out.add(new OperationEntry.Warning(OperationEntry.WarningKind.CONNECTION_WAIT,
                    String.format(Locale.ROOT, "Waited %.1f ms for a database connection (threshold %d ms, pool max %d)."
                            + " The pool was busy: other operations held all connections. Shorten long operations or raise pool.maxSize.",
                            waitNanos / 1e6, connectionWaitThreshold.toMillis(), poolMax)));
        }
        return out;
    }

    private java.util.Optional<OperationEntry.Warning> nPlusOne(List<SqlEvent> statements) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (SqlEvent e : statements) {
            if (!isSelect(e) || e.batchSize() > 1 || e.parameters().isEmpty() || e.parameters().size() > MAX_KEY_PARAMETERS) {
                continue;
            }
            groups.computeIfAbsent(e.sql(), k -> new Group()).add(e);
        }
        Group worst = null;
        String worstSql = null;
        for (Map.Entry<String, Group> g : groups.entrySet()) {
            if (g.getValue().keys.size() >= nPlusOneThreshold && (worst == null || g.getValue().count > worst.count)) {
                worst = g.getValue();
                worstSql = g.getKey();
            }
        }
        if (worst == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new OperationEntry.Warning(OperationEntry.WarningKind.N_PLUS_ONE,
                "N+1 pattern: the same SELECT ran " + worst.count + " times, each with a different key (" + worst.keys.size()
                        + " distinct), e.g. " + worst.example + ": " + shorten(worstSql)
                        + ". A query ran in a loop, typically entities or a lazy collection fetched one by one. Load them"
                        + " together: a join fetch (select u from User u left join fetch u.departments), batch fetching,"
                        + " or one query with an IN list."));
    }

    private static boolean isSelect(SqlEvent e) {
        String s = e.sql().stripLeading();
        return s.regionMatches(true, 0, "select", 0, 6);
    }

    private static String shorten(String sql) {
        String one = sql.replaceAll("\\s+", " ").trim();
        return one.length() <= 160 ? one : one.substring(0, 157) + "…";
    }

    private static final class Group {
        int count;
        final Set<List<Object>> keys = new HashSet<>();
        String example;

        void add(SqlEvent e) {
            count++;
            keys.add(e.parameters());
            if (example == null) {
                example = e.parameterText();
            }
        }
    }
}
