package org.adminconsole.cache;

/** The one hit-ratio formula behind every cache figure (user cache, named values, second-level regions, the chart). */
public final class HitRatio {

    private HitRatio() {
    }

    /**
     * {@code hits / (hits + misses)}; NaN when there were no lookups (a chart leaves a gap, a table shows a dash).
     * A negative total (counters compared across a statistics reset) counts as none.
     */
    public static double of(long hits, long misses) {
        long total = hits + misses;
        return total <= 0 ? Double.NaN : (double) hits / total;
    }

    /** As {@link #of}, but 0 when there were no lookups. */
    public static double orZero(long hits, long misses) {
        double r = of(hits, misses);
        return Double.isNaN(r) ? 0 : r;
    }
}
