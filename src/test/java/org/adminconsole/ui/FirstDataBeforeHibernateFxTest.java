package org.adminconsole.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.FxTesting;
import org.adminconsole.support.DeferredStart;
import org.adminconsole.testing.HeldBootstrap;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 14, startup: the window shows the Users rows and the Dashboard's first figure, and the operator can search,
 * while Hibernate is still building (held back here by the test, so it is certain); the views that need Hibernate
 * say "Opening the database…" and fill in once it is built. A schema that stops matching meanwhile gives the error
 * screen the start has always given, and Retry opens the console once it is fixed.
 */
@ExtendWith(ApplicationExtension.class)
class FirstDataBeforeHibernateFxTest {

    @TempDir Path dir;
    private final DeferredStart bootstrap = HeldBootstrap.held();
    private MainWindow window;

    @AfterEach
    void close() throws Exception {
        bootstrap.release();
        FxTesting.shutdown(window, 30);
    }

    private Settings seeded(int users) {
        Settings s = TestDatabases.h2(dir, Map.of("db.seed.users", "" + users));
        AppContext.start(s).close();
        return s;
    }

    private void open(Settings s) throws Exception {
        window = WaitForAsyncUtils.asyncFx(() -> MainWindow.show(new Stage(), s, null,
                () -> AppContext.startBeforeHibernate(s, bootstrap))).get(30, TimeUnit.SECONDS);
    }

    @Test
    void theOperatorSeesAndSearchesUsersWhileHibernateBuilds(FxRobot robot) throws Exception {
        Settings s = seeded(300);
        open(s);
        FxTesting.waitFor(() -> rows(robot) == 50 && FxTesting.text(robot, "#userCount").matches(".*\\d.*"));
        assertThat(window.context().isReady()).as("Hibernate is held back").isFalse();
        assertThat(FxTesting.text(robot, "#activeCount")).as("the counted figures wait for Hibernate").doesNotMatch(".*\\d.*");

        // the search runs as well (plain JDBC pages and totals; by default it looks inside the email and username)
        String prefix = FxTesting.onFx(() -> ((org.adminconsole.domain.UserView) table(robot).getItems().get(7)).username().substring(0, 4));
        tab(robot, KeyCode.DIGIT2, "UsersTab");
        robot.clickOn("#searchField").write(prefix);
        FxTesting.waitFor(() -> rows(robot) > 0 && rows(robot) < 50 && FxTesting.onFx(() -> table(robot).getItems().stream()
                .allMatch(u -> ((org.adminconsole.domain.UserView) u).username().contains(prefix)
                        || ((org.adminconsole.domain.UserView) u).email().contains(prefix))));

        // a view that needs Hibernate says why it is empty
        tab(robot, KeyCode.DIGIT8, "CachesTab");
        FxTesting.waitFor(() -> FxTesting.onFx(() -> selectedContent(robot) instanceof Label l && l.getText().equals("Opening the database…")));
        assertThat(window.context().isReady()).isFalse();

        bootstrap.release();
        FxTesting.waitFor(() -> robot.lookup("#regionsTable").tryQuery().isPresent());
        tab(robot, KeyCode.DIGIT2, "UsersTab");
        FxTesting.waitFor(() -> FxTesting.onFx(() -> robot.lookup("#departmentFilter").queryAs(ComboBox.class).getItems().size() > 12));
        tab(robot, KeyCode.DIGIT1, "dashboardTab");
        FxTesting.waitFor(() -> FxTesting.text(robot, "#activeCount").matches("[\\d,]+") && FxTesting.text(robot, "#userCount").equals("300"));
    }

    @Test
    void aSchemaChangedDuringTheStartShowsTheErrorAndRetryOpensOnceFixed(FxRobot robot) throws Exception {
        Settings s = seeded(20);
        open(s);
        FxTesting.waitFor(() -> rows(robot) == 20);
        try (Connection c = TestDatabases.connect(s); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE departments RENAME COLUMN name TO title");
        }
        bootstrap.release();
        FxTesting.waitFor(() -> FxTesting.onFx(() -> robot.lookup("#errorPane").query().isVisible()));
        assertThat(FxTesting.text(robot, "#errorMessage")).startsWith("The database could not be opened.").contains("does not match");
        assertThat(FxTesting.onFx(() -> robot.lookup(".tab-pane").queryAs(TabPane.class).isDisabled())).isTrue();
        assertThat(window.context()).as("the failed console was let go").isNull();

        try (Connection c = TestDatabases.connect(s); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE departments RENAME COLUMN title TO name");
        }
        robot.clickOn("#retryButton");
        FxTesting.waitFor(() -> window.context() != null && window.context().isReady());
        tab(robot, KeyCode.DIGIT2, "UsersTab");
        FxTesting.waitFor(() -> rows(robot) == 20);
        assertThat(FxTesting.onFx(() -> robot.lookup("#errorPane").query().isVisible())).isFalse();
    }

    /** Selects a tab the way an operator does from the keyboard (Ctrl+1 … Ctrl+9) and waits until it is shown. */
    private static void tab(FxRobot robot, KeyCode digit, String id) throws Exception {
        robot.press(KeyCode.CONTROL, digit).release(digit, KeyCode.CONTROL);
        FxTesting.waitFor(() -> FxTesting.onFx(() -> id.equals(robot.lookup(".tab-pane").queryAs(TabPane.class)
                .getSelectionModel().getSelectedItem().getId())));
    }

    private static TableView<?> table(FxRobot robot) {
        return robot.lookup("#usersTable").queryAs(TableView.class);
    }

    private static int rows(FxRobot robot) {
        return FxTesting.onFx(() -> robot.lookup("#usersTable").tryQuery().map(n -> ((TableView<?>) n).getItems().size()).orElse(0));
    }

    private static Node selectedContent(FxRobot robot) {
        return robot.lookup(".tab-pane").queryAs(TabPane.class).getSelectionModel().getSelectedItem().getContent();
    }
}
