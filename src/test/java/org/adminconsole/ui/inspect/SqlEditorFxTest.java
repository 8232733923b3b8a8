package org.adminconsole.ui.inspect;

import static org.adminconsole.testing.FxTesting.onFx;
import static org.adminconsole.testing.FxTesting.text;
import static org.adminconsole.testing.FxTesting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.adminconsole.AppContext;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.inspect.EditorTabs;
import org.adminconsole.service.inspect.SqlCompletion;
import org.adminconsole.testing.TestDatabases;
import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import org.adminconsole.ui.inspect.sql.SqlEditor;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The SQL editor driven like an operator: typing, Ctrl+Space completion, tabs, Ctrl+Enter on the statement under the
 * cursor or a selection, CSV export, and the tabs coming back after a restart (or not, from a corrupt file).
 */
@ExtendWith(ApplicationExtension.class)
class SqlEditorFxTest {

    private static Path dir;
    private static Path exports;
    private static AppContext ctx;
    private Stage stage;

    @BeforeAll
    static void openDatabase() throws Exception {
        dir = TestDatabases.tempDir("sql-editor-fx");
        exports = TestDatabases.tempDir("sql-editor-export");
        ctx = AppContext.start(TestDatabases.h2(dir));
        ctx.get(DemoDataService.class).generate(20);
    }

    @AfterAll
    static void closeDatabase() {
        ctx.close();
    }

    private static Path tabsFile() {
        return ctx.settings().dataDir().resolve(EditorTabs.FILE_NAME);
    }

    @Start
    void start(Stage stage) throws Exception {
        Files.deleteIfExists(tabsFile()); // every test starts from one empty tab
        this.stage = stage;
        stage.setScene(new Scene(load(), 1100, 760));
        stage.show();
    }

    private static Parent load() {
        return new ViewLoader(ctx.components()).with(TaskRunner.class, new TaskRunner(2)).load("inspect/SqlConsole.fxml").root();
    }

    private static CodeArea area(FxRobot robot) {
        return robot.lookup("#sqlText").queryAs(CodeArea.class);
    }

    @SuppressWarnings("unchecked")
    private static TableView<List<String>> grid(FxRobot robot) {
        return robot.lookup("#resultGrid").queryAs(TableView.class);
    }

    @SuppressWarnings("unchecked")
    private static ListView<SqlCompletion.Item> completion(FxRobot robot) {
        return robot.lookup("#completionList").queryAs(ListView.class);
    }

    private static void ctrl(FxRobot robot, KeyCode key) {
        robot.press(KeyCode.CONTROL, key).release(key, KeyCode.CONTROL);
    }

    private static void namesLoaded(FxRobot robot) throws Exception {
        waitFor(() -> text(robot, "#namesInfo").matches("Completion \\(Ctrl\\+Space\\): [0-9,]+ tables and views, [0-9,]+ columns"));
    }

    @Test
    void typesCompletesAColumnAndRunsTheStatementUnderTheCursor(FxRobot robot) throws Exception {
        robot.clickOn("#sqlText").write("SELECT  FROM users u WHERE u.id <= 3 ORDER BY u.id;\nSELECT 42 AS answer;");
        namesLoaded(robot); // the first focus read them
        ctrl(robot, KeyCode.HOME);
        for (int i = 0; i < "SELECT ".length(); i++) {
            robot.type(KeyCode.RIGHT);
        }
        robot.write("u.id, u.em");
        ctrl(robot, KeyCode.SPACE);
        waitFor(() -> completion(robot).isVisible());
        assertThat(onFx(() -> completion(robot).getItems().stream().map(SqlCompletion.Item::insert).toList()))
                .containsExactly("email", "email_key");
        robot.type(KeyCode.ENTER); // the first one
        waitFor(() -> !completion(robot).isVisible());
        assertThat(onFx(() -> area(robot).getText())).startsWith("SELECT u.id, u.email FROM users u");

        // Escape closes the list and changes nothing
        robot.write(", u.");
        ctrl(robot, KeyCode.SPACE);
        waitFor(() -> completion(robot).isVisible() && !completion(robot).getItems().isEmpty());
        robot.type(KeyCode.ESCAPE);
        waitFor(() -> !completion(robot).isVisible());
        robot.write("role");
        // typing narrows an open list; Tab inserts
        robot.write(", u.us");
        ctrl(robot, KeyCode.SPACE);
        waitFor(() -> completion(robot).isVisible());
        robot.write("a");
        waitFor(() -> completion(robot).getItems().size() == 1);
        robot.type(KeyCode.TAB);
        waitFor(() -> onFx(() -> area(robot).getText()).startsWith("SELECT u.id, u.email, u.role, u.usage_amount FROM users u"));

        // the cursor is in the first statement: Ctrl+Enter runs it alone
        ctrl(robot, KeyCode.ENTER);
        waitFor(() -> grid(robot).getItems().size() == 3);
        assertThat(grid(robot).getColumns()).extracting(c -> c.getText()).containsExactly("ID", "EMAIL", "ROLE", "USAGE_AMOUNT");
        assertThat(grid(robot).getItems().get(0).subList(0, 2)).containsExactly("1", "bob.1@example.com");
        assertThat(onFx(() -> area(robot).getText())).as("Ctrl+Enter inserts no line break").doesNotContain("u.usage_amount\n");

        // at the end of the script: the last statement
        ctrl(robot, KeyCode.END);
        ctrl(robot, KeyCode.ENTER);
        waitFor(() -> grid(robot).getItems().size() == 1 && grid(robot).getItems().get(0).equals(List.of("42")));
        assertThat(text(robot, "#sqlMessage")).isEmpty();

        // Run all keeps its behaviour: the whole text is one query or nothing
        robot.clickOn("#runButton");
        waitFor(() -> text(robot, "#sqlMessage").contains("one statement at a time") || text(robot, "#sqlMessage").contains("several"));
    }

    @Test
    void aSecondTabRunsASelectionAndTheTabsComeBackAfterARestart(FxRobot robot) throws Exception {
        robot.clickOn("#sqlText").write("SELECT 'first tab' AS t");
        robot.clickOn("#newTabButton");
        TabPane tabs = robot.lookup("#editorTabs").queryAs(TabPane.class);
        waitFor(() -> tabs.getTabs().size() == 2 && tabs.getSelectionModel().getSelectedIndex() == 1);
        assertThat(onFx(() -> tabs.getTabs().get(1).getText())).isEqualTo("Query 2");
        robot.clickOn("#sqlText").write("SELECT 1 AS a; SELECT 2 AS b; SELECT 3 AS c");
        // select "SELECT 2 AS b" with the keyboard
        for (int i = 0; i < "; SELECT 3 AS c".length(); i++) {
            robot.type(KeyCode.LEFT);
        }
        robot.press(KeyCode.SHIFT);
        for (int i = 0; i < "SELECT 2 AS b".length(); i++) {
            robot.type(KeyCode.LEFT);
        }
        robot.release(KeyCode.SHIFT);
        assertThat(onFx(() -> area(robot).getSelectedText())).isEqualTo("SELECT 2 AS b");
        ctrl(robot, KeyCode.ENTER);
        waitFor(() -> grid(robot).getItems().size() == 1 && grid(robot).getItems().get(0).equals(List.of("2")));
        assertThat(grid(robot).getColumns()).extracting(c -> c.getText()).containsExactly("B");
        // the first tab kept its own text
        robot.interact(() -> tabs.getSelectionModel().select(0));
        assertThat(onFx(() -> area(robot).getText())).isEqualTo("SELECT 'first tab' AS t");
        robot.interact(() -> tabs.getSelectionModel().select(1));
        robot.clickOn("#sqlText").write(" -- typed just before closing");

        // closing the window saves at once; a new console over the same data folder shows the same tabs
        robot.interact(() -> stage.close());
        assertThat(Files.readString(tabsFile(), StandardCharsets.UTF_8)).contains("-- typed just before closing");
        Parent[] again = new Parent[1];
        robot.interact(() -> {
            again[0] = load();
            Stage s = new Stage();
            s.setScene(new Scene(again[0], 1000, 700));
            s.show();
        });
        TabPane restored = (TabPane) again[0].lookup("#editorTabs");
        assertThat(onFx(() -> restored.getTabs().stream().map(t -> t.getText()).toList())).containsExactly("Query 1", "Query 2");
        assertThat(onFx(() -> restored.getSelectionModel().getSelectedIndex())).isEqualTo(1);
        assertThat(onFx(() -> ((SqlEditor) restored.getTabs().get(0).getUserData()).text())).isEqualTo("SELECT 'first tab' AS t");
        assertThat(onFx(() -> ((SqlEditor) restored.getTabs().get(1).getUserData()).text()))
                .isEqualTo("SELECT 1 AS a; SELECT 2 AS b; SELECT 3 AS c -- typed just before closing");
        assertThat(onFx(() -> ((Label) again[0].lookup("#sqlMessage")).getText())).isEmpty();
        robot.interact(() -> again[0].getScene().getWindow().hide());
    }

    @Test
    void aTabIsRenamedFromItsMenuAndClosingOneWithTextAsksFirst(FxRobot robot) throws Exception {
        TabPane tabs = robot.lookup("#editorTabs").queryAs(TabPane.class);
        // the tab's context menu (Monocle's robot raises no context-menu request on a right click): its item
        robot.interact(() -> tabs.getTabs().get(0).getContextMenu().getItems().get(0).fire());
        waitFor(() -> robot.lookup("#renameTabDialog").tryQuery().isPresent());
        robot.interact(() -> robot.lookup("#renameTabDialog .text-field").queryAs(TextField.class).setText("Daily check"));
        robot.clickOn(robot.lookup("#renameTabDialog .button").match(n -> "OK".equals(((Button) n).getText())).queryAs(Button.class));
        waitFor(() -> tabs.getTabs().get(0).getText().equals("Daily check"));

        robot.clickOn("#newTabButton");
        waitFor(() -> tabs.getTabs().size() == 2);
        assertThat(onFx(() -> tabs.getTabs().get(1).getText())).isEqualTo("Query 1"); // the first name free
        robot.clickOn("#sqlText").write("SELECT 1");
        robot.clickOn(robot.lookup(".tab").match(n -> n.lookup(".tab-label") instanceof Label l && "Query 1".equals(l.getText()))
                .queryAs(javafx.scene.Node.class).lookup(".tab-close-button"));
        waitFor(() -> robot.lookup("#confirmOk").tryQuery().isPresent());
        assertThat(tabs.getTabs()).hasSize(2);
        robot.clickOn("#confirmOk");
        waitFor(() -> tabs.getTabs().size() == 1);
        // the last tab closed: a new empty one takes its place
        robot.clickOn(robot.lookup(".tab-close-button").queryAs(javafx.scene.Node.class));
        waitFor(() -> tabs.getTabs().size() == 1 && tabs.getTabs().get(0).getText().equals("Query 1"));
        waitFor(() -> Files.exists(tabsFile()) && Files.readString(tabsFile()).contains("tab\tQuery 1\t\n")
                && !Files.readString(tabsFile()).contains("Daily check"));
    }

    @Test
    void aCorruptTabsFileGivesOneEmptyTabAndAMessage(FxRobot robot) throws Exception {
        Files.write(tabsFile(), new byte[] {'x', 0, (byte) 0xff, '\n', 't', 'a', 'b'});
        Parent[] view = new Parent[1];
        robot.interact(() -> {
            view[0] = load();
            Stage s = new Stage();
            s.setScene(new Scene(view[0], 1000, 700));
            s.show();
        });
        TabPane tabs = (TabPane) view[0].lookup("#editorTabs");
        assertThat(onFx(() -> tabs.getTabs().size())).isEqualTo(1);
        assertThat(onFx(() -> ((SqlEditor) tabs.getTabs().get(0).getUserData()).text())).isEmpty();
        assertThat(onFx(() -> ((Label) view[0].lookup("#sqlMessage")).getText()))
                .startsWith("The saved SQL tabs could not be read").contains("one empty tab");
        assertThat(tabsFile().resolveSibling(EditorTabs.FILE_NAME + ".unreadable")).exists();
        robot.interact(() -> view[0].getScene().getWindow().hide());
    }

    @Test
    void exportsTheLastQueryToCsvAndAsksBeforeReplacing(FxRobot robot) throws Exception {
        Button export = robot.lookup("#sqlExportButton").queryAs(Button.class);
        assertThat(export.getStyleClass()).contains("export-action"); // Ctrl+E fires it in the main window
        assertThat(export.isDisabled()).as("nothing ran yet").isTrue();
        robot.interact(() -> area(robot).replaceText("SELECT id, email, '=1+2' AS f, -5 AS n FROM users WHERE id <= 3 ORDER BY id"));
        robot.clickOn("#runButton");
        waitFor(() -> grid(robot).getItems().size() == 3 && !export.isDisabled());
        Path file = exports.resolve("query-" + System.nanoTime() + ".csv");
        robot.interact(() -> robot.lookup("#sqlExportPath").queryAs(TextField.class).setText(file.toString()));
        robot.clickOn("#sqlExportButton");
        waitFor(() -> text(robot, "#sqlExportMessage").startsWith("Exported 3 rows to"));
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(
                "ID,EMAIL,F,N\r\n1,bob.1@example.com,'=1+2,-5\r\n2,carol.2@example.com,'=1+2,-5\r\n3,dave.3@example.com,'=1+2,-5\r\n");
        // again: the file exists, so the operator is asked first
        robot.clickOn("#sqlExportButton");
        waitFor(() -> robot.lookup("#confirmOk").tryQuery().isPresent());
        robot.clickOn("#confirmOk");
        waitFor(() -> text(robot, "#sqlExportMessage").startsWith("Exported 3 rows to"));
        // a relative path is refused before anything runs
        robot.interact(() -> robot.lookup("#sqlExportPath").queryAs(TextField.class).setText("relative.csv"));
        robot.clickOn("#sqlExportButton");
        waitFor(() -> text(robot, "#sqlExportMessage").startsWith("Give the full path"));
    }

    @Test
    void aLongScriptIsHighlightedOffTheFxThreadAndStaysEditable(FxRobot robot) throws Exception {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            script.append("SELECT id, 'text ; ").append(i).append("' AS s, ").append(i).append(" -- line ").append(i).append('\n');
        }
        robot.interact(() -> area(robot).replaceText(script.toString()));
        SqlEditor editor = (SqlEditor) onFx(() -> robot.lookup("#editorTabs").queryAs(TabPane.class).getSelectionModel()
                .getSelectedItem().getUserData());
        waitFor(() -> onFx(editor::highlighted));
        int lastLine = script.lastIndexOf("SELECT");
        assertThat(onFx(() -> area(robot).getStyleAtPosition(lastLine + 1))).containsExactly("sql-keyword");
        assertThat(onFx(() -> area(robot).getStyleAtPosition(script.lastIndexOf("'text") + 2))).containsExactly("sql-string");
        assertThat(onFx(() -> area(robot).getStyleAtPosition(script.lastIndexOf("-- line") + 2))).containsExactly("sql-comment");
        // a key in a 5,000-line script: the edit itself does not re-highlight on the FX thread
        long t0 = System.nanoTime();
        robot.interact(() -> {
            area(robot).moveTo(area(robot).getLength());
            area(robot).insertText(area(robot).getLength(), "SELECT 1");
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("one edit of a 5,000-line script, in ms").isLessThan(2000);
        waitFor(() -> onFx(editor::highlighted));
        assertThat(onFx(() -> area(robot).getStyleAtPosition(area(robot).getLength() - 3))).containsExactly("sql-keyword");
    }
}
