package org.adminconsole.persistence;

import java.sql.Savepoint;
import org.adminconsole.persistence.audit.ChangeSet;
import org.hibernate.FlushMode;
import org.hibernate.Session;

/**
 * A call made while an operation runs on the same thread: it either gets what its options ask for, or fails
 * loudly (and, when joined, makes the running operation roll back). Nothing is silently dropped.
 *
 * <ul>
 *   <li><b>Joined (REQUIRED)</b>: same session and transaction. A shorter timeout applies for the call's duration,
 *       a flush mode too; a read joined to a write may not insert, delete or run data-changing SQL itself. Refused:
 *       a write inside a read, a dry run inside a real write (its rollback would be lost), a different isolation
 *       level, a longer timeout than the running operation has left, retries.</li>
 *   <li><b>Nested (NESTED)</b>: a savepoint. A failure rolls back this unit only (its audit changes and callbacks
 *       included) and the running operation goes on; a nested dry run always rolls back to its savepoint. After a
 *       rollback the session is cleared: entities loaded before are detached, so re-read what you need.</li>
 * </ul>
 */
final class JoinedCall {

    private JoinedCall() {
    }

    static <T> T join(Operation outer, TxOptions o, Transactions.Work<T> work, Dialect dialect) {
        refuseConflicts(outer, o, false);
        Session s = outer.session();
        long savedDeadline = outer.deadlineNanos();
        FlushMode savedFlush = s.getHibernateFlushMode();
        boolean readScope = o.kind() == Operation.Kind.READ && !outer.readOnly();
        if (o.timeout() != null) {
            outer.setDeadlineNanos(System.nanoTime() + o.timeout().toNanos());
            statementTimeout(s, dialect, o.timeout().toMillis());
        }
        if (o.flushMode() != null && !outer.readOnly()) {
            s.setHibernateFlushMode(o.flushMode());
        }
        if (readScope) {
            outer.enterReadOnlyScope();
        }
        try {
            return work.run(s);
        } catch (Exception | Error e) {
            outer.markRollbackOnly("inner operation '" + o.name() + "' failed: " + e.getMessage(), e);
            throw Failures.propagate(e, o.name());
        } finally {
            if (readScope) {
                outer.leaveReadOnlyScope();
            }
            if (s.isOpen()) {
                s.setHibernateFlushMode(savedFlush);
            }
            outer.setDeadlineNanos(savedDeadline);
            if (o.timeout() != null && s.isOpen() && !outer.isRollbackOnly()) {
                statementTimeout(s, dialect, Math.max(1, outer.remainingNanos() / 1_000_000));
            }
        }
    }

    /** Where the server times statements (PostgreSQL): the call's deadline for its statements, then the outer one again. */
    private static void statementTimeout(Session s, Dialect dialect, long millis) {
        String sql = dialect.statementTimeoutSql(millis);
        if (sql != null) {
            s.doWork(c -> {
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute(sql);
                }
            });
        }
    }

    static <T> T nested(Operation outer, TxOptions o, Transactions.Work<T> work, Dialect dialect) {
        if (outer.readOnly()) {
            return join(outer, o, work, dialect); // nothing to undo in a read
        }
        refuseConflicts(outer, o, true);
        Session s = outer.session();
        s.flush();
        outer.changeSet().resolvePendingInserts(e -> s.contains(e) ? s.getIdentifier(e) : null);
        ChangeSet.Mark mark = outer.changeSet().mark();
        int callbacks = outer.afterCommitCallbacks().size();
        Savepoint sp = s.doReturningWork(c -> c.setSavepoint());
        long savedDeadline = outer.deadlineNanos();
        if (o.timeout() != null) {
            outer.setDeadlineNanos(System.nanoTime() + o.timeout().toNanos());
        }
        try {
            T result = work.run(s);
            s.flush();
            outer.changeSet().resolvePendingInserts(e -> s.contains(e) ? s.getIdentifier(e) : null);
            if (o.dryRun()) {
                rollbackTo(s, sp, outer, mark, callbacks);
            } else {
                s.doWork(c -> c.releaseSavepoint(sp));
            }
            return result;
        } catch (Exception | Error e) {
            if (outer.isCancelled()) {
                throw Failures.propagate(e, o.name()); // the whole operation ends: its rollback covers this unit
            }
            rollbackTo(s, sp, outer, mark, callbacks);
            throw Failures.propagate(e, o.name());
        } finally {
            outer.setDeadlineNanos(savedDeadline);
        }
    }

    private static void rollbackTo(Session s, Savepoint sp, Operation outer, ChangeSet.Mark mark, int callbacks) {
        s.doWork(c -> c.rollback(sp));
        outer.changeSet().restore(mark);
        outer.truncateAfterCommit(callbacks);
        s.clear(); // the rolled-back unit's entity states are not in the database any more
        HibernateInternals.clearRollbackOnly(s); // the unit's failure marked the whole transaction; the savepoint undid it
    }

    private static void refuseConflicts(Operation outer, TxOptions o, boolean nested) {
        String problem = null;
        if (outer.kind() == Operation.Kind.BULK) {
            problem = "cannot join bulk operation " + outer.label() + " (it has no stateful session)";
        } else if (outer.readOnly() && o.kind() != Operation.Kind.READ) {
            ReadOnlyViolationException e = new ReadOnlyViolationException("Write operation '" + o.name()
                    + "' cannot run inside read-only operation " + outer.label() + "; nothing was written.");
            outer.markRollbackOnly(e.getMessage(), e);
            throw e;
        } else if (o.dryRun() && !nested && !outer.isDryRunOperation()) {
            problem = "is a dry run and cannot join the running write " + outer.label()
                    + ": its rollback would be lost. Run it on its own, or NESTED (under a savepoint)";
        } else if (o.isolation() != null && !o.isolation().equals(outer.isolation())) {
            problem = "asks for isolation level " + o.isolation() + " but joins " + outer.label()
                    + ", whose isolation is fixed; run it REQUIRES_NEW";
        } else if (o.retries() > 0) {
            problem = "asks for retries, which only an outermost operation can do; it joins " + outer.label();
        } else if (o.timeout() != null && System.nanoTime() + o.timeout().toNanos() > outer.deadlineNanos()) {
            problem = "asks for " + o.timeout().toSeconds() + " s but joins " + outer.label() + ", which must end within "
                    + Math.max(0, outer.remainingNanos() / 1_000_000_000) + " s; run it REQUIRES_NEW or give the outer operation more time";
        }
        if (problem != null) {
            IllegalStateException e = new IllegalStateException("Operation '" + o.name() + "' " + problem + ".");
            outer.markRollbackOnly(e.getMessage(), e);
            throw e;
        }
    }
}
