package org.adminconsole.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.adminconsole.support.TaskHandle;

/** Runs service calls the way the task runner does: on another thread, under a {@link TaskHandle}. */
public final class Tasks {

    private Tasks() {
    }

    /** A handle whose progress goes to {@code progress} (done, total). */
    public static TaskHandle handle(String name, BiConsumer<Long, Long> progress) {
        TaskHandle h = new TaskHandle(name);
        h.setListener(new TaskHandle.Listener() {
            @Override
            public void progress(long done, long total) {
                progress.accept(done, total);
            }

            @Override
            public void message(String text) {
            }
        });
        return h;
    }

    /** Starts {@code work} on a new thread under {@code handle}. */
    public static <T> CompletableFuture<T> start(TaskHandle handle, Callable<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(handle.run(work));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "test-task-" + handle.name());
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Runs {@code work} on this thread under {@code handle}. */
    public static <T> T run(TaskHandle handle, Callable<T> work) throws Exception {
        return handle.run(work);
    }
}
