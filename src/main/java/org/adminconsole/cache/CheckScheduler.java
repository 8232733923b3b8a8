package org.adminconsole.cache;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When {@link TableVersionWatcher} checks on its own: on a schedule and on request (a NOTIFY arrived, or the
 * listener reconnected), on one daemon thread. While the database is away it does not check (the health probe
 * reconnects; asking the pool for connections every second would only drive its back-off); a check that finds the
 * connection gone reports it, so an outage is noticed even while the operator does nothing.
 */
final class CheckScheduler {

    /** The watcher's logger: its warnings keep the category they always had (log settings, operators' filters). */
    private static final Logger LOG = LoggerFactory.getLogger(TableVersionWatcher.class);

    private final Runnable check;
    private final Dialect dialect;
    private volatile BooleanSupplier available;
    private volatile Consumer<Throwable> connectionLost;
    private volatile boolean closing;
    private ScheduledExecutorService scheduler;

    CheckScheduler(Runnable check, Dialect dialect) {
        this.check = check;
        this.dialect = dialect;
    }

    /** Whether the database is reachable now, and where to report a lost connection (the health monitor). */
    void setHealth(BooleanSupplier available, Consumer<Throwable> connectionLost) {
        this.available = available;
        this.connectionLost = connectionLost;
    }

    /** Starts the periodic check; false when it runs already. */
    synchronized boolean start(Duration interval) {
        if (scheduler != null) {
            return false;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cache-version-check");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::checkQuietly, ms, ms, TimeUnit.MILLISECONDS);
        return true;
    }

    /** Asks for a check on the checker thread as soon as possible. */
    void requestCheck() {
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) {
            try {
                s.execute(this::checkQuietly);
            } catch (RuntimeException ignored) {
                // shutting down
            }
        }
    }

    private void checkQuietly() {
        BooleanSupplier up = available;
        if (up != null && !up.getAsBoolean()) {
            return;
        }
        try {
            check.run();
        } catch (RuntimeException e) {
            Consumer<Throwable> lost = connectionLost;
            if (lost != null && Failures.isConnectionLost(e, dialect)) {
                lost.accept(e);
            } else if (!closing) {
                LOG.warn("Cache check failed: {}", e.toString());
            }
        }
    }

    /** From now on a failing check is expected (the console is closing): not logged. */
    void closing() {
        closing = true;
    }

    synchronized void close() {
        closing = true;
        if (scheduler != null) {
            scheduler.shutdown(); // no interrupt: the check may be inside H2, which closes its file on an interrupt
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }
}
