package org.adminconsole.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.adminconsole.testing.CommitThenHang;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console promises (db.durability=safe, the default) that a commit it reported survives the process being
 * killed: H2 otherwise keeps up to 500 ms of commits in memory (WRITE_DELAY). A child process commits and is
 * killed with SIGKILL right after reporting; every reported commit must be there when the file is reopened.
 */
class DurabilityTest {

    @TempDir Path dir;

    @Test
    void everyReportedCommitSurvivesAKill() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CommitThenHang.class.getName(), dir.toString(), "safe")
                .redirectErrorStream(true).start();
        int reported = 0;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("COMMITTED ")) {
                    reported = Integer.parseInt(line.substring(10));
                    if (reported == 20) {
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(reported).isEqualTo(20);
        try (Database db = Database.open(TestDatabases.h2(dir))) {
            long users = db.transactions().read("count", s ->
                    s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
            assertThat(users).isEqualTo(reported);
        }
    }
}
