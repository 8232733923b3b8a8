package org.adminconsole.ui.inspect;

import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import static org.adminconsole.testing.FxTesting.text;
import static org.adminconsole.testing.FxTesting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.adminconsole.AppContext;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.inspect.SqlConsoleServiceTest;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The SQL console driven like an operator: queries, refused writes (database unchanged), cancel, explain. */
@ExtendWith(ApplicationExtension.class)
class SqlConsoleFxTest {

    private static Path dir;
    private static AppContext ctx;

    @BeforeAll
    static void openDatabase() throws Exception {
        dir = TestDatabases.tempDir("sql-fx");
        ctx = AppContext.start(TestDatabases.h2(dir, java.util.Map.of("sql.idleCloseSeconds", "2")));
        ctx.get(DemoDataService.class).generate(40);
        SqlConsoleServiceTest.createSideEffectObjectsFor(ctx);
    }

    @AfterAll
    static void closeDatabase() {
        ctx.close();
    }

    @Start
    void start(Stage stage) {
        ViewLoader.View<SqlConsolePresenter> view = new ViewLoader(ctx.components()).with(TaskRunner.class, new TaskRunner(2))
                .load("inspect/SqlConsole.fxml");
        stage.setScene(new Scene(view.root(), 1100, 700));
        stage.show();
    }

    @SuppressWarnings("unchecked")
    private static TableView<List<String>> grid(FxRobot robot) {
        return robot.lookup("#resultGrid").queryAs(TableView.class);
    }

    private static void setSql(FxRobot robot, String sql) {
        org.fxmisc.richtext.CodeArea area = robot.lookup("#sqlText").queryAs(org.fxmisc.richtext.CodeArea.class);
        robot.interact(() -> area.replaceText(sql));
    }

    @Test
    void runsASelectAndShowsTheRowsTimeAndCount(FxRobot robot) throws Exception {
        setSql(robot, ""); // the editor's tabs are kept in the data folder: start from an empty text
        robot.clickOn("#sqlText").write("SELECT id, email FROM users WHERE id <= 5 ORDER BY id");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        waitFor(() -> grid(robot).getItems().size() == 5);
        assertThat(grid(robot).getColumns()).extracting(c -> c.getText()).containsExactly("ID", "EMAIL");
        assertThat(grid(robot).getItems().get(0)).containsExactly("1", "bob.1@example.com");
        assertThat(text(robot, "#resultInfo")).matches("5 rows in [0-9,]+ ms");
        assertThat(text(robot, "#sqlMessage")).isEmpty();
        @SuppressWarnings("unchecked")
        ComboBox<String> history = robot.lookup("#historyBox").queryAs(ComboBox.class);
        assertThat(history.getItems()).first().isEqualTo("SELECT id, email FROM users WHERE id <= 5 ORDER BY id");

        robot.clickOn("#explainButton");
        waitFor(() -> !robot.lookup("#planText").queryAs(TextArea.class).getText().isBlank());
        assertThat(robot.lookup("#planText").queryAs(TextArea.class).getText()).containsIgnoringCase("USERS");

        setSql(robot, "SELEC nothing");
        robot.clickOn("#runButton");
        waitFor(() -> text(robot, "#sqlMessage").startsWith("SQL error: Syntax error"));
    }

    @Test
    void everyWriteIsRefusedWithItsMessageAndTheDatabaseIsUnchanged(FxRobot robot) throws Exception {
        String before = SqlConsoleServiceTest.fingerprintOf(ctx);
        setSql(robot, "");
        robot.clickOn("#sqlText").write("DELETE FROM users");
        robot.clickOn("#runButton");
        waitFor(() -> text(robot, "#sqlMessage").startsWith("Refused: DELETE statements change the database"));
        assertThat(text(robot, "#sqlMessage")).contains("read-only").endsWith("Nothing was changed.");
        for (String sql : SqlConsoleServiceTest.writeStatements(true)) {
            setSql(robot, sql);
            robot.clickOn("#runButton"); // clears the previous message at once
            waitFor(() -> !text(robot, "#sqlMessage").isEmpty());
            SqlConsoleServiceTest.assertRefusal(sql, new org.adminconsole.service.ValidationException("sql", text(robot, "#sqlMessage")));
            assertThat(SqlConsoleServiceTest.fingerprintOf(ctx)).as("database after %s", sql).isEqualTo(before);
        }
        setSql(robot, "SELECT * FROM users FOR UPDATE");
        robot.clickOn("#runButton");
        waitFor(() -> text(robot, "#sqlMessage").startsWith("Refused: FOR UPDATE locks rows"));
    }

    @Test
    void anIdleResultIsClosedAndTheOperatorIsTold(FxRobot robot) throws Exception {
        setSql(robot, "SELECT X FROM SYSTEM_RANGE(1, 2000)");
        robot.clickOn("#runButton");
        waitFor(() -> grid(robot).getItems().size() == 500);
        assertThat(robot.lookup("#fetchMoreButton").queryAs(Button.class).isDisabled()).isFalse();
        robot.clickOn("#fetchMoreButton");
        waitFor(() -> grid(robot).getItems().size() == 1000);
        // nobody fetches for 2 s (sql.idleCloseSeconds): the console closes the result and says so
        waitFor(() -> text(robot, "#sqlMessage").startsWith("The result was closed after 2 s without use"));
        assertThat(robot.lookup("#fetchMoreButton").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(text(robot, "#resultInfo")).endsWith("— result closed");
        assertThat(grid(robot).getItems()).hasSize(1000);
        // the next query runs as usual
        setSql(robot, "SELECT 7 AS seven");
        robot.clickOn("#runButton");
        waitFor(() -> grid(robot).getItems().size() == 1 && grid(robot).getItems().get(0).equals(List.of("7")));
        assertThat(text(robot, "#sqlMessage")).isEmpty();
    }

    @Test
    void cancelStopsALongQueryAndGivesControlBack(FxRobot robot) throws Exception {
        setSql(robot, "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 1000000) a, SYSTEM_RANGE(1, 1000000) b");
        robot.clickOn("#runButton");
        waitFor(() -> !robot.lookup("#cancelButton").queryAs(Button.class).isDisabled());
        assertThat(robot.lookup("#runButton").queryAs(Button.class).isDisabled()).isTrue();
        robot.clickOn("#cancelButton");
        waitFor(() -> text(robot, "#sqlMessage").equals("Query cancelled."));
        assertThat(robot.lookup("#runButton").queryAs(Button.class).isDisabled()).isFalse();
        setSql(robot, "SELECT 42 AS answer");
        robot.clickOn("#runButton");
        waitFor(() -> grid(robot).getItems().size() == 1 && grid(robot).getItems().get(0).equals(List.of("42")));
    }
}
