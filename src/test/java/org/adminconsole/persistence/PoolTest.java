package org.adminconsole.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.adminconsole.service.OperatorMessages;
import org.adminconsole.testing.ChildProcess;
import org.adminconsole.testing.PoolLifecycle;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool's settings do what they say: a full pool refuses in plain words and recovers; idle connections shrink; old ones are replaced. */
class PoolTest {

    @TempDir Path dir;

    @Test
    void runningOutOfConnectionsFailsInPlainWordsAndTheNextOperationWorks() throws Exception {
        try (Database db = Database.open(TestDatabases.h2(dir, Map.of("pool.maxSize", "2", "pool.minIdle", "0",
                "pool.connectionTimeoutMs", "800")))) {
            Transactions tx = db.transactions();
            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<Object>> holders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                holders.add(CompletableFuture.supplyAsync(() -> tx.read("test.hold", s -> s.doReturningWork(c -> {
                    holding.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }))));
            }
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> tx.read("test.third", s -> s.createNativeQuery("SELECT 1", Object.class).getSingleResult()))
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .satisfies(e -> assertThat(OperatorMessages.forOperator(e)).contains("Every database connection of the console"));
            assertThat(db.health().isUp()).as("a busy pool is not a lost database").isTrue();
            release.countDown();
            for (var h : holders) {
                h.get(30, TimeUnit.SECONDS);
            }
            Object after = tx.read("test.after", s -> s.createNativeQuery("SELECT 1", Object.class).getSingleResult());
            assertThat(after).isNotNull();
        }
    }

    @Test
    void idleConnectionsShrinkToTheMinimumAndOldOnesAreReplaced() throws Exception {
        List<String> lines = new ArrayList<>();
        Set<String> initial = new HashSet<>();
        try (ChildProcess child = ChildProcess.start(PoolLifecycle.class, dir.toString())) {
            // read until the pool has shrunk to one connection that is none of the four opened at the start: the
            // 30 s maximum lifetime replaced it (or the child gives up after 60 s)
            child.readUntil(l -> {
                String[] f = l.split(" ");
                if (l.startsWith("FILL ")) {
                    initial.add(f[1]);
                }
                return l.equals("DONE") || l.startsWith("TOTAL ") && f[1].equals("1") && !initial.contains(f[3]);
            }, lines);
        }
        List<Integer> totals = lines.stream().filter(l -> l.startsWith("TOTAL ")).map(l -> Integer.parseInt(l.split(" ")[1])).toList();
        List<String> sessions = lines.stream().filter(l -> l.startsWith("TOTAL ")).map(l -> l.split(" ")[3]).toList();
        assertThat(totals).as(String.join("\n", lines)).isNotEmpty();
        assertThat(totals.get(0)).as("four connections after four concurrent operations").isEqualTo(4);
        assertThat(totals.get(totals.size() - 1)).as("idle connections closed down to pool.minIdle").isEqualTo(1);
        assertThat(initial).as("four physical connections filled the pool").hasSize(4);
        // after pool.maxLifetimeMs (30 s) the idle connection is replaced by a new one
        assertThat(sessions.get(sessions.size() - 1)).isNotIn(initial);
    }
}
