package org.adminconsole.persistence;

/**
 * What the transaction helper needs to know about the database's reachability (implemented by
 * {@code DatabaseHealth}): wait while it reconnects, hear that a connection was lost, and check after the fact
 * whether a commit whose reply was lost happened.
 */
public interface Connectivity {

    /** Whether a commit whose reply never arrived took place. */
    enum CommitOutcome { COMMITTED, NOT_COMMITTED, UNKNOWN }

    /**
     * Returns at once while the database is reachable; while it is being reconnected, waits (at most the
     * connection timeout) and throws {@link DatabaseUnavailableException} if it stays away.
     */
    void awaitAvailable();

    /** An operation failed because its connection, or the database behind it, is gone. */
    void connectionLost(Throwable cause);

    /** Asks the database (once it is back, within a few seconds) whether {@code op}'s commit happened. */
    CommitOutcome checkCommit(Operation op);

    /** For a database that never goes away (tests of the transaction rules alone). */
    Connectivity NONE = new Connectivity() {
        @Override
        public void awaitAvailable() {
        }

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public CommitOutcome checkCommit(Operation op) {
            return CommitOutcome.UNKNOWN;
        }
    };
}
