package org.adminconsole.ui;

import static org.adminconsole.testing.FxTesting.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.adminconsole.testing.FxTesting;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** Keyboard first, in the main window: Tab leaves a text area as any field, Ctrl+E exports what the tab shows. */
@ExtendWith(ApplicationExtension.class)
class KeyboardFxTest {

    @TempDir Path dir;
    @TempDir Path exportDir;
    private MainWindow window;

    @AfterEach
    void close() throws Exception {
        FxTesting.shutdown(window, 30);
    }

    private static void waitOnFx(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        FxTesting.waitFor(() -> onFx(condition));
    }

    private static void selectTab(TabPane tabs, String id) throws Exception {
        onFx(() -> {
            tabs.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst().ifPresent(t -> tabs.getSelectionModel().select(t));
            return null;
        });
    }

    @Test
    void tabLeavesTheSettingsAreaAndCtrlEExportsTheOpenTable(FxRobot robot) throws Exception {
        window = FxTesting.openWindow(TestDatabases.h2(dir, Map.of("db.seed.users", "20")), null);
        TabPane tabs = robot.lookup(".tab-pane").queryAs(TabPane.class);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> onFx(() -> !tabs.isDisabled() && tabs.getTabs().size() > 3)); // opening and seeding: slow on a loaded machine

        // a new user's editor: in the Settings area Tab moves on instead of typing a tab character
        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        TextArea settings = robot.lookup("#settingsArea").queryAs(TextArea.class);
        waitOnFx(() -> robot.lookup("#userEditor").query().isVisible());
        robot.clickOn(settings).write("theme=dark");
        waitOnFx(settings::isFocused);
        robot.type(KeyCode.TAB);
        waitOnFx(() -> !settings.isFocused());
        assertThat(onFx(() -> settings.getText())).isEqualTo("theme=dark");
        Node next = onFx(() -> settings.getScene().getFocusOwner());
        assertThat(next).isNotSameAs(settings);
        // Shift+Tab comes back
        robot.press(KeyCode.SHIFT, KeyCode.TAB).release(KeyCode.TAB, KeyCode.SHIFT);
        waitOnFx(settings::isFocused);
        assertThat(onFx(() -> settings.getText())).doesNotContain("\t");
        robot.type(KeyCode.ESCAPE);

        // Ctrl+E in Schema & data: the open table goes to the CSV file named in the export field
        selectTab(tabs, "SchemaTab");
        waitOnFx(() -> robot.lookup("USERS").tryQuery().isPresent());
        robot.clickOn("USERS");
        waitOnFx(() -> robot.lookup("#tableTitle").queryAs(Label.class).getText().equals("Table PUBLIC.USERS"));
        Path target = exportDir.resolve("users.csv");
        TextField path = robot.lookup("#exportPath").queryAs(TextField.class);
        robot.interact(() -> path.setText(target.toString()));
        robot.press(KeyCode.CONTROL, KeyCode.E).release(KeyCode.E, KeyCode.CONTROL);
        waitOnFx(() -> robot.lookup("#exportMessage").queryAs(Label.class).getText().startsWith("Exported"));
        assertThat(onFx(() -> robot.lookup("#exportMessage").queryAs(Label.class).getText())).isEqualTo("Exported 20 rows to " + target);
        assertThat(Files.readAllLines(target)).hasSize(21);

        // the SQL editor too: Tab moves on, Shift+Tab comes back, Ctrl+Tab inserts a tab character
        selectTab(tabs, "SqlConsoleTab");
        waitOnFx(() -> robot.lookup("#sqlText").tryQuery().map(Node::isVisible).orElse(false));
        Node editor = robot.lookup("#sqlText").query();
        robot.clickOn(editor);
        waitOnFx(editor::isFocused);
        robot.interact(() -> ((org.fxmisc.richtext.CodeArea) editor).replaceText("SELECT 1"));
        robot.type(KeyCode.TAB);
        waitOnFx(() -> !editor.isFocused());
        assertThat(onFx(() -> ((org.fxmisc.richtext.CodeArea) editor).getText())).isEqualTo("SELECT 1");
        robot.press(KeyCode.SHIFT, KeyCode.TAB).release(KeyCode.TAB, KeyCode.SHIFT);
        waitOnFx(editor::isFocused);
        robot.press(KeyCode.CONTROL, KeyCode.TAB).release(KeyCode.TAB, KeyCode.CONTROL);
        waitOnFx(() -> ((org.fxmisc.richtext.CodeArea) editor).getText().contains("\t"));

        // Ctrl+E on a tab with nothing to export does nothing (and breaks nothing)
        selectTab(tabs, "dashboardTab");
        robot.press(KeyCode.CONTROL, KeyCode.E).release(KeyCode.E, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(onFx(() -> tabs.isDisabled())).isFalse();
    }
}
