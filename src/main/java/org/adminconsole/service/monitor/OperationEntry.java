package org.adminconsole.service.monitor;

import java.util.List;
import org.adminconsole.persistence.OperationRecord;
import org.adminconsole.persistence.monitor.OperationStats;
import org.adminconsole.persistence.monitor.SqlEvent;

/**
 * One row of the operations log: what a finished operation did, the statements it ran (as far as the SQL
 * monitor's buffer still held them when it ended) and the warnings the analysis raised. Immutable.
 *
 * @param seq        position in the log (for incremental draining)
 * @param record     the operation's outcome and exact counters
 * @param statements its captured statements, oldest first, at most {@link OperationsLog#MAX_STATEMENTS_PER_ENTRY}
 * @param warnings   explanations of what looks wrong (too many statements, N+1, connection wait)
 */
public record OperationEntry(long seq, OperationRecord record, List<SqlEvent> statements, List<Warning> warnings) {

    /** What kind of problem a warning is about. */
    public enum WarningKind { TOO_MANY_STATEMENTS, N_PLUS_ONE, CONNECTION_WAIT }

    /** A flagged problem with an operator-readable explanation. */
    public record Warning(WarningKind kind, String message) {
    }

    public OperationEntry {
        statements = List.copyOf(statements);
        warnings = List.copyOf(warnings);
    }

    public long id() { return record.id(); }
    public String name() { return record.name(); }
    public OperationStats.Snapshot stats() { return record.stats(); }
    public boolean flagged() { return !warnings.isEmpty(); }

    public boolean has(WarningKind kind) {
        return warnings.stream().anyMatch(w -> w.kind() == kind);
    }

    public double durationMillis() {
        return record.durationNanos() / 1_000_000.0;
    }

    /** "committed", "rolled back", or "failed: message". A successful read shows "ok (read-only)" (reads always end in a rollback by design). */
    public String outcomeText() {
        String text = switch (record.outcome()) {
            case COMMITTED -> record.kind() == org.adminconsole.persistence.Operation.Kind.READ ? "ok (read-only)" : "committed";
            case ROLLED_BACK -> "rolled back" + (record.message() == null ? "" : ": " + record.message());
            case FAILED -> "failed: " + (record.message() == null ? "unknown error" : record.message());
        };
        return record.attempt() > 1 ? text + " (attempt " + record.attempt() + ")" : text;
    }

    /** All warnings in one text, or "" when none. */
    public String warningText() {
        return String.join("\n", warnings.stream().map(Warning::message).toList());
    }
}
