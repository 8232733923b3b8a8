package org.adminconsole.service.monitor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import org.adminconsole.persistence.JdbcCancel;
import org.adminconsole.persistence.monitor.SqlEvent;
import org.adminconsole.persistence.monitor.SqlMonitor;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.inspect.QueryGate;
import org.adminconsole.service.inspect.ReaderConnections;
import org.adminconsole.service.inspect.SqlConsoleService;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the database's EXPLAIN ANALYZE for a captured statement with its captured parameters. EXPLAIN ANALYZE executes
 * the statement, so it goes through the SQL console's gates: the statement must pass {@link QueryGate} (one query, no
 * locking clause, no denied function), the dialect's own statement count must be 1, and it runs on a reader
 * connection ({@link ReaderConnections}: a login that can only read, in a read-only transaction that is rolled back,
 * with the console's statement timeout). Never on the pool, never as the console's own login.
 */
public final class ExplainService {

    private static final Logger LOG = LoggerFactory.getLogger(ExplainService.class);
    public static final String FIELD = "statement";

    /** The plan of one statement. */
    public record Plan(String statement, String command, boolean analyzed, String text) {
    }

    private final ReaderConnections readers;

    public ExplainService(ReaderConnections readers) {
        this.readers = readers;
    }

    /** Whether the statement can be explained; a reason for the operator otherwise. */
    public static String refusal(SqlEvent e) {
        if (e == null) {
            return "Select a statement first.";
        }
        String sql = e.sql().strip();
        if (!sql.regionMatches(true, 0, "select", 0, 6) && !sql.regionMatches(true, 0, "with", 0, 4)) {
            return "EXPLAIN runs the statement (EXPLAIN ANALYZE), so it is offered for SELECT statements only.";
        }
        if (e.batchSize() > 1) {
            return "EXPLAIN works on one statement; this is a batch of " + e.batchSize() + ".";
        }
        return null;
    }

    public Plan explain(SqlEvent e) {
        String refusal = refusal(e);
        if (refusal != null) {
            throw new ValidationException(Map.of(FIELD, refusal));
        }
        return explain(e.sql(), e.parameters());
    }

    /** EXPLAIN ANALYZE of one query with its parameter values, through the console's gates. */
    public Plan explain(String sql, List<Object> params) {
        QueryGate.check(sql, java.util.Set.of()); // what the parser refuses needs no connection
        Connection c = readers.open();
        try {
            QueryGate.Checked q = readers.check(c, sql);
            if (q.kind() != QueryGate.Kind.QUERY) {
                throw QueryGate.refused("EXPLAIN is added by the console; select the query itself");
            }
            String command = readers.dialect().explainAnalyzePrefix() + q.sql();
            readers.requireOneStatement(c, command);
            try (PreparedStatement ps = readers.prepare(c, command); TaskHandle.Registration reg = JdbcCancel.onTaskCancel(ps)) {
                for (int i = 0; i < params.size(); i++) {
                    Object p = params.get(i);
                    if (p == SqlMonitor.SqlNull.INSTANCE || p == null) {
                        ps.setNull(i + 1, Types.NULL);
                    } else {
                        ps.setObject(i + 1, p);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return new Plan(sql, command, true, SqlConsoleService.readPlan(rs, " | "));
                }
            }
        } catch (SQLException ex) {
            if (TaskHandle.current().isCancelled()) {
                throw new CancelledException("EXPLAIN cancelled.", ex);
            }
            throw readers.translate(ex);
        } catch (OutOfMemoryError ex) {
            throw new ValidationException(FIELD, "The plan is too large for the console's memory.");
        } catch (ValidationException | CancelledException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            LOG.warn("EXPLAIN failed", ex);
            throw new ValidationException(FIELD, "EXPLAIN failed: " + ex.getClass().getSimpleName());
        } finally {
            ReaderConnections.release(c);
        }
    }
}
