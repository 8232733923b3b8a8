package org.adminconsole.service.monitor;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import org.adminconsole.persistence.monitor.SqlEvent;
import org.adminconsole.persistence.monitor.SqlMonitor;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.service.ValidationException;

/**
 * Runs the database's EXPLAIN for a captured statement with its captured parameters: {@code EXPLAIN ANALYZE}
 * on both H2 and PostgreSQL (which execute the query to measure it), so only single SELECT statements are
 * accepted, and always inside a read-only operation that ends in a rollback.
 */
public final class ExplainService {

    /** The plan of one statement. */
    public record Plan(String statement, String command, boolean analyzed, String text) {
    }

    private static final int TIMEOUT_SECONDS = 30;

    private final Transactions tx;
    private final boolean postgres;

    public ExplainService(Transactions tx, boolean postgres) {
        this.tx = tx;
        this.postgres = postgres;
    }

    /** Whether the statement can be explained; a reason for the operator otherwise. */
    public static String refusal(SqlEvent e) {
        if (e == null) {
            return "Select a statement first.";
        }
        String sql = e.sql().strip();
        if (!sql.regionMatches(true, 0, "select", 0, 6)) {
            return "EXPLAIN runs the statement (EXPLAIN ANALYZE), so it is offered for SELECT statements only.";
        }
        if (e.batchSize() > 1 || sql.contains(";")) {
            return "EXPLAIN works on one statement; this is a batch of " + e.batchSize() + ".";
        }
        return null;
    }

    public Plan explain(SqlEvent e) {
        String refusal = refusal(e);
        if (refusal != null) {
            throw new ValidationException(Map.of("statement", refusal));
        }
        String prefix = postgres ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ANALYZE ";
        String command = prefix + e.sql().strip();
        List<Object> params = e.parameters();
        String text = tx.read("monitor.explain", s -> s.doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(command)) {
                ps.setQueryTimeout(TIMEOUT_SECONDS);
                for (int i = 0; i < params.size(); i++) {
                    Object p = params.get(i);
                    if (p == SqlMonitor.SqlNull.INSTANCE) {
                        ps.setNull(i + 1, Types.NULL);
                    } else {
                        ps.setObject(i + 1, p);
                    }
                }
                StringBuilder sb = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int col = 1; col <= md.getColumnCount(); col++) {
                            if (col > 1) {
                                sb.append(" | ");
                            }
                            sb.append(rs.getString(col));
                        }
                        sb.append('\n');
                    }
                }
                return sb.toString().stripTrailing();
            }
        }));
        return new Plan(e.sql(), command, true, text);
    }
}
