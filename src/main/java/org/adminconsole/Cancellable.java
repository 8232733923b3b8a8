package org.adminconsole;

/**
 * A piece of background work that can be cancelled from another thread, and closed by the thread that ran
 * it when it ends. Lets the UI cancel a task's database work without depending on the persistence layer.
 */
public interface Cancellable extends AutoCloseable {

    /** Does nothing: for work that has no database behind it (or before the application context exists). */
    Cancellable NONE = new Cancellable() {
        @Override
        public void markCancelled() {
        }

        @Override
        public void cancel() {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Marks the work cancelled, in memory only (no I/O: safe on any thread), so that whatever fails next
     * (an interrupted statement, say) is reported as cancelled; {@link #cancel} then stops it.
     */
    void markCancelled();

    /** Cancels the work; may block briefly and talk to the database. Never call it on the FX thread. */
    void cancel();

    @Override
    void close();
}
