package org.adminconsole.service.inspect;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.NotificationEmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the SQL console's running statements when the heap is nearly full after a garbage collection. An embedded
 * H2 database builds results, groups and values in the console's own heap, and when it runs out of memory it closes
 * the whole database; cancelling the console's statement first keeps it open. The JVM reports "still above
 * {@value #THRESHOLD_PERCENT} % after a collection" through the heap pools' collection usage thresholds.
 *
 * <p>One per JVM: the thresholds are global.
 */
final class MemoryGuard {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryGuard.class);
    static final int THRESHOLD_PERCENT = 85;
    private static final Set<Runnable> WATCHERS = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;

    private MemoryGuard() {
    }

    /** An open watch; closing it ends it. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** Runs {@code onLowMemory} (cancel a statement) if the heap runs low while the registration is open. */
    static Watch watch(Runnable onLowMemory) {
        install();
        WATCHERS.add(onLowMemory);
        return () -> WATCHERS.remove(onLowMemory);
    }

    /** The heap is low: stop every watched statement. Called by the JVM's notification (and by tests). */
    static void lowMemory() {
        if (!WATCHERS.isEmpty()) {
            LOG.warn("The heap is nearly full after a garbage collection: stopping {} SQL console statement(s)", WATCHERS.size());
        }
        for (Runnable r : WATCHERS) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.debug("Stopping a console statement failed", e);
            }
        }
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        try {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                long max = pool.getUsage() == null ? -1 : pool.getUsage().getMax();
                if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported() && max > 0
                        && pool.getCollectionUsageThreshold() == 0) {
                    pool.setCollectionUsageThreshold(max / 100 * THRESHOLD_PERCENT);
                }
            }
            NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
            emitter.addNotificationListener((n, handback) -> {
                if (n.getUserData() instanceof javax.management.openmbean.CompositeData d) {
                    MemoryNotificationInfo info = MemoryNotificationInfo.from(d);
                    LOG.warn("Heap pool '{}' holds {} MB of {} MB after a garbage collection", info.getPoolName(),
                            info.getUsage().getUsed() >> 20, info.getUsage().getMax() >> 20);
                }
                lowMemory();
            }, n -> MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType()), null);
        } catch (RuntimeException e) {
            LOG.warn("Cannot watch the heap for the SQL console: {}", e.toString());
        }
    }
}
