package org.adminconsole.ui.users;

import static org.adminconsole.testing.FxTesting.onFx;
import static org.adminconsole.testing.FxTesting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.adminconsole.AppContext;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.service.users.UserForm;
import org.adminconsole.service.users.UserListing;
import org.adminconsole.service.users.UserPage;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.testing.TestDatabases;
import org.adminconsole.testing.ViewerLogin;
import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Issue 15 item 3 in the Users view: a console signed in as a viewer login (its own AppContext beside an admin's, on
 * one H2 database) lists, pages and searches users with their emails masked, in the table's cells as drawn.
 */
@ExtendWith(ApplicationExtension.class)
class MaskedUsersFxTest {

    static AppContext admin;
    static ViewerLogin login;
    static AppContext viewer;
    static TaskRunner runner;
    UsersPresenter presenter;

    @BeforeAll
    static void openDatabase() throws Exception {
        admin = AppContext.start(TestDatabases.h2(TestDatabases.tempDir("masked-fx"), Map.of("db.seed.users", "300")));
        SaveResult r = admin.get(UserEditing.class).save(new UserForm(null, 0, "topsecret@example.com", "ts_user", Role.USER, true,
                "0", "0", Set.of(), null));
        assertThat(r).isInstanceOf(SaveResult.Saved.class);
        // the admin's console reads (and caches) every real email first
        assertThat(admin.get(UserListing.class).page(UserQuery.all(), UserPage.Nav.FIRST, null, 50).rows())
                .extracting(UserView::email).noneMatch(e -> e.contains("***"));
        login = ViewerLogin.create(admin.settings());
        viewer = AppContext.start(login.settings());
        runner = new TaskRunner(3);
    }

    @AfterAll
    static void closeDatabase() {
        runner.close();
        viewer.close();
        login.drop();
        admin.close();
    }

    @Start
    void start(Stage stage) {
        ViewLoader.View<UsersPresenter> v = new ViewLoader(viewer.components()).with(TaskRunner.class, runner).load("users/Users.fxml");
        presenter = v.presenter();
        Scene scene = new Scene(v.root(), 1240, 740);
        scene.getStylesheets().add(MaskedUsersFxTest.class.getResource("/fxml/console.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @SuppressWarnings("unchecked")
    List<UserView> rows(FxRobot robot) {
        return onFx(() -> List.copyOf(robot.lookup("#usersTable").queryAs(TableView.class).getItems()));
    }

    /** The texts the table's cells draw now. */
    List<String> cellTexts(FxRobot robot) {
        return onFx(() -> robot.lookup("#usersTable .table-cell").queryAll().stream()
                .filter(n -> n instanceof TableCell<?, ?> c && c.getText() != null).map(n -> ((TableCell<?, ?>) n).getText()).toList());
    }

    boolean idle() {
        return runner.runningProperty().get() == 0;
    }

    String total(FxRobot robot) {
        return onFx(() -> robot.lookup("#totalLabel").queryAs(Label.class).getText());
    }

    void typeSlowly(FxRobot robot, String text) throws Exception {
        robot.clickOn("#searchField").press(KeyCode.CONTROL).press(KeyCode.A).release(KeyCode.A).release(KeyCode.CONTROL);
        robot.write(text, 60);
        waitFor(() -> idle() && presenter.query().search().equals(text) && !total(robot).contains("…"));
    }

    @Test
    void aViewersUsersListShowsOnlyMaskedEmails(FxRobot robot) throws Exception {
        waitFor(() -> idle() && rows(robot).size() == UsersPresenter.PAGE_SIZE && !total(robot).contains("…"));
        assertThat(rows(robot)).extracting(UserView::email).allMatch(e -> e.matches("^.?\\*\\*\\*@example\\.com$"));
        List<String> cells = cellTexts(robot);
        assertThat(cells).anyMatch(t -> t.contains("***@example.com"));
        assertThat(cells).noneMatch(t -> t.matches("^[^*]{2,}@.*"));

        robot.clickOn("#nextButton");
        waitFor(() -> idle() && rows(robot).size() == UsersPresenter.PAGE_SIZE);
        assertThat(rows(robot)).extracting(UserView::email).allMatch(e -> e.contains("***@"));

        // the real email is not searched: its local part finds nobody, the username finds the user, masked
        assertThat(onFx(() -> robot.lookup("#searchField").queryAs(javafx.scene.control.TextField.class).getPromptText()))
                .contains("masked email");
        typeSlowly(robot, "topsecret");
        waitFor(() -> rows(robot).isEmpty());
        waitFor(() -> onFx(() -> robot.lookup("#emptyLabel").queryAs(Label.class).getText())
                .equals("No user's masked email or username contains \"topsecret\"."));
        typeSlowly(robot, "ts_user");
        waitFor(() -> rows(robot).size() == 1);
        assertThat(rows(robot).get(0).email()).isEqualTo("t***@example.com");
        Node cell = robot.lookup("#usersTable .table-cell").match(n -> n instanceof TableCell<?, ?> c && "t***@example.com".equals(c.getText())).query();
        assertThat(cell).isNotNull();
        assertThat(cellTexts(robot)).noneMatch(t -> t.contains("topsecret"));
    }
}
