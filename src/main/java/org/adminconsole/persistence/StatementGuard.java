package org.adminconsole.persistence;

import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Hibernate's statement inspector for one operation: sees every SQL string before it is prepared. Refuses the
 * next statement of a cancelled operation or one past its deadline, and data-changing SQL in read-only work
 * (a read operation, or a read joined to a write, outside the write's own flushes).
 */
final class StatementGuard implements UnaryOperator<String> {

    private static final Pattern WRITE_SQL = Pattern.compile(
            "^\\s*(/\\*.*?\\*/\\s*)*(insert|update|delete|merge|upsert|create|drop|alter|truncate|grant|revoke|call)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    /** A sequence advance survives a rollback: a write as far as a read-only operation is concerned. */
    private static final Pattern SEQUENCE_ADVANCE = Pattern.compile("\\bnextval\\s*\\(|\\bnext\\s+value\\s+for\\b",
            Pattern.CASE_INSENSITIVE);

    private final Operation op;

    StatementGuard(Operation op) {
        this.op = op;
    }

    @Override
    public String apply(String sql) {
        check(op);
        if (op.inReadOnlyScope() && !op.isFlushing() && (WRITE_SQL.matcher(sql).find() || SEQUENCE_ADVANCE.matcher(sql).find())) {
            throw new ReadOnlyViolationException("Operation " + op.label()
                    + " is read-only and cannot run a data-changing statement; nothing was written.");
        }
        return sql;
    }

    /** Refuses further work of a cancelled operation, or one past its deadline. */
    static void check(Operation op) {
        if (op.isCancelled()) {
            throw OperationCancelledException.of(op, null);
        }
        if (op.remainingNanos() <= 0) {
            throw new OperationTimeoutException("Operation " + op.label() + " ran past its deadline ("
                    + op.elapsedNanos() / 1_000_000 + " ms); nothing was changed.", null);
        }
    }
}
