package org.adminconsole.testing;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.Database;

/**
 * Run in a child JVM, which sets {@code com.zaxxer.hikari.housekeeping.periodMs=200} first (HikariCP reads it once,
 * at class load): opens the console database with idleTimeout 10 s and maxLifetime 30 s (HikariCP's minimums), fills the pool
 * with four concurrent operations, then prints "TOTAL n SESSION id" (the physical connection an operation got) every 250 ms, for at most 60 s (the test
 * stops it once it has seen what it waits for).
 */
public final class PoolLifecycle {
    public static void main(String[] args) throws Exception {
        System.setProperty("com.zaxxer.hikari.housekeeping.periodMs", "200"); // before HikariCP's classes load
        Database db = Database.open(Settings.of(Map.of("data.dir", Path.of(args[0]).toString(), "db.seed.users", "0",
                "pool.maxSize", "4", "pool.minIdle", "1", "pool.idleTimeoutMs", "10000", "pool.maxLifetimeMs", "30000",
                "operator", "child")));
        CountDownLatch all = new CountDownLatch(4);
        List<CompletableFuture<Object>> busy = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            busy.add(CompletableFuture.supplyAsync(() -> db.transactions().read("fill", s -> s.doReturningWork(c -> {
                System.out.println("FILL " + traceId(c));
                all.countDown();
                try {
                    all.await(10, TimeUnit.SECONDS); // four connections out at once
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }))));
        }
        for (var b : busy) {
            b.get(30, TimeUnit.SECONDS);
        }
        Set<String> sessions = new HashSet<>();
        for (int i = 0; i < 240; i++) {
            String session = db.transactions().read("probe", s -> s.doReturningWork(PoolLifecycle::traceId));
            sessions.add(session);
            System.out.println("TOTAL " + db.poolStats().total() + " SESSION " + session);
            System.out.flush();
            Thread.sleep(250);
        }
        db.close();
        System.out.println("DONE");
    }

    /** H2 reuses session ids; the JDBC connection object's trace id ("conn12") is new for every physical connection. */
    private static String traceId(java.sql.Connection c) throws java.sql.SQLException {
        String id = c.unwrap(org.h2.jdbc.JdbcConnection.class).toString();
        return id.substring(0, id.indexOf(':'));
    }
}
