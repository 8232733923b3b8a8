package org.adminconsole.support;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one cancellation model of the console: every piece of background work runs under a handle.
 *
 * <ul>
 *   <li>The work reads its handle with {@link #current()} (bound to the thread while it runs), reports
 *       {@link #progress} and {@link #message}, and checks {@link #throwIfCancelled()} between units of work.</li>
 *   <li>Whatever is running in the database registers a cancel hook ({@link #onCancel}): the transaction helper
 *       registers each operation (its statement is cancelled with {@code Statement.cancel}), raw JDBC code its
 *       statement.</li>
 *   <li>{@link #cancel()} marks the handle and runs the hooks, and keeps running them every
 *       {@value #REPEAT_MS} ms until the work has ended (a cancel that lands between two statements is otherwise
 *       lost: databases reset it when the next statement starts). Operations the work starts afterwards are
 *       refused before their first statement.</li>
 *   <li><b>No thread is ever interrupted.</b> H2 reads its file through an interruptible channel: an interrupt
 *       closes the channel and H2 closes the whole database.</li>
 * </ul>
 */
public final class TaskHandle {

    private static final Logger LOG = LoggerFactory.getLogger(TaskHandle.class);
    static final long REPEAT_MS = 100;
    private static final long REPEAT_FOR_MS = 30_000;
    private static final ThreadLocal<TaskHandle> CURRENT = new ThreadLocal<>();
    private static final ScheduledExecutorService REPEATS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "task-cancel");
        t.setDaemon(true);
        return t;
    });

    /** Receives progress and messages (the task runner forwards them to the JavaFX task). */
    public interface Listener {
        void progress(long done, long total);

        void message(String text);
    }

    /** A registered cancel hook; closing it waits for a hook call in progress, after which none follows. */
    public final class Registration implements AutoCloseable {
        private final Runnable hook;
        private boolean closed;

        private Registration(Runnable hook) {
            this.hook = hook;
        }

        private synchronized void fire() {
            if (!closed) {
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    LOG.debug("A cancel hook of '{}' failed", name, e);
                }
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            hooks.remove(this);
        }
    }

    private final String name;
    private final List<Registration> hooks = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;
    private volatile boolean done;
    private volatile Listener listener;

    public TaskHandle(String name) {
        this.name = name;
    }

    /** The handle of the work running on this thread; a fresh, never-cancelled one when there is none. */
    public static TaskHandle current() {
        TaskHandle h = CURRENT.get();
        return h != null ? h : new TaskHandle("(no task)");
    }

    /** Whether a handle is bound to this thread. */
    public static boolean bound() {
        return CURRENT.get() != null;
    }

    /** Runs {@code work} on this thread with this handle bound; the handle is done afterwards. */
    public <T> T run(Callable<T> work) throws Exception {
        TaskHandle previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.call();
        } finally {
            done = true;
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    public String name() {
        return name;
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    public void progress(long done, long total) {
        Listener l = listener;
        if (l != null) {
            l.progress(done, total);
        }
    }

    public void message(String text) {
        Listener l = listener;
        if (l != null) {
            l.message(text);
        }
    }

    /** Registers {@code hook} (e.g. cancel a statement); runs it at once when the handle is already cancelled. */
    public Registration onCancel(Runnable hook) {
        Registration r = new Registration(hook);
        hooks.add(r);
        if (cancelled) {
            r.fire();
        }
        return r;
    }

    /**
     * Cancels the work: marks the handle (in memory) and runs the hooks now and then every {@value #REPEAT_MS} ms
     * until the work has ended. Hooks may talk to the database (PostgreSQL opens a connection to cancel), so do not
     * call this on the JavaFX thread; {@link #markCancelled()} is safe anywhere.
     */
    public void cancel() {
        markCancelled();
        fireHooks();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPEAT_FOR_MS);
        scheduleRepeat(until);
    }

    private void scheduleRepeat(long until) {
        if (done || System.nanoTime() > until) {
            return;
        }
        try {
            REPEATS.schedule(() -> {
                fireHooks();
                scheduleRepeat(until);
            }, REPEAT_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.debug("Cannot repeat the cancel of '{}'", name, e);
        }
    }

    private void fireHooks() {
        for (Registration r : hooks) {
            if (done) {
                return;
            }
            r.fire();
        }
    }

    /** Marks the handle cancelled without touching the database: what the work does next is refused. */
    public void markCancelled() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public boolean isDone() {
        return done;
    }

    /** Whether something (a statement, an operation) is registered to be cancelled right now. */
    public boolean hasCancelHooks() {
        return !hooks.isEmpty();
    }

    /** Throws {@link CancelledException} when the handle was cancelled. */
    public void throwIfCancelled() {
        if (cancelled) {
            throw new CancelledException(name + " was cancelled.");
        }
    }

    @Override
    public String toString() {
        return "TaskHandle[" + name + (cancelled ? ", cancelled" : "") + (done ? ", done" : "") + "]";
    }
}
