package org.adminconsole.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/** Two consoles on one PostgreSQL schema; with NOTIFY, changes arrive without waiting for a poll. */
class TwoConsolesPostgresTest extends TwoConsolesTestBase {

    @Override
    Settings settings(Path dir, Map<String, String> extra) {
        return TestDatabases.postgres(dir, extra);
    }

    @Override
    boolean notifies() {
        return true;
    }

    @Test
    void notifyDeliversAnEditAtOnceWithoutPolling() {
        open(Map.of("cache.check.intervalMs", "3600000")); // polling effectively off
        waitUntil(() -> b.coherence.status().notifyState().equals("listening"));
        long id = a.createUser("fay@example.com", Role.USER);
        b.coherence.checkNow(); // absorb the creation, so nothing but the edit below can evict B's entry
        waitUntil(() -> b.cached(id).fromCache());
        assertThat(b.cached(id).user().role()).isEqualTo(Role.USER);
        long admins = b.admins();
        long checks = b.coherence.status().checks();
        a.setRole(id, Role.ADMIN);
        waitUntil(() -> b.cached(id).user().role() == Role.ADMIN);
        assertThat(b.coherence.status().notifications()).isPositive();
        assertThat(b.coherence.status().checks()).isGreaterThan(checks);
        assertThat(b.find(id).role()).isEqualTo(Role.ADMIN);
        assertThat(b.values.isCached(Console.ADMINS, null)).isFalse();
        assertThat(b.admins()).isEqualTo(admins + 1);
    }

    @Test
    void writesInAnotherSchemaOfTheSameDatabaseAreNotActedOn() throws Exception {
        open(Map.of("cache.check.intervalMs", "3600000"));
        waitUntil(() -> b.coherence.status().notifyState().equals("listening"));
        // another console database in another schema of the same PostgreSQL database: same channel, other schema
        Path otherDir = java.nio.file.Files.createTempDirectory(dir, "other");
        Console other = new Console(TestDatabases.postgres(otherDir, Map.of("cache.check.intervalMs", "3600000")));
        try {
            long heard = b.coherence.status().notifications();
            long checks = b.coherence.status().checks();
            other.createUser("elsewhere@example.com", Role.USER);
            waitUntil(() -> b.coherence.watcher().otherSchemaNotifications() > 0); // received and set aside
            assertThat(b.coherence.status().notifications()).as("nothing counted for this console").isEqualTo(heard);
            assertThat(b.coherence.status().checks()).as("no check run for it").isEqualTo(checks);
            a.createUser("own@example.com", Role.USER);
            waitUntil(() -> b.coherence.status().notifications() > heard); // its own schema's are still heard
        } finally {
            other.close();
        }
    }

    @Test
    void theListenerReconnectsAfterLosingItsConnection() throws Exception {
        open(Map.of("cache.check.intervalMs", "3600000"));
        waitUntil(() -> b.coherence.status().notifyState().equals("listening"));
        long id = a.createUser("gus@example.com", Role.USER);
        b.coherence.checkNow();
        waitUntil(() -> b.cached(id).fromCache());
        assertThat(b.cached(id).user().role()).isEqualTo(Role.USER);
        try (var c = outside(); var ps = c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, PgChangeListener.APPLICATION_NAME);
            try (var rs = ps.executeQuery()) {
                int killed = 0;
                while (rs.next()) {
                    killed++;
                }
                assertThat(killed).isGreaterThanOrEqualTo(2);
            }
        }
        waitUntil(() -> b.coherence.status().notifyState().startsWith("reconnecting"));
        waitUntil(() -> b.coherence.status().notifyState().equals("listening"));
        a.setRole(id, Role.ADMIN);
        waitUntil(() -> b.cached(id).user().role() == Role.ADMIN);
    }
}
