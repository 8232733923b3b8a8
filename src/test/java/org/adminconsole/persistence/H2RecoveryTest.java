package org.adminconsole.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.service.DataChanges;
import org.adminconsole.service.OperatorMessages;
import org.adminconsole.service.dashboard.DashboardService;
import org.adminconsole.testing.TcpProxy;
import org.adminconsole.testing.TestDatabases;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * H2 going away under a running console: the embedded database closed (as H2 does after an out-of-memory or I/O
 * error), a thread interrupted inside H2, and an H2 server that freezes or drops its connections. The console
 * notices, reconnects by itself, and the next operation works without a restart.
 */
class H2RecoveryTest {

    @TempDir Path dir;
    AppContext ctx;
    Server server;
    TcpProxy proxy;
    final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.restore();
        }
        if (ctx != null) {
            ctx.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private void start(Settings s) {
        ctx = AppContext.start(s);
        ctx.get(DataChanges.class).subscribe(new DataChanges.Subscriber() {
            @Override
            public void connectionLost(String reason) {
                events.add("lost");
            }

            @Override
            public void reconnected(java.time.Duration downtime) {
                events.add("reconnected");
            }
        });
    }

    private long users() {
        return ctx.database().transactions().read("test.count",
                s -> s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
    }

    @Test
    void anEmbeddedDatabaseClosedUnderTheConsoleIsReopenedAndTheNextOperationWorks() throws Exception {
        start(TestDatabases.h2(dir, Map.of("db.seed.users", "50", "cache.check.intervalMs", "200")));
        assertThat(users()).isEqualTo(50);
        long cachedFigure = ctx.get(DashboardService.class).counts().users();
        // another connection in the process closes the database, as H2 itself does after an out-of-memory error
        try (Connection c = TestDatabases.connect(ctx.settings()); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN IMMEDIATELY");
        } catch (java.sql.SQLException expected) {
            // the closing connection is closed with the database
        }
        // the operation that meets the closed database fails in plain words; the console starts reconnecting
        // (or the periodic cache check noticed first, and the operation waited for the reconnect)
        try {
            assertThat(users()).isEqualTo(50);
        } catch (DatabaseUnavailableException e) {
            assertThat(OperatorMessages.forOperator(e)).contains("connection to the database was lost").doesNotContain("90121");
        }
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> events.contains("reconnected"));
        assertThat(events).containsSubsequence("lost", "reconnected");
        assertThat(users()).isEqualTo(50);
        assertThat(ctx.get(DashboardService.class).counts().users()).isEqualTo(cachedFigure);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> ctx.database().poolStats().active() == 0);
    }

    @Test
    void anInterruptInsideH2DoesNotCloseTheDatabase() throws Exception {
        start(TestDatabases.h2(dir, Map.of("db.seed.users", "3000")));
        Transactions tx = ctx.database().transactions();
        // the console never interrupts a thread inside H2 (TaskHandle); the retry: file system is the second line of
        // defence should anything else do it: the interrupted read is retried instead of closing the database
        CompletableFuture<Thread> worker = new CompletableFuture<>();
        CompletableFuture<Object> result = CompletableFuture.supplyAsync(() -> {
            worker.complete(Thread.currentThread());
            return tx.read("test.interrupted", s -> {
                for (int i = 0; i < 30; i++) {
                    s.createNativeQuery("SELECT COUNT(*), SUM(LENGTH(email)) FROM users u1 WHERE EXISTS "
                            + "(SELECT 1 FROM user_departments ud WHERE ud.user_id = u1.id)", Object[].class).getSingleResult();
                    Thread.currentThread().interrupt();
                }
                return "done";
            });
        });
        try {
            result.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException ignored) {
            // the interrupted operation may fail; the database must not
        }
        Thread.interrupted();
        assertThat(users()).isEqualTo(3000);
        assertThat(events).doesNotContain("lost");
    }

    @Test
    void aFrozenH2ServerFailsTheOperationInTimeAndACutOneIsReconnected() throws Exception {
        server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        proxy = new TcpProxy("127.0.0.1", server.getPort());
        start(TestDatabases.h2(dir, Map.of("db.url", "jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/console",
                "db.seed.users", "20", "tx.defaultTimeoutSeconds", "2", "pool.connectionTimeoutMs", "1500",
                "cache.check.intervalMs", "200")));
        assertThat(users()).isEqualTo(20);

        proxy.freeze();
        long t0 = System.nanoTime();
        assertThatThrownBy(this::users).isInstanceOf(DatabaseUnavailableException.class);
        long failedAfterMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("[measure] H2 server frozen: the operation (deadline 2000 ms) failed after " + failedAfterMs + " ms");
        assertThat(failedAfterMs).as("fails at its deadline, not after a socket default of minutes").isLessThan(10_000);
        proxy.restore();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> ctx.database().health().isUp());
        assertThat(users()).isEqualTo(20);

        proxy.cut();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !ctx.database().health().isUp());
        proxy.restore();
        long restored = System.nanoTime();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> ctx.database().health().isUp());
        System.out.println("[measure] H2 server recovery after a cut connection: " + (System.nanoTime() - restored) / 1_000_000 + " ms");
        assertThat(users()).isEqualTo(20);
    }
}
