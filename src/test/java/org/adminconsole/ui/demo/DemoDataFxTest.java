package org.adminconsole.ui.demo;

import org.adminconsole.ui.MainWindow;
import static org.adminconsole.testing.FxTesting.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import org.adminconsole.testing.FxTesting;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** The main window has the inspection tabs; demo users are generated with progress, and Cancel stops it. */
@ExtendWith(ApplicationExtension.class)
class DemoDataFxTest {

    @TempDir Path dir;
    private MainWindow window;

    @AfterEach
    void close() throws Exception {
        FxTesting.shutdown(window, 30);
    }

    private long users() throws Exception {
        try (var c = window.context().database().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM users")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void generatesUsersWithProgressAndCancel(FxRobot robot) throws Exception {
        window = FxTesting.openWindow(TestDatabases.h2(dir, Map.of()), null);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !robot.lookup("#tabs").queryAs(TabPane.class).isDisabled()
                && robot.lookup("#tabs").queryAs(TabPane.class).getTabs().stream().anyMatch(t -> "DemoDataTab".equals(t.getId())));
        assertThat(robot.lookup("#tabs").queryAs(TabPane.class).getTabs()).extracting(t -> t.getId())
                .contains("dashboardTab", "SchemaTab", "SqlConsoleTab", "DemoDataTab");
        robot.clickOn("Demo data");

        TextField count = robot.lookup("#demoCount").queryAs(TextField.class);
        robot.interact(count::clear);
        robot.clickOn("#demoCount").write("a lot");
        robot.clickOn("#generateButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(text(robot, "#demoCountError")).isEqualTo("Type a whole number of users between 1 and 10,000,000.");
        assertThat(count.getStyleClass()).contains("invalid");

        // Generate asks first, naming the number and the database; Cancel there writes nothing
        robot.interact(count::clear);
        robot.clickOn("#demoCount").write("7500");
        robot.clickOn("#generateButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#confirmDialog").tryQuery().isPresent());
        String question = FxTesting.onFx(() -> robot.lookup("#confirmDialog").queryAs(javafx.scene.control.DialogPane.class).getContentText());
        assertThat(question).contains("7,500 users").contains(dir.resolve("console").toAbsolutePath().toString());
        robot.clickOn("#confirmCancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(users()).isZero();
        robot.clickOn("#generateButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#confirmOk").tryQuery().isPresent());
        robot.clickOn("#confirmOk");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> text(robot, "#demoStatus").startsWith("Generated 7,500 users"));
        assertThat(users()).isEqualTo(7500);
        assertThat(count.getStyleClass()).doesNotContain("invalid");

        robot.interact(count::clear);
        robot.clickOn("#demoCount").write("2000000");
        robot.clickOn("#generateButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#confirmOk").tryQuery().isPresent());
        robot.clickOn("#confirmOk");
        // progress comes every 1,000 users; wait until the first chunk of 5,000 has committed
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> {
            String s = text(robot, "#demoStatus");
            return s.contains(" of 2,000,000 users") && Long.parseLong(s.substring(0, s.indexOf(" of")).replace(",", "")) > 6_000;
        });
        robot.clickOn("#cancelDemoButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> text(robot, "#demoStatus").startsWith("Cancelled"));
        assertThat(robot.lookup("#generateButton").queryAs(Button.class).isDisabled()).isFalse();
        long after = users();
        assertThat(after).isGreaterThan(7500).isLessThan(2_007_500);
        assertThat((after - 7500) % org.adminconsole.service.demo.DemoDataService.CHUNK).as("only whole chunks are kept").isZero();
    }
}
