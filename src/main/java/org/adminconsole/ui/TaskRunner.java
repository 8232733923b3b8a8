package org.adminconsole.ui;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.concurrent.Task;
import org.adminconsole.Cancellable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every database call of the UI as a {@link Task} on a small daemon pool, never on the FX thread.
 * Keeps a count of running tasks (for the progress indicator) and a status line; turns failures into
 * operator messages ({@link UiMessages}) with the detail in the log; cancels superseded tasks by key.
 */
public final class TaskRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

    private final ExecutorService executor;
    private final IntegerProperty running = new SimpleIntegerProperty(0);
    private final StringProperty status = new SimpleStringProperty("Ready");
    private final Map<String, Task<?>> latestByKey = new ConcurrentHashMap<>();
    private final Supplier<Cancellable> scopes;
    private final ExecutorService canceller = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "console-task-cancel");
        t.setDaemon(true);
        return t;
    });

    public TaskRunner(int threads) {
        this(threads, () -> Cancellable.NONE);
    }

    /**
     * {@code scopes} opens, on the worker thread at the start of each task, the scope through which a
     * cancelled or superseded task also stops its database work.
     */
    public TaskRunner(int threads, Supplier<Cancellable> scopes) {
        this.scopes = scopes;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "console-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(Math.max(1, threads), tf);
    }

    public ReadOnlyIntegerProperty runningProperty() { return running; }
    public ReadOnlyStringProperty statusProperty() { return status; }

    /** Sets the status line (FX thread). */
    public void setStatus(String text) {
        status.set(text);
    }

    /**
     * Runs {@code work} in the background. {@code onSuccess} and {@code onFailure} run on the FX thread;
     * the failure handler gets an operator message (the exception is logged here, once).
     */
    public <T> Task<T> run(String description, Callable<T> work, Consumer<T> onSuccess, Consumer<String> onFailure) {
        return submit(null, description, work, onSuccess, onFailure);
    }

    /** Like {@link #run}, but first cancels the previous task with the same key (e.g. a superseded search). */
    public <T> Task<T> runLatest(String key, String description, Callable<T> work, Consumer<T> onSuccess, Consumer<String> onFailure) {
        return submit(key, description, work, onSuccess, onFailure);
    }

    private <T> Task<T> submit(String key, String description, Callable<T> work, Consumer<T> onSuccess, Consumer<String> onFailure) {
        Task<T> task = new Task<>() {
            private volatile Cancellable scope;

            @Override
            protected T call() throws Exception {
                try (Cancellable s = scopes.get()) {
                    scope = s;
                    if (isCancelled()) {
                        s.markCancelled(); // cancelled before the scope existed: its operations are refused
                    }
                    return work.call();
                } finally {
                    scope = null;
                }
            }

            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                Cancellable s = scope;
                if (s != null) {
                    s.markCancelled(); // before the interrupt: a statement it breaks counts as cancelled
                }
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                if (cancelled && s != null) {
                    // Statement.cancel may talk to the server (PostgreSQL opens a connection): never on the FX thread
                    canceller.execute(() -> {
                        try {
                            s.cancel();
                        } catch (RuntimeException e) {
                            LOG.debug("Cancelling the database work of '{}' failed", description, e);
                        }
                    });
                }
                return cancelled;
            }
        };
        if (key != null) {
            Task<?> previous = latestByKey.put(key, task);
            if (previous != null) {
                previous.cancel(true);
            }
        }
        runOnFx(() -> {
            running.set(running.get() + 1);
            status.set(description + "…");
        });
        task.setOnSucceeded(e -> {
            finished(key, task);
            status.set(description + ": done");
            if (onSuccess != null) {
                onSuccess.accept(task.getValue());
            }
        });
        task.setOnFailed(e -> {
            finished(key, task);
            Throwable ex = task.getException();
            String message = UiMessages.forOperator(ex);
            LOG.warn("Background task '{}' failed: {}", description, message, ex);
            status.set(description + " failed: " + message);
            if (onFailure != null) {
                onFailure.accept(message);
            }
        });
        task.setOnCancelled(e -> {
            finished(key, task);
            status.set(description + ": cancelled");
        });
        executor.execute(task);
        return task;
    }

    private void finished(String key, Task<?> task) {
        running.set(Math.max(0, running.get() - 1));
        if (key != null) {
            latestByKey.remove(key, task);
        }
    }

    private static void runOnFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }

    @Override
    public void close() {
        canceller.shutdownNow();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
