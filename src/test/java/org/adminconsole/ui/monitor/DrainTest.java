package org.adminconsole.ui.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.adminconsole.persistence.monitor.SqlEvent;
import org.adminconsole.persistence.monitor.SqlMonitor;
import org.junit.jupiter.api.Test;

/**
 * The live logs' draining: newest on top, at most the table's rows, a burst larger than the table replaces it in one
 * change; the SQL monitor hands out only the newest events a view asks for.
 */
class DrainTest {

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void newRowsGoOnTopAndTheOldestFallOff() {
        ObservableList<Long> rows = FXCollections.observableArrayList();
        assertThat(Drain.newestOnTop(seqs(1, 3), rows, 5, Long::longValue, 0)).isEqualTo(3);
        assertThat(rows).containsExactly(3L, 2L, 1L);
        assertThat(Drain.newestOnTop(seqs(4, 6), rows, 5, Long::longValue, 3)).isEqualTo(6);
        assertThat(rows).containsExactly(6L, 5L, 4L, 3L, 2L);
        assertThat(Drain.newestOnTop(List.of(), rows, 5, Long::longValue, 6)).isEqualTo(6);
        assertThat(rows).hasSize(5);
    }

    @Test
    void aBurstLargerThanTheTableReplacesItInOneChange() {
        ObservableList<Long> rows = FXCollections.observableArrayList(seqs(1, 10));
        List<String> changes = new ArrayList<>();
        rows.addListener((ListChangeListener<Long>) c -> {
            while (c.next()) {
                changes.add(c.wasReplaced() ? "replaced" : c.wasAdded() ? "added" : "removed");
            }
        });
        assertThat(Drain.newestOnTop(seqs(11, 40), rows, 10, Long::longValue, 10)).isEqualTo(40);
        assertThat(rows).containsExactly(40L, 39L, 38L, 37L, 36L, 35L, 34L, 33L, 32L, 31L);
        assertThat(changes).containsExactly("replaced");
    }

    @Test
    void theMonitorHandsOutOnlyTheNewestEventsAskedFor() {
        SqlMonitor monitor = new SqlMonitor(10_000, Duration.ofSeconds(1), false);
        for (int i = 0; i < 5_000; i++) {
            monitor.recordOutside("test", "SELECT " + i, 1_000, 1, true, null);
        }
        long last = monitor.lastSeq();
        List<SqlEvent> newest = monitor.since(last - 3_000, 100);
        assertThat(newest).extracting(SqlEvent::seq).containsExactlyElementsOf(seqs(last - 99, last));
        assertThat(monitor.since(last - 3, 100)).extracting(SqlEvent::seq).containsExactly(last - 2, last - 1, last);
        assertThat(monitor.since(last)).isEmpty();
        assertThat(monitor.since(0)).hasSize(5_000);
    }
}
