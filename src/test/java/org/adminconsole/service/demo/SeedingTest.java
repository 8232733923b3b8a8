package org.adminconsole.service.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.ChildProcess;
import org.adminconsole.testing.StartConsole;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first start's demo data is one unit: a start killed while seeding leaves nothing behind, so the next start seeds
 * exactly the configured number of users; two consoles starting together on one new database seed it once.
 */
class SeedingTest {

    @TempDir Path dir;

    private static long users(AppContext ctx) {
        return ctx.database().transactions().read("count", s ->
                s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
    }

    @Test
    void aStartKilledWhileSeedingIsSeededAgainFromScratch() throws Exception {
        try (ChildProcess child = ChildProcess.start(StartConsole.class, dir.toString(), "", "20000")) {
            String line = child.readUntil(l -> l.startsWith("SEEDING ") && Long.parseLong(l.substring(8)) >= 3_000
                    || l.startsWith("USERS "), null);
            assertThat(line).as("killed while seeding, not after").startsWith("SEEDING ");
            child.kill();
        }
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.seed.users", "20000")))) {
            assertThat(users(ctx)).isEqualTo(20_000);
        }
    }

    @Test
    void twoConsolesStartingTogetherOnANewAutoServerFileSeedItOnce() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("console").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        try (ChildProcess other = ChildProcess.start(StartConsole.class, dir.toString(), url, "6000")) {
            CompletableFuture<String> otherStarted = CompletableFuture.supplyAsync(() -> {
                try {
                    return other.readUntil(l -> l.startsWith("USERS "), null);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.url", url, "db.seed.users", "6000")))) {
                assertThat(otherStarted.get(120, TimeUnit.SECONDS)).isEqualTo("USERS 6000");
                assertThat(users(ctx)).isEqualTo(6_000);
            }
        }
    }

    @Test
    void twoConsolesStartingTogetherOnANewPostgresSchemaSeedItOnce() throws Exception {
        Settings s = TestDatabases.postgres(dir, Map.of("db.seed.users", "6000"));
        CompletableFuture<AppContext> a = CompletableFuture.supplyAsync(() -> AppContext.start(s));
        CompletableFuture<AppContext> b = CompletableFuture.supplyAsync(() -> AppContext.start(s.with(Map.of("operator", "second"))));
        try (AppContext first = a.get(120, TimeUnit.SECONDS); AppContext second = b.get(120, TimeUnit.SECONDS)) {
            assertThat(users(first)).isEqualTo(6_000);
            assertThat(users(second)).isEqualTo(6_000);
        }
    }
}
