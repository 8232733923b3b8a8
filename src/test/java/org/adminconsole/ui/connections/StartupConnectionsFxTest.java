package org.adminconsole.ui.connections;

import static org.adminconsole.testing.FxTesting.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import org.adminconsole.config.Settings;
import org.adminconsole.service.connections.ProfileStore;
import org.adminconsole.testing.FxTesting;
import org.adminconsole.testing.ProfileFixtures;
import org.adminconsole.testing.TestDatabases;
import org.adminconsole.ui.MainWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The startup error screen offers Retry and Connections…, and so does the sign-in form of a shared database that cannot be
 * reached: profiles can be edited and tested while the console is down.
 */
@ExtendWith(ApplicationExtension.class)
class StartupConnectionsFxTest {

    @TempDir Path dir;
    @TempDir Path second;
    private MainWindow window;

    @AfterEach
    void close() throws Exception {
        FxTesting.shutdown(window, 30);
    }

    @Test
    void theErrorScreenOpensConnectionsWhereAProfileCanBeSavedAndTested(FxRobot robot) throws Exception {
        Path shop = ProfileFixtures.h2File(second);
        // db.password configured: the console opens at once (without it a shared database first asks who signs in)
        Settings unreachable = TestDatabases.h2(dir, Map.of("db.url", "jdbc:postgresql://127.0.0.1:1/nothing",
                "pool.connectionTimeoutMs", "1000", "db.password", ""));
        window = FxTesting.openWindow(unreachable, null);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#errorPane").query().isVisible());
        assertThat(robot.lookup("#retryButton").query().isVisible()).isTrue();
        assertThat(robot.lookup("#startConnectionsButton").query().isVisible()).isTrue();
        robot.clickOn("#startConnectionsButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#profileName").tryQuery().isPresent());
        assertThat(robot.lookup("#openProfileButton").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(text(robot, "#connectionsMessage")).contains("opened once it is");
        robot.clickOn("#profileName").write("Shop");
        TextField file = robot.lookup("#profileFile").queryAs(TextField.class);
        robot.clickOn(file).write(shop.toString());
        robot.clickOn("#profilePassword").write(ProfileFixtures.H2_PASSWORD);
        robot.clickOn("#saveProfileButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot, "#connectionsMessage").startsWith("Saved Shop"));
        assertThat(Files.readString(dir.resolve(ProfileStore.FILE_NAME))).contains("Shop").doesNotContain(ProfileFixtures.H2_PASSWORD);
        robot.clickOn("#testProfileButton");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text(robot, "#connectionsMessage").contains("read-only"));
        robot.clickOn("#closeConnectionsButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#profileName").tryQuery().isEmpty());
    }

    @Test
    void theSignInFormOfAnUnreachableSharedDatabaseOffersConnectionsToo(FxRobot robot) throws Exception {
        // no db.password: a shared database asks who signs in first; when it cannot be reached the operator stays on
        // the form, which offers the connection profiles as the error screen does
        Settings unreachable = TestDatabases.h2(dir, Map.of("db.url", "jdbc:postgresql://127.0.0.1:1/nothing",
                "pool.connectionTimeoutMs", "1000"));
        window = FxTesting.openWindow(unreachable, null);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#signInLogin").tryQuery().isPresent());
        robot.clickOn("#signInLogin").write("someone");
        robot.clickOn("#signInPassword").write("secret");
        robot.clickOn("#signInButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !text(robot, "#signInMessage").isBlank()
                && !text(robot, "#signInMessage").startsWith("Signing in"));
        robot.clickOn("#signInConnections");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#profileName").tryQuery().isPresent());
        assertThat(robot.lookup("#openProfileButton").queryAs(Button.class).isDisabled()).isTrue();
        robot.clickOn("#closeConnectionsButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#profileName").tryQuery().isEmpty());
        assertThat(robot.lookup("#signInButton").query().isVisible()).isTrue(); // another try stays possible
    }
}
