package org.adminconsole.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** The main window opens, shows the counts loaded in the background, or the reason it cannot start. */
@ExtendWith(ApplicationExtension.class)
class MainWindowFxTest {

    @TempDir Path dir;
    private MainWindow window;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            WaitForAsyncUtils.asyncFx(() -> window.shutdown()).get(30, TimeUnit.SECONDS);
        }
    }

    private void open(FxRobot robot, Settings settings, String settingsError) throws Exception {
        window = WaitForAsyncUtils.asyncFx(() -> MainWindow.show(new Stage(), settings, settingsError)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void showsCountsFromTheDatabase(FxRobot robot) throws Exception {
        java.util.List<String> statusLines = new java.util.concurrent.CopyOnWriteArrayList<>();
        window = WaitForAsyncUtils.asyncFx(() -> {
            Stage stage = new Stage();
            MainWindow w = MainWindow.show(stage, TestDatabases.h2(dir, Map.of("db.seed.users", "1500")), null);
            Label status = (Label) stage.getScene().lookup("#statusLabel");
            status.textProperty().addListener((o, was, text) -> statusLines.add(text));
            return w;
        }).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> label(robot, "#userCount").equals("1,500"));
        assertThat(statusLines).as("the first start says what it is doing while it seeds")
                .contains("Creating demo users (first start): 1,500 of 1,500");
        WaitForAsyncUtils.waitForFxEvents(); // the labels are set in one FX runnable: let it finish
        assertThat(label(robot, "#departmentCount")).isEqualTo("12");
        assertThat(robot.lookup("#errorPane").query().isVisible()).isFalse();
    }

    private static String label(FxRobot robot, String id) {
        return robot.lookup(id).tryQuery().map(n -> ((Label) n).getText()).orElse("");
    }

    private long sql(String query) throws Exception {
        try (var c = window.context().database().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @SuppressWarnings("unchecked")
    private long adminBar(FxRobot robot) {
        javafx.scene.chart.BarChart<String, Number> chart = (javafx.scene.chart.BarChart<String, Number>)
                robot.lookup("#roleChart").tryQuery().orElse(null);
        if (chart == null || chart.getData().isEmpty()) {
            return -1;
        }
        return chart.getData().get(0).getData().stream().filter(d -> d.getXValue().equals("ADMIN"))
                .mapToLong(d -> d.getYValue().longValue()).findFirst().orElse(-1);
    }

    @Test
    void dashboardFiguresMatchTheDatabaseAndFollowAnEdit(FxRobot robot) throws Exception {
        open(robot, TestDatabases.h2(dir, Map.of("db.seed.users", "1500")), null);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> label(robot, "#userCount").equals("1,500"));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> adminBar(robot) >= 0);
        WaitForAsyncUtils.waitForFxEvents();
        long admins = sql("SELECT COUNT(*) FROM users WHERE role = 'ADMIN'");
        assertThat(adminBar(robot)).isEqualTo(admins);
        assertThat(robot.lookup("#overQuotaCount").queryAs(Label.class).getText())
                .isEqualTo(String.format("%,d", sql("SELECT COUNT(*) FROM users WHERE usage_amount > quota")));
        javafx.scene.control.TableView<org.adminconsole.service.dashboard.DashboardService.DepartmentSize> departments =
                robot.lookup("#departmentTable").queryTableView();
        assertThat(departments.getItems()).hasSize(12);
        assertThat(departments.getItems().stream().mapToLong(d -> d.members()).sum())
                .isEqualTo(sql("SELECT COUNT(*) FROM user_departments"));

        long userId = sql("SELECT MIN(id) FROM users WHERE role = 'GUEST'");
        window.context().database().transactions().write("test.promote", s -> {
            s.find(org.adminconsole.domain.User.class, userId).setRole(org.adminconsole.domain.Role.ADMIN);
            return null;
        });
        robot.type(javafx.scene.input.KeyCode.F5);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> adminBar(robot) == admins + 1);
    }

    @Test
    void showsAReadableMessageWhenTheDatabaseCannotBeOpened(FxRobot robot) throws Exception {
        Settings unreachable = TestDatabases.h2(dir, Map.of("db.url", "jdbc:postgresql://127.0.0.1:1/nothing",
                "pool.connectionTimeoutMs", "1000"));
        open(robot, unreachable, null);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#errorPane").query().isVisible());
        String message = robot.lookup("#errorMessage").queryAs(Label.class).getText();
        assertThat(message).contains("Cannot reach the database").contains("127.0.0.1:1").contains("db.url");
        assertThat(message).doesNotContain("Exception");
    }

    @Test
    void showsWhichSettingIsWrong(FxRobot robot) throws Exception {
        open(robot, null, "Setting pool.maxSize = 'lots' (from code) is invalid: pool.maxSize must be a whole number between 1 and 64.");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#errorPane").query().isVisible());
        assertThat(robot.lookup("#errorMessage").queryAs(Label.class).getText()).contains("pool.maxSize");
    }
}
