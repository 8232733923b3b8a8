package org.adminconsole.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.FxTesting;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** The status bar shows when caches were checked and counts changes made by another program. */
@ExtendWith(ApplicationExtension.class)
class CacheStatusFxTest {

    @TempDir Path dir;
    private MainWindow window;

    @AfterEach
    void close() throws Exception {
        FxTesting.shutdown(window, 30);
    }

    @Test
    void statusBarShowsTheLastCheckAndInvalidationsFromOtherConsoles(FxRobot robot) throws Exception {
        Settings settings = TestDatabases.h2(dir, Map.of("db.seed.users", "20", "cache.check.intervalMs", "200"));
        window = FxTesting.openWindow(settings, null);
        Label status = robot.lookup("#cacheStatus").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> status.getText().startsWith("Caches checked "));
        assertThat(status.getText()).endsWith("invalidations from other consoles: 0");

        // another program changes a user: the next check notices and the status bar counts it
        try (Connection c = org.adminconsole.testing.TestDatabases.connect(settings);
             Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE users SET role = 'GUEST' WHERE id = (SELECT MIN(id) FROM users)")).isEqualTo(1);
        }
        // two tables changed: users, and audit_log, where the database's trigger recorded that outside write (issue 15)
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> status.getText().endsWith("invalidations from other consoles: 2"));
        assertThat(status.getText()).matches("Caches checked \\d\\d:\\d\\d:\\d\\d · invalidations from other consoles: 2");
    }
}
