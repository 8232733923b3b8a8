package org.adminconsole;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --generate-users=N}: headless generation with progress, exit status, bad input. */
class LauncherTest {

    @TempDir Path dir;

    @Test
    void generatesUsersHeadlessAndPrintsProgress() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            status = Launcher.generate(Launcher.named(new String[]{"--generate-users=6000", "--data.dir=" + dir, "--db.seed.users=0"}));
        } finally {
            System.setOut(old);
        }
        assertThat(status).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("Generated 6,000 of 6,000 users (100%)").contains("Done: 6,000 users in");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("console").toAbsolutePath(), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM users")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(6000);
        }
    }

    @Test
    void refusesABadCountOrSetting() {
        assertThat(Launcher.generate(Map.of("generate-users", "many", "data.dir", dir.toString()))).isEqualTo(2);
        assertThat(Launcher.generate(Map.of("generate-users", "0", "data.dir", dir.toString()))).isEqualTo(2);
        assertThat(Launcher.generate(Map.of("generate-users", "10", "data.dir", dir.toString(), "pool.maxSize", "lots"))).isEqualTo(2);
    }
}
