package org.adminconsole.service.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.adminconsole.cache.HitRatio;
import org.adminconsole.persistence.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples cache statistics and connection-pool figures on its own daemon thread at a fixed interval and
 * keeps the last minutes of samples. Views read {@link #latest()} and {@link #history()} on a timer: nothing
 * here touches the database, and the FX thread never computes the figures itself.
 */
public final class MonitorSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorSampler.class);

    /** One sample: cumulative cache counters and the pool at that moment. */
    public record Sample(Instant at, CacheStatsService.Snapshot caches, Database.PoolStats pool) {
    }

    /** A hit ratio over one sampling interval (NaN when there were no lookups in it). */
    public record RatioPoint(Instant at, double l2HitRatio, double userCacheHitRatio) {
    }

    private final CacheStatsService caches;
    private final Supplier<Database.PoolStats> pool;
    private final int maxSamples;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private final ScheduledExecutorService executor;
    private volatile Sample latest;

    public MonitorSampler(CacheStatsService caches, Supplier<Database.PoolStats> pool, Duration interval, Duration keep) {
        this.caches = caches;
        this.pool = pool;
        this.maxSamples = (int) Math.max(2, keep.toMillis() / Math.max(1, interval.toMillis()));
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "monitor-sampler");
            t.setDaemon(true);
            return t;
        });
        sampleNow();
        executor.scheduleAtFixedRate(this::sampleQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sampleQuietly() {
        try {
            sampleNow();
        } catch (RuntimeException e) {
            LOG.debug("Monitor sample failed (database closing?): {}", e.toString());
        }
    }

    /** Takes a sample now (also after an eviction, so the view shows it at once). */
    public Sample sampleNow() {
        Sample s = new Sample(Instant.now(), caches.snapshot(), pool.get());
        synchronized (samples) {
            if (samples.size() >= maxSamples) {
                samples.removeFirst();
            }
            samples.addLast(s);
            latest = s;
        }
        return s;
    }

    public Sample latest() {
        return latest;
    }

    public List<Sample> history() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    /** Hit ratios per interval between consecutive samples, oldest first. */
    public List<RatioPoint> hitRatios() {
        List<Sample> h = history();
        List<RatioPoint> out = new ArrayList<>(h.size());
        for (int i = 1; i < h.size(); i++) {
            CacheStatsService.Snapshot a = h.get(i - 1).caches();
            CacheStatsService.Snapshot b = h.get(i).caches();
            out.add(new RatioPoint(h.get(i).at(),
                    HitRatio.of(b.l2Hits() - a.l2Hits(), b.l2Misses() - a.l2Misses()),
                    HitRatio.of(b.userCache().hits() - a.userCache().hits(), b.userCache().misses() - a.userCache().misses())));
        }
        return out;
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
