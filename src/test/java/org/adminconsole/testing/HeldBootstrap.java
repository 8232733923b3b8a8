package org.adminconsole.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Where a test builds Hibernate ({@code AppContext.startBeforeHibernate(settings, executor)}): the build is held until
 * {@link #release}, then runs on a thread of its own, so a test can act "while Hibernate is still building" for certain.
 */
public final class HeldBootstrap implements Executor {

    private final List<Runnable> held = new ArrayList<>();
    private final CountDownLatch submitted = new CountDownLatch(1);
    private boolean released;

    @Override
    public synchronized void execute(Runnable build) {
        if (released) {
            start(build);
        } else {
            held.add(build);
        }
        submitted.countDown();
    }

    /** Waits until the build was handed over (it is then held, unless released). */
    public void awaitHeld() throws InterruptedException {
        if (!submitted.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Hibernate's build was never started");
        }
    }

    /** Lets the build run (now, or as soon as it is handed over); idempotent. */
    public synchronized void release() {
        released = true;
        held.forEach(HeldBootstrap::start);
        held.clear();
    }

    private static void start(Runnable build) {
        Thread t = new Thread(build, "hibernate-bootstrap (test)");
        t.setDaemon(true);
        t.start();
    }
}
