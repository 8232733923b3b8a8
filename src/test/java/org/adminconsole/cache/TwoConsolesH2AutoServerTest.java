package org.adminconsole.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two consoles on one H2 file opened in shared (AUTO_SERVER) mode. In one JVM both use the embedded engine;
 * a second process would connect through the server the first one started. The full suite runs on the TCP
 * server and PostgreSQL; this checks the shared-file URL works end to end.
 */
class TwoConsolesH2AutoServerTest {

    @TempDir Path dir;
    Console a;
    Console b;

    @AfterEach
    void close() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void anEditInOneConsoleReachesTheOtherOnASharedFile() {
        Settings s = TestDatabases.h2(dir, Map.of("cache.check.intervalMs", "3600000",
                "db.url", "jdbc:h2:file:" + dir.resolve("console").toAbsolutePath() + ";AUTO_SERVER=TRUE"));
        a = new Console(s);
        b = new Console(s);
        long id = a.createUser("ida@example.com", Role.USER);
        assertThat(b.cached(id).user().role()).isEqualTo(Role.USER);
        assertThat(b.find(id).role()).isEqualTo(Role.USER);
        long admins = b.admins();
        a.setRole(id, Role.ADMIN);
        assertThat(b.coherence.checkNow().foreign()).contains("users");
        assertThat(b.cached(id).user().role()).isEqualTo(Role.ADMIN);
        assertThat(b.find(id).role()).isEqualTo(Role.ADMIN);
        assertThat(b.admins()).isEqualTo(admins + 1);
    }
}
