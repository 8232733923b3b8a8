package org.adminconsole.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 file close to its live data while the console is open. H2 writes changed pages to new places
 * and frees the old ones only later; after generating or bulk-editing many users the file can be mostly dead space
 * (100,000 generated users: 339 MB at 13 % live), and H2 does not compact an idle store by itself. When no operation
 * has run for {@value #IDLE_SECONDS} s and the file is less than half live data, the file is compacted for at most
 * {@value #MAX_COMPACT_MS} ms at a time (measured: 339 MB to 79 MB in 2.3 s). Closing the console compacts as well
 * ({@code Durability.compactOnClose}).
 */
final class IdleCompaction implements OperationListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdleCompaction.class);
    static final int IDLE_SECONDS = 60;
    static final int MAX_COMPACT_MS = 3_000;
    /** Bulk chunks between two compactions, see {@link #betweenBulkChunks()}. */
    static final int BULK_COMPACT_EVERY = 2;
    /** Longest compaction between bulk chunks. */
    static final int BULK_COMPACT_MS = 1_000;

    private final DataSource dataSource;
    private final ScheduledExecutorService scheduler;
    private volatile long lastActivity = System.nanoTime();
    private volatile int running;
    private final java.util.concurrent.atomic.AtomicInteger bulkChunks = new java.util.concurrent.atomic.AtomicInteger();

    IdleCompaction(DataSource dataSource) {
        this.dataSource = dataSource;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "h2-idle-compaction");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::compactIfIdle, IDLE_SECONDS, IDLE_SECONDS / 2, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void started(Operation op) {
        running++;
        lastActivity = System.nanoTime();
    }

    @Override
    public synchronized void finished(OperationRecord record) {
        running = Math.max(0, running - 1);
        lastActivity = System.nanoTime();
    }

    private void compactIfIdle() {
        if (running > 0 || System.nanoTime() - lastActivity < TimeUnit.SECONDS.toNanos(IDLE_SECONDS)) {
            return;
        }
        try {
            compactIfWasteful(dataSource);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Idle compaction skipped: {}", e.toString());
        }
    }

    /**
     * Between the chunks of a long bulk write (demo data), called after each: on every {@value #BULK_COMPACT_EVERY}nd
     * call a file less than half live is compacted for at most {@value #BULK_COMPACT_MS} ms. While writes go on, H2
     * frees little of the pages it rewrote, so a 1,000,000-user generation grew the file to 15.9 GB for 766 MB of data.
     * Measured at 100,000 generated users: 876 MB at 13 % live in 48.4 s without; 295 MB at 62 % in 51.4 s with this
     * (x1.06 the time); compacting for up to 3 s after every chunk kept the file smallest but took twice as long.
     * Never fails the write: a compaction that cannot run is skipped.
     */
    void betweenBulkChunks() {
        if (bulkChunks.incrementAndGet() % BULK_COMPACT_EVERY != 0) {
            return;
        }
        try {
            compactIfWasteful(dataSource, false);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Compaction between bulk chunks skipped: {}", e.toString());
        }
    }

    /** Compacts the file (bounded in time) when less than half of it is live data; returns whether it did. */
    static boolean compactIfWasteful(DataSource dataSource) throws SQLException {
        return compactIfWasteful(dataSource, true);
    }

    /**
     * {@link #compactIfWasteful(DataSource)}; {@code idle}: false between the chunks of a bulk write, which compacts at
     * every chunk and logs it only at debug level.
     */
    static boolean compactIfWasteful(DataSource dataSource, boolean idle) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return compactIfWasteful(c, idle, idle ? MAX_COMPACT_MS : BULK_COMPACT_MS);
        }
    }

    /** {@link #compactIfWasteful(DataSource, boolean)} through a connection the caller keeps, for at most {@code maxMs}. */
    static boolean compactIfWasteful(Connection c, boolean idle, int maxMs) throws SQLException {
        try (Statement st = c.createStatement()) {
            int fill = Durability.fillRate(st);
            if (fill < 0 || fill >= Durability.COMPACT_BELOW_FILL_PERCENT) {
                return false;
            }
            long before = Durability.setting(st, "info.FILE_SIZE");
            long t0 = System.nanoTime();
            org.h2.jdbc.JdbcConnection h2 = c.unwrap(org.h2.jdbc.JdbcConnection.class);
            if (!(h2.getSession() instanceof org.h2.engine.SessionLocal local)) {
                return false; // a server's file is the server's business
            }
            // one compaction at a time in this process: two consoles of one JVM on one file (a signed-in operator's beside
            // the owner's, tests) share the engine, and two concurrent compactFile runs failed an H2 assertion
            synchronized (IdleCompaction.class) {
                local.getDatabase().getStore().compactFile(maxMs);
            }
            if (idle || LOG.isDebugEnabled()) {
                String message = "Compacted the database file " + (idle ? "while idle" : "between bulk chunks")
                        + ": {} MB at {}% live data, now {} MB, in {} ms";
                Object[] args = {before / 1_000_000, fill, Durability.setting(st, "info.FILE_SIZE") / 1_000_000, (System.nanoTime() - t0) / 1_000_000};
                if (idle) {
                    LOG.info(message, args);
                } else {
                    LOG.debug(message, args);
                }
            }
            return true;
        }
    }

    @Override
    public void close() {
        scheduler.shutdown(); // no interrupt: a compaction in progress finishes its bounded run
    }
}
