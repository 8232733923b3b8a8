package org.adminconsole.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.adminconsole.testing.ChildProcess;
import org.adminconsole.testing.CommitThenHang;
import org.adminconsole.testing.H2ServerProcess;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console promises (db.durability=safe, the default) that a commit it reported survives the process that writes
 * the file being killed: H2 otherwise keeps up to 500 ms of commits in memory (WRITE_DELAY). The promise must reach
 * that process in every mode the console offers: an embedded file, an H2 server the console connects to, and an
 * AUTO_SERVER file served by another console. Each test kills that process with SIGKILL right after the commits.
 * (Checked: with db.durability=fast the server test loses the last commits, 10 of 40 in one run.)
 */
class DurabilityTest {

    @TempDir Path dir;

    private long usersIn(Map<String, String> extra) {
        try (Database db = Database.open(TestDatabases.h2(dir, extra))) {
            return db.transactions().read("count", s ->
                    s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
        }
    }

    @Test
    void everyReportedCommitOfAnEmbeddedConsoleSurvivesAKill() throws Exception {
        int reported;
        try (ChildProcess child = ChildProcess.start(CommitThenHang.class, dir.toString(), "safe")) {
            List<String> lines = new ArrayList<>();
            child.readUntil(l -> l.equals("READY"), lines);
            reported = (int) lines.stream().filter(l -> l.startsWith("COMMITTED ")).count();
        }
        assertThat(reported).isEqualTo(20);
        assertThat(usersIn(Map.of())).isEqualTo(reported);
    }

    @Test
    void everyReportedCommitSurvivesAKillOfTheH2Server() throws Exception {
        int reported = 0;
        try (ChildProcess server = ChildProcess.start(H2ServerProcess.class, dir.toString(), "0")) {
            String port = server.readUntil(l -> l.startsWith("PORT "), null).substring(5);
            Map<String, String> viaServer = Map.of("db.url", "jdbc:h2:tcp://127.0.0.1:" + port + "/console");
            try (Database db = Database.open(TestDatabases.h2(dir, viaServer))) {
                assertThat(db.warnings()).as("the console set WRITE_DELAY=0 on the server it connected to").isEmpty();
                for (int i = 1; i <= 40; i++) {
                    final int n = i;
                    db.transactions().write("durability.commit", s -> {
                        s.persist(new User("server" + n + "@example.com", "server" + n, Role.USER));
                        return null;
                    });
                    reported = n;
                }
                server.kill(); // SIGKILL right after the last reported commit
            } catch (RuntimeException closingAfterTheKill) {
                // closing the console's pool against a dead server may complain; the commits are what counts
            }
        }
        assertThat(reported).isEqualTo(40);
        // the file, opened again (embedded now): every reported commit is there
        assertThat(usersIn(Map.of())).isEqualTo(reported);
    }

    @Test
    void everyCommitReportedThroughAnotherConsolesAutoServerSurvivesAKillOfThatConsole() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("console").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        int reported = 0;
        try (ChildProcess host = ChildProcess.start(CommitThenHang.class, dir.toString(), "fast", url, "0")) {
            // the host console was started with db.durability=fast: this console's safe setting must still reach the file
            assertThat(host.readUntil(l -> l.equals("READY"), null)).isEqualTo("READY");
            try (Database db = Database.open(TestDatabases.h2(dir, Map.of("db.url", url)))) {
                for (int i = 1; i <= 30; i++) {
                    final int n = i;
                    db.transactions().write("durability.commit", s -> {
                        s.persist(new User("auto" + n + "@example.com", "auto" + n, Role.USER));
                        return null;
                    });
                    reported = n;
                }
                host.kill();
            } catch (RuntimeException closingAfterTheKill) {
                // the host is gone; closing may complain
            }
        }
        assertThat(reported).isEqualTo(30);
        assertThat(usersIn(Map.of("db.url", url))).isEqualTo(reported);
    }
}
