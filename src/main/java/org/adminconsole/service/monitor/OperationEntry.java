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
 * @param running    still running: {@code record} is a snapshot of its counters so far, its outcome means nothing yet
 */
public record OperationEntry(long seq, OperationRecord record, List<SqlEvent> statements, List<Warning> warnings,
                             boolean running) {

    /** What the row is, as the operator reads it (and as it is styled). */
    public enum Status {
        RUNNING("running"), OK("ok"), COMMITTED("committed"), DRY_RUN("dry run"), CANCELLED("cancelled"),
        ROLLED_BACK("rolled back"), FAILED("failed");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        /** The style class of a row with this status ({@code operation-dry-run}, …). */
        public String styleClass() {
            return "operation-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        public String text() {
            return text;
        }
    }

    /** What kind of problem a warning is about. */
    public enum WarningKind { TOO_MANY_STATEMENTS, N_PLUS_ONE, CONNECTION_WAIT }

    /** A flagged problem with an operator-readable explanation. */
    public record Warning(WarningKind kind, String message) {
    }

    public OperationEntry {
        statements = List.copyOf(statements);
        warnings = List.copyOf(warnings);
    }

    public OperationEntry(long seq, OperationRecord record, List<SqlEvent> statements, List<Warning> warnings) {
        this(seq, record, statements, warnings, false);
    }

    /** A running operation as it stands now (its counters so far; no statements or warnings yet). */
    public static OperationEntry running(org.adminconsole.persistence.Operation op) {
        OperationRecord now = new OperationRecord(op.id(), op.name(), op.kind(), op.startedAt(), op.elapsedNanos(),
                OperationRecord.Outcome.ROLLED_BACK, null, op.stats().snapshot(), List.of(), java.util.Set.of(),
                java.util.Set.of(), op.attempt(), op.isDryRun(), false);
        return new OperationEntry(0, now, List.of(), List.of(), true);
    }

    public Status status() {
        if (running) {
            return Status.RUNNING;
        }
        return switch (record.outcome()) {
            case COMMITTED -> record.kind() == org.adminconsole.persistence.Operation.Kind.READ ? Status.OK : Status.COMMITTED;
            case ROLLED_BACK -> record.dryRun() ? Status.DRY_RUN : record.cancelled() ? Status.CANCELLED : Status.ROLLED_BACK;
            case FAILED -> Status.FAILED;
        };
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

    /**
     * "running…", "committed", "dry run (rolled back)", "cancelled", "rolled back: why", or "failed: message". A
     * successful read shows "ok (read-only)" (reads always end in a rollback by design).
     */
    public String outcomeText() {
        String text = switch (status()) {
            case RUNNING -> "running…";
            case OK -> "ok (read-only)";
            case COMMITTED -> "committed";
            case DRY_RUN -> "dry run (rolled back, as planned)";
            case CANCELLED -> "cancelled (rolled back)";
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
