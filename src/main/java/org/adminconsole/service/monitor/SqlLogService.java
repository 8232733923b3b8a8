package org.adminconsole.service.monitor;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.adminconsole.persistence.monitor.SqlEvent;
import org.adminconsole.persistence.monitor.SqlMonitor;
import org.adminconsole.service.ValidationException;

/**
 * The live SQL log: incremental reads of the SQL monitor's buffer and its slow threshold, editable at run
 * time. The log decides "slow" with the threshold in force when it shows a row ({@link #isSlow}), so a new
 * threshold applies to the rows already shown too; the WARN log line is written once, when the statement ran.
 */
public final class SqlLogService {

    private static final BigDecimal MAX_MS = BigDecimal.valueOf(3_600_000);

    private final SqlMonitor monitor;

    public SqlLogService(SqlMonitor monitor) {
        this.monitor = monitor;
    }

    /** Statements after {@code afterSeq}, oldest first, at most the newest {@code max}. */
    public List<SqlEvent> since(long afterSeq, int max) {
        return monitor.since(afterSeq, max);
    }

    public long lastSeq() {
        return monitor.lastSeq();
    }

    public Duration slowThreshold() {
        return monitor.slowThreshold();
    }

    /** Slow by the current threshold (a batch by its statements' average, as the monitor decides); never when off. */
    public boolean isSlow(SqlEvent e) {
        long threshold = monitor.slowThreshold().toNanos();
        return threshold > 0 && e.durationNanos() / Math.max(1, e.batchSize()) >= threshold;
    }

    /** Milliseconds, decimals allowed ("0.5"); 0 turns highlighting off. */
    public Duration setSlowThreshold(String millis) {
        BigDecimal ms;
        try {
            ms = new BigDecimal(millis == null ? "" : millis.strip().replace(',', '.'));
        } catch (NumberFormatException e) {
            throw new ValidationException("slowThreshold", "Enter the threshold in milliseconds, e.g. 200 or 0.5.");
        }
        if (ms.signum() < 0 || ms.compareTo(MAX_MS) > 0) {
            throw new ValidationException("slowThreshold", "The threshold must be between 0 (off) and 3600000 ms.");
        }
        Duration d = Duration.ofNanos(ms.movePointRight(6).longValue());
        monitor.setSlowThreshold(d);
        return d;
    }

    /** "200 ms", "0.5 ms" or "off". */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "off";
        }
        return BigDecimal.valueOf(d.toNanos()).movePointLeft(6).stripTrailingZeros().toPlainString() + " ms";
    }
}
