package org.adminconsole.ui.users;

import static org.adminconsole.testing.FxTesting.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.testing.FxTesting;
import org.adminconsole.testing.TestDatabases;
import org.adminconsole.ui.MainWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** The user editor shows who the user is (id, created, updated, by whom) and picks departments by searching. */
@ExtendWith(ApplicationExtension.class)
class UserEditorFxTest {

    @TempDir Path dir;
    private MainWindow window;

    @AfterEach
    void close() throws Exception {
        FxTesting.shutdown(window, 30);
    }

    @SuppressWarnings("unchecked")
    private static ListView<DepartmentView> departments(FxRobot robot) {
        return robot.lookup("#departmentsList").queryAs(ListView.class);
    }

    @Test
    void theEditorShowsTheRecordAndASearchableDepartmentPickerWithTheUsersOwnFirst(FxRobot robot) throws Exception {
        window = FxTesting.openWindow(TestDatabases.h2(dir, Map.of("db.seed.users", "30")), null);
        TabPane tabs = robot.lookup(".tab-pane").queryAs(TabPane.class);
        WaitForAsyncUtils.waitFor(120, java.util.concurrent.TimeUnit.SECONDS, () -> onFx(() -> !tabs.isDisabled() && tabs.getTabs().size() > 3)); // opening and seeding: slow on a loaded machine
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        @SuppressWarnings("unchecked")
        TableView<Object> users = robot.lookup("#usersTable").queryAs(TableView.class);
        FxTesting.waitFor(() -> onFx(() -> users.getItems().size() >= 10));
        // the first user: open it with the keyboard
        robot.clickOn(onFx(() -> (Node) robot.lookup("#usersTable .table-row-cell").query()));
        robot.type(KeyCode.ENTER);
        FxTesting.waitFor(() -> onFx(() -> robot.lookup("#userEditor").query().isVisible()
                && robot.lookup("#userRecord").queryAs(Label.class).getText().startsWith("#")));
        String email = onFx(() -> robot.lookup("#emailField").queryAs(javafx.scene.control.TextField.class).getText());
        UserView user = window.context().get(UserEditing.class).openByEmail(email).orElseThrow().user();
        String record = onFx(() -> robot.lookup("#userRecord").queryAs(Label.class).getText());
        assertThat(record).startsWith("#" + user.id() + " · created ").contains(" UTC").contains("version " + user.version());
        if (user.createdBy() != null) {
            assertThat(record).contains("by " + user.createdBy());
        }

        // all 12 departments offered, the user's own first and checked
        FxTesting.waitFor(() -> onFx(() -> departments(robot).getItems().size() == 12));
        List<String> own = user.departments().stream().map(DepartmentView::name).sorted(String.CASE_INSENSITIVE_ORDER).toList();
        List<String> shownFirst = onFx(() -> departments(robot).getItems().stream().limit(own.size()).map(DepartmentView::name).toList());
        assertThat(shownFirst).isEqualTo(own);
        assertThat(onFx(() -> robot.lookup("#departmentsLabel").queryAs(Label.class).getText()))
                .isEqualTo(own.isEmpty() ? "Departments" : "Departments (" + own.size() + " chosen)");

        // search for one the user is not in, check it with the keyboard, save
        DepartmentView extra = onFx(() -> departments(robot).getItems().stream().filter(d -> !own.contains(d.name())).findFirst().orElseThrow());
        robot.clickOn("#departmentSearch").write(extra.name().substring(0, 4).toLowerCase());
        FxTesting.waitFor(() -> onFx(() -> departments(robot).getItems().stream().allMatch(d -> d.name().toLowerCase()
                .contains(extra.name().substring(0, 4).toLowerCase())) && departments(robot).getItems().contains(extra)));
        assertThat(onFx(() -> departments(robot).getItems().size())).isLessThan(12);
        onFx(() -> {
            departments(robot).getFocusModel().focus(departments(robot).getItems().indexOf(extra));
            departments(robot).requestFocus();
            return null;
        });
        robot.type(KeyCode.SPACE);
        FxTesting.waitFor(() -> onFx(() -> robot.lookup("#departmentsLabel").queryAs(Label.class).getText())
                .equals("Departments (" + (own.size() + 1) + " chosen)"));
        robot.clickOn("#saveButton");
        FxTesting.waitFor(() -> onFx(() -> !robot.lookup("#userEditor").query().isVisible()));
        FxTesting.waitFor(() -> window.context().get(UserEditing.class).open(user.id()).orElseThrow().user().departments().stream()
                .anyMatch(d -> d.id() == extra.id()));
        assertThat(window.context().get(UserEditing.class).open(user.id()).orElseThrow().user().departments()).hasSize(own.size() + 1);
    }
}
