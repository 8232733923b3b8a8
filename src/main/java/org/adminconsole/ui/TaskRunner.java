package org.adminconsole.ui;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.concurrent.Task;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.FailureLog;
import org.adminconsole.support.TaskHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs every database call of the UI as a {@link Task} on a small daemon pool, never on the FX thread.
 *
 * <ul>
 *   <li>Each task runs under a {@link TaskHandle}: progress and messages reach the task's properties; cancelling
 *       the task (or superseding it with a newer one of the same key) cancels its statement in the database and
 *       refuses its next operations. <b>No worker thread is ever interrupted</b> (an interrupt inside H2 closes the
 *       database), so {@code cancel(true)} means the same as {@code cancel(false)} here.</li>
 *   <li>Keeps a count of running tasks (progress indicator), a status line, and which of them write (closing the
 *       window asks first while one runs).</li>
 *   <li>Failures become operator messages ({@link UiMessages}); a failure is logged once: refusals, conflicts,
 *       cancellations and outages in one line, anything unexpected with its stack trace.</li>
 * </ul>
 */
public final class TaskRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

    private final ExecutorService executor;
    private final ExecutorService canceller = Executors.newSingleThreadExecutor(r -> daemon(r, "console-task-cancel"));
    private final IntegerProperty running = new SimpleIntegerProperty(0);
    private final StringProperty status = new SimpleStringProperty("Ready");
    private final Map<String, ConsoleTask<?>> latestByKey = new ConcurrentHashMap<>();
    private final Set<ConsoleTask<?>> writes = ConcurrentHashMap.newKeySet();
    private final Set<ConsoleTask<?>> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public TaskRunner(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(Math.max(1, threads), r -> daemon(r, "console-task-" + n.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public ReadOnlyIntegerProperty runningProperty() { return running; }
    public ReadOnlyStringProperty statusProperty() { return status; }

    /** Sets the status line (FX thread). */
    public void setStatus(String text) {
        status.set(text);
    }

    /** Descriptions of the writes running now (FX thread): closing the window asks first while there are any. */
    public java.util.List<String> runningWrites() {
        return writes.stream().map(ConsoleTask::description).sorted().toList();
    }

    /** Runs {@code work}; {@code onSuccess} and {@code onFailure} (an operator message) run on the FX thread. */
    public <T> Task<T> run(String description, Callable<T> work, Consumer<T> onSuccess, Consumer<String> onFailure) {
        return job(description, work).onSuccess(onSuccess).onFailure(onFailure).start();
    }

    /** Like {@link #run}, but first cancels the previous task with the same key (e.g. a superseded search). */
    public <T> Task<T> runLatest(String key, String description, Callable<T> work, Consumer<T> onSuccess, Consumer<String> onFailure) {
        return job(description, work).key(key).onSuccess(onSuccess).onFailure(onFailure).start();
    }

    /** A task to configure and {@link Job#start()}. */
    public <T> Job<T> job(String description, Callable<T> work) {
        return new Job<>(description, work);
    }

    /** The options of one task; callbacks run on the FX thread. */
    public final class Job<T> {
        private final String description;
        private final Callable<T> work;
        private String key;
        private boolean write;
        private boolean quiet;
        private Consumer<T> onSuccess = v -> { };
        private Consumer<String> onFailure = m -> { };
        private Runnable onCancelled = () -> { };

        private Job(String description, Callable<T> work) {
            this.description = description;
            this.work = work;
        }

        /** A newer task with the same key cancels this one. */
        public Job<T> key(String k) { this.key = k; return this; }
        /** A background refresh the operator did not ask for: it leaves the status line alone. */
        public Job<T> quiet() { this.quiet = true; return this; }
        /** The task changes data: closing the window while it runs asks first. */
        public Job<T> write() { this.write = true; return this; }
        public Job<T> onSuccess(Consumer<T> c) { if (c != null) { this.onSuccess = c; } return this; }
        public Job<T> onFailure(Consumer<String> c) { if (c != null) { this.onFailure = c; } return this; }
        public Job<T> onCancelled(Runnable r) { if (r != null) { this.onCancelled = r; } return this; }

        public Task<T> start() {
            return submit(this);
        }
    }

    /** A JavaFX task whose cancel goes through its {@link TaskHandle}, never through an interrupt. */
    private final class ConsoleTask<T> extends Task<T> {
        private final Job<T> job;
        private final TaskHandle handle;
        /** Replaced by a newer task with the same key: it ends silently (no status, no callbacks). */
        private volatile boolean superseded;

        ConsoleTask(Job<T> job) {
            this.job = job;
            this.handle = new TaskHandle(job.description);
            handle.setListener(new TaskHandle.Listener() {
                @Override
                public void progress(long done, long total) {
                    updateProgress(done, total);
                }

                @Override
                public void message(String text) {
                    updateMessage(text);
                }
            });
        }

        String description() { return job.description; }

        @Override
        protected T call() throws Exception {
            MDC.put("task", job.description);
            try {
                return handle.run(job.work);
            } finally {
                MDC.remove("task");
            }
        }

        /**
         * Cancels through the handle only: the work stops at its next check or when its statement is cancelled,
         * and the task then ends as cancelled (or, when the cancel came too late, as done: the truth either way).
         * The JavaFX task is not cancelled itself, because that would report "cancelled" while the work still runs.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (isDone()) {
                return false;
            }
            handle.markCancelled(); // first: whatever fails next in the work counts as cancelled
            if (!closed) {
                try {
                    // Statement.cancel may talk to the server (PostgreSQL opens a connection): never on the FX thread
                    canceller.execute(handle::cancel);
                } catch (RejectedExecutionException e) {
                    LOG.debug("Cancel of '{}' not sent: the runner is closing", job.description);
                }
            }
            return true;
        }
    }

    private <T> Task<T> submit(Job<T> job) {
        ConsoleTask<T> task = new ConsoleTask<>(job);
        if (job.key != null) {
            ConsoleTask<?> previous = latestByKey.put(job.key, task);
            if (previous != null) {
                previous.superseded = true;
                previous.cancel();
            }
        }
        if (closed) {
            LOG.debug("Task '{}' not started: the window is closing", job.description);
            return task;
        }
        active.add(task);
        if (job.write) {
            writes.add(task);
        }
        runOnFx(() -> {
            running.set(running.get() + 1);
            if (!job.quiet) {
                status.set(job.description + "…");
                // what a long task says it is doing (e.g. the first start's demo users) shows while it runs
                task.messageProperty().addListener((o, was, text) -> {
                    if (text != null && !text.isBlank() && task.isRunning() && !task.superseded) {
                        status.set(text);
                    }
                });
            }
        });
        task.setOnSucceeded(e -> {
            finished(job, task);
            if (task.superseded) {
                return;
            }
            if (!job.quiet) {
                status.set(job.description + ": done");
            }
            job.onSuccess.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            finished(job, task);
            Throwable ex = task.getException();
            if (task.superseded) {
                return;
            }
            if (ex instanceof CancelledException || task.handle.isCancelled()) {
                status.set(job.description + ": cancelled");
                job.onCancelled.run();
                return;
            }
            String message = UiMessages.forOperator(ex);
            logOnce(job.description, message, ex);
            status.set(job.description + " failed: " + message);
            job.onFailure.accept(message);
        });
        task.setOnCancelled(e -> {
            finished(job, task);
            status.set(job.description + ": cancelled");
            job.onCancelled.run();
        });
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Task '{}' not started: the window is closing", job.description);
        }
        return task;
    }

    private static void logOnce(String description, String message, Throwable ex) {
        if (FailureLog.wasLogged(ex)) {
            LOG.debug("Background task '{}' failed: {}", description, message);
        } else if (UiMessages.isExpected(ex)) {
            LOG.info("Background task '{}' failed: {}", description, message);
        } else {
            FailureLog.markLogged(ex);
            LOG.error("Background task '{}' failed: {}", description, message, ex);
        }
    }

    private void finished(Job<?> job, ConsoleTask<?> task) {
        running.set(Math.max(0, running.get() - 1));
        writes.remove(task);
        active.remove(task);
        if (job.key != null) {
            latestByKey.remove(job.key, task);
        }
    }

    private static void runOnFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }

    /**
     * Stops accepting tasks, cancels the running ones through their handles (no interrupts) and waits a few
     * seconds for them to end, so that their connections go back before the database closes.
     */
    @Override
    public void close() {
        closed = true;
        active.forEach(t -> t.handle.cancel());
        executor.shutdown();
        canceller.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Background tasks still running after 10 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
