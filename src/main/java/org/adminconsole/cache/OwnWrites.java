package org.adminconsole.cache;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code table_versions} numbers this console's own writes produced, so that {@link TableVersionWatcher} can tell
 * them from other consoles' changes. A committing write records its rows tentatively (they are locked until its
 * commit, so no other writer interleaves); they become confirmed when the commit is confirmed, and are forgotten
 * once a check has seen them, or when the write did not commit. A rolled-back transaction's id never appears
 * committed, so a tentative row that is visible committed with the same version and transaction id is ours too.
 *
 * <p>Tentative rows may be recorded and forgotten from any thread; everything else runs under the watcher's lock.
 */
final class OwnWrites {

    /** Per committing operation: the rows its transaction produced, until its outcome is known. */
    private final Map<Long, Map<String, VersionRow>> tentative = new ConcurrentHashMap<>();
    /** Confirmed own versions per table that no check has passed yet. */
    private final Map<String, NavigableSet<Long>> confirmed = new HashMap<>();

    void recordTentative(long opId, Map<String, VersionRow> rows) {
        tentative.put(opId, rows);
    }

    /** The operation did not commit: its rows are not ours. */
    void forget(long opId) {
        tentative.remove(opId);
    }

    /** The operation committed: its versions newer than those already seen ({@code known}) count as ours. */
    void confirm(long opId, Map<String, VersionRow> known) {
        Map<String, VersionRow> mine = tentative.remove(opId);
        if (mine == null) {
            return;
        }
        for (Map.Entry<String, VersionRow> e : mine.entrySet()) {
            VersionRow seen = known.get(e.getKey());
            long v = e.getValue().version();
            if (seen == null || v > seen.version()) {
                confirmed.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(v);
            }
        }
    }

    /** How many of the increments of {@code table} after {@code before} up to the row committed now are ours. */
    long bumps(String table, long before, VersionRow committed) {
        long v = committed.version();
        NavigableSet<Long> own = confirmed.get(table);
        long n = own == null ? 0 : own.subSet(before, false, v, true).size();
        if ((own == null || !own.contains(v)) && isCommitting(table, committed)) {
            n++; // our commit is visible, its confirmation has not arrived yet (e.g. our own NOTIFY)
        }
        return n;
    }

    /** A check saw {@code table} at version {@code v}: own versions up to it need no more counting. */
    void seen(String table, long v) {
        NavigableSet<Long> own = confirmed.get(table);
        if (own != null && !own.isEmpty()) {
            own.headSet(v, true).clear();
        }
    }

    /** A new baseline: confirmed versions are behind it. */
    void clearConfirmed() {
        confirmed.clear();
    }

    /**
     * Whether the row as committed now is exactly the one one of our writes produced (same version, same
     * transaction id): a rolled-back transaction's id can never appear committed, so this is exact.
     */
    private boolean isCommitting(String table, VersionRow committed) {
        for (Map<String, VersionRow> mine : tentative.values()) {
            if (committed.sameWrite(mine.get(table))) {
                return true;
            }
        }
        return false;
    }
}
