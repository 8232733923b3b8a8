package org.adminconsole.support;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * An {@link Executor} that starts what it is given on a thread of its own once {@link #release released}, or after
 * {@code maxHold} at the latest. The console builds Hibernate on one: on two cores, the build (seconds of class loading)
 * competed with the first frame and the first data, which no longer need it; it now starts as soon as the first data is
 * shown (StartupBench, issue 14).
 */
public final class DeferredStart implements Executor {

    private final String threadName;
    private final Duration maxHold;
    private Runnable held;
    private boolean released;

    public DeferredStart(String threadName, Duration maxHold) {
        this.threadName = threadName;
        this.maxHold = maxHold;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (!released) {
                if (held != null) {
                    throw new IllegalStateException(threadName + " was already given its task");
                }
                held = task;
                CompletableFuture.runAsync(this::release, CompletableFuture.delayedExecutor(maxHold.toMillis(), TimeUnit.MILLISECONDS));
                return;
            }
        }
        start(task);
    }

    /** Starts the held task now (or the next one given at once); idempotent. */
    public void release() {
        Runnable task;
        synchronized (this) {
            released = true;
            task = held;
            held = null;
        }
        if (task != null) {
            start(task);
        }
    }

    private void start(Runnable task) {
        Thread t = new Thread(task, threadName);
        t.setDaemon(true);
        t.start();
    }
}
