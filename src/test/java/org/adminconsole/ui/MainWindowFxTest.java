package org.adminconsole.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
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

/** The main window opens, shows the counts loaded in the background, or the reason it cannot start. */
@ExtendWith(ApplicationExtension.class)
class MainWindowFxTest {

    @TempDir Path dir;
    private MainWindow window;

    @AfterEach
    void close() throws Exception {
        FxTesting.shutdown(window, 30);
    }

    private void open(FxRobot robot, Settings settings, String settingsError) throws Exception {
        window = FxTesting.openWindow(settings, settingsError);
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
        assertThat(statusLines).as("and while it migrates, with counts")
                .anyMatch(l -> l.matches("Migrating the database: (change \\d+ of \\d+ \\(version .*\\)|\\d+ schema changes to apply)"));
        WaitForAsyncUtils.waitForFxEvents(); // the labels are set in one FX runnable: let it finish
        assertThat(label(robot, "#departmentCount")).isEqualTo("12");
        assertThat(robot.lookup("#errorPane").query().isVisible()).isFalse();
    }

    /**
     * Issue 14: only the Dashboard and Users load with the window; every other view loads when its tab is selected, and
     * the rest by themselves once the first data is shown.
     */
    @Test
    void theOtherViewsLoadWhenSelectedAndOnceTheFirstDataIsShown(FxRobot robot) throws Exception {
        open(robot, TestDatabases.h2(dir, Map.of("db.seed.users", "20")), null);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> label(robot, "#userCount").equals("20"));
        javafx.scene.control.TabPane tabs = robot.lookup(".tab-pane").queryAs(javafx.scene.control.TabPane.class);
        waitOnFx(() -> !tabs.isDisabled() && tabs.getTabs().size() == 1 + MainPresenter.FEATURES.size());
        assertThat(FxTesting.onFx(() -> tabs.getTabs().get(1).getContent())).as("the Users view is there at once").isNotNull();
        // selecting a tab shows its view at once, whether or not it was loaded yet
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT9).release(KeyCode.DIGIT9, KeyCode.CONTROL);
        waitOnFx(() -> tabs.getSelectionModel().getSelectedIndex() == 8);
        assertThat(FxTesting.onFx(() -> tabs.getTabs().get(8).getContent())).isNotNull();
        // and every other view loads by itself
        waitOnFx(() -> tabs.getTabs().stream().allMatch(t -> t.getContent() != null));
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        waitOnFx(() -> tabs.getSelectionModel().getSelectedIndex() == 2 && robot.lookup("#sqlText").tryQuery().isPresent());
    }

    /** Waits until {@code condition}, read on the FX thread (controls are only read there), holds. */
    private static void waitOnFx(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        org.adminconsole.testing.FxTesting.waitFor(() -> org.adminconsole.testing.FxTesting.onFx(condition));
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

    /** Issue 16: the window-wide shortcuts work whatever has the focus, and F1 lists them. */
    @Test
    void keyboardShortcutsWorkFromAnyTabAndF1ListsThem(FxRobot robot) throws Exception {
        open(robot, TestDatabases.h2(dir, Map.of("db.seed.users", "20")), null);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> label(robot, "#userCount").equals("20"));
        javafx.scene.control.TabPane tabs = robot.lookup(".tab-pane").queryAs(javafx.scene.control.TabPane.class);
        waitOnFx(() -> !tabs.isDisabled() && tabs.getTabs().size() > 3);

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        waitOnFx(() -> tabs.getSelectionModel().getSelectedIndex() == 2);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        waitOnFx(() -> tabs.getSelectionModel().getSelectedIndex() == 0);

        // Ctrl+F from the Dashboard: the Users tab, the search field focused, typing searches
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        javafx.scene.control.TextField search = robot.lookup("#searchField").queryAs(javafx.scene.control.TextField.class);
        waitOnFx(() -> "UsersTab".equals(tabs.getSelectionModel().getSelectedItem().getId())
                && search.isFocused());
        robot.write("zz");
        waitOnFx(() -> search.getText().equals("zz"));

        // Ctrl+N from another tab opens a new-user editor; Esc closes it
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        waitOnFx(() -> tabs.getSelectionModel().getSelectedIndex() == 0);
        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        javafx.scene.Node editor = robot.lookup("#userEditor").query();
        javafx.scene.control.TextField email = robot.lookup("#emailField").queryAs(javafx.scene.control.TextField.class);
        waitOnFx(() -> editor.isVisible() && email.isFocused() && email.getText().isEmpty());
        robot.type(KeyCode.ESCAPE);
        waitOnFx(() -> !editor.isVisible());

        // F1 lists every shortcut
        robot.type(KeyCode.F1);
        waitOnFx(() -> robot.lookup("#keyboardHelp").tryQuery().isPresent());
        java.util.List<String> listed = org.adminconsole.testing.FxTesting.onFx(() -> robot.lookup("#keyboardHelp .label")
                .queryAll().stream().map(n -> ((Label) n).getText()).toList());
        assertThat(listed).contains("Ctrl+F", "search users (from any tab)", "Ctrl+1 … Ctrl+9", "F5 or Ctrl+R");
        robot.type(KeyCode.ESCAPE);
        waitOnFx(() -> robot.lookup("#keyboardHelp").tryQuery().isEmpty());
    }

    @Test
    void showsAReadableMessageWhenTheDatabaseCannotBeOpened(FxRobot robot) throws Exception {
        // db.password configured: the owner's console opens at once (without it a shared database asks who signs in
        // first, and the sign-in form says the same sentence: SignInFxTest)
        Settings unreachable = TestDatabases.h2(dir, Map.of("db.url", "jdbc:postgresql://127.0.0.1:1/nothing",
                "pool.connectionTimeoutMs", "1000", "db.password", ""));
        open(robot, unreachable, null);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#errorPane").query().isVisible());
        String message = robot.lookup("#errorMessage").queryAs(Label.class).getText();
        assertThat(message).contains("Cannot reach the database").contains("127.0.0.1:1").contains("db.url");
        assertThat(message).doesNotContain("Exception");
    }

    /** A start that failed (the H2 file held by another process) is retried from the error screen, no restart. */
    @Test
    void retryOpensTheDatabaseOnceTheOtherProcessLetsGoOfTheFile(FxRobot robot) throws Exception {
        Settings settings = TestDatabases.h2(dir, Map.of("db.seed.users", "20"));
        org.adminconsole.AppContext.start(settings).close();
        String url = "jdbc:h2:file:" + dir.resolve("console").toAbsolutePath();
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), org.adminconsole.testing.HoldH2File.class.getName(), url)
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("LOCKED"));
            assertThat(line).as("the other process holds the file").isEqualTo("LOCKED");
            open(robot, settings, null);
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#errorPane").query().isVisible());
            assertThat(label(robot, "#errorMessage")).contains("in use by another Admin Console");
            assertThat(robot.lookup("#retryButton").query().isVisible()).isTrue();
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(10, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        }
        robot.clickOn("#retryButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> label(robot, "#userCount").equals("20"));
        assertThat(robot.lookup("#errorPane").query().isVisible()).isFalse();
        assertThat(robot.lookup("#retryButton").query().isVisible()).isFalse();
    }

    @Test
    void showsWhichSettingIsWrong(FxRobot robot) throws Exception {
        open(robot, null, "Setting pool.maxSize = 'lots' (from code) is invalid: pool.maxSize must be a whole number between 1 and 64.");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#errorPane").query().isVisible());
        assertThat(robot.lookup("#errorMessage").queryAs(Label.class).getText()).contains("pool.maxSize");
        // one state only: not also "Opening the database…" and "Ready"
        assertThat(robot.lookup("Opening the database…").tryQuery()).isEmpty();
        assertThat(org.adminconsole.testing.FxTesting.text(robot, "#statusLabel")).isEqualTo("Not started: the settings are wrong.");
    }

    /**
     * Issue 16: window size, the tab, column widths and filters come back at the next start (per operator), and
     * Reset layout puts the defaults back; a finished task's status line does not follow the operator to another tab.
     */
    @Test
    void theLayoutComesBackAtTheNextStartAndResetLayoutPutsTheDefaultsBack(FxRobot robot) throws Exception {
        Settings settings = TestDatabases.h2(dir, Map.of("db.seed.users", "20", "operator", "alice"));
        open(robot, settings, null);
        javafx.scene.control.TabPane tabs = robot.lookup(".tab-pane").queryAs(javafx.scene.control.TabPane.class);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> org.adminconsole.testing.FxTesting.onFx(() -> !tabs.isDisabled()
                && tabs.getTabs().size() > 3 && !label(robot, "#userCount").isEmpty())); // a first start: slow on a loaded machine
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        javafx.scene.control.TextField search = robot.lookup("#searchField").queryAs(javafx.scene.control.TextField.class);
        waitOnFx(search::isFocused);
        robot.write("ali");
        javafx.scene.control.TableColumn<?, ?> email = onFxTable(robot).getColumns().get(0);
        double defaultWidth = org.adminconsole.testing.FxTesting.onFx(email::getWidth);
        robot.interact(() -> email.setPrefWidth(333)); // what dragging the column's edge does
        Stage stage = (Stage) search.getScene().getWindow();
        robot.interact(() -> {
            stage.setWidth(1000);
            stage.setHeight(650);
        });
        // every view loaded and nothing running: what the line says now is a finished task's, and no task of
        // this tab can finish after the switch
        javafx.scene.Node busy = robot.lookup("#busy").query();
        try {
            waitOnFx(() -> tabs.getTabs().stream().allMatch(t -> t.getContent() != null) && !busy.isVisible()
                    && label(robot, "#statusLabel").endsWith(": done"));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("status '" + label(robot, "#statusLabel") + "', busy " + busy.isVisible() + ", views "
                    + tabs.getTabs().stream().map(t -> t.getContent() != null).toList(), e);
        }
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT4).release(KeyCode.DIGIT4, KeyCode.CONTROL);
        waitOnFx(() -> "SchemaTab".equals(tabs.getSelectionModel().getSelectedItem().getId()));
        javafx.scene.control.SplitPane schemaSplit = robot.lookup("#schemaSplit").queryAs(javafx.scene.control.SplitPane.class);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> schemaSplit.setDividerPositions(0.45)); // where dragging the divider leaves it
        assertThat(org.adminconsole.testing.FxTesting.text(robot, "#statusLabel")).as("no stale line from the Users tab").isEqualTo("Ready");
        org.adminconsole.testing.FxTesting.shutdown(window, 30);
        assertThat(java.nio.file.Files.readString(settings.dataDir().resolve("layout-alice.properties")))
                .contains("main.tabs.selected=SchemaTab", "UsersTab.searchField.text=ali", "window.bounds=");

        open(robot, settings, null);
        javafx.scene.control.TabPane again = robot.lookup(".tab-pane").queryAs(javafx.scene.control.TabPane.class);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> org.adminconsole.testing.FxTesting.onFx(() -> !again.isDisabled()
                && again.getTabs().size() > 3));
        waitOnFx(() -> "SchemaTab".equals(again.getSelectionModel().getSelectedItem().getId()));
        // the remembered tab is Schema & data: it says "Opening the database…" until Hibernate is built, then fills in
        waitOnFx(() -> robot.lookup("#schemaSplit").tryQuery().isPresent());
        Stage stage2 = org.adminconsole.testing.FxTesting.onFx(() -> (Stage) again.getScene().getWindow());
        assertThat(org.adminconsole.testing.FxTesting.onFx(stage2::getWidth)).isEqualTo(1000.0);
        assertThat(org.adminconsole.testing.FxTesting.onFx(stage2::getHeight)).isEqualTo(650.0);
        javafx.scene.control.SplitPane schemaSplit2 = robot.lookup("#schemaSplit").queryAs(javafx.scene.control.SplitPane.class);
        waitOnFx(() -> Math.abs(schemaSplit2.getDividerPositions()[0] - 0.45) < 0.01);
        javafx.scene.control.TextField search2 = robot.lookup("#searchField").queryAs(javafx.scene.control.TextField.class);
        assertThat(org.adminconsole.testing.FxTesting.onFx(() -> search2.getText())).isEqualTo("ali");
        javafx.scene.control.TableColumn<?, ?> email2 = onFxTable(robot).getColumns().get(0);
        assertThat(org.adminconsole.testing.FxTesting.onFx(email2::getPrefWidth)).isEqualTo(333.0);

        java.util.List<String> statusLines = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> robot.lookup("#statusLabel").queryAs(Label.class).textProperty()
                .addListener((o, was, text) -> statusLines.add(text)));
        robot.clickOn("#resetLayoutLink");
        waitOnFx(() -> again.getSelectionModel().getSelectedIndex() == 0);
        assertThat(org.adminconsole.testing.FxTesting.onFx(() -> search2.getText())).isEmpty();
        assertThat(org.adminconsole.testing.FxTesting.onFx(email2::getPrefWidth)).isEqualTo(defaultWidth);
        assertThat(statusLines).as("the status line said so (then the search the reset cleared ran again)")
                .anyMatch(l -> l.startsWith("Layout reset"));
        assertThat(settings.dataDir().resolve("layout-alice.properties")).doesNotExist();
        // the FXML's 0.22 again (the pane's own layout may then move it a little, as at a first start)
        waitOnFx(() -> schemaSplit2.getDividerPositions()[0] < 0.3);
    }

    private static javafx.scene.control.TableView<?> onFxTable(FxRobot robot) {
        return robot.lookup("#usersTable").queryAs(javafx.scene.control.TableView.class);
    }
}
