package org.adminconsole.ui;

import static org.adminconsole.testing.FxTesting.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.service.access.Operators;
import org.adminconsole.service.access.Role;
import org.adminconsole.testing.FxTesting;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 15 in the window, on a shared H2 file (AUTO_SERVER; {@link SignInPostgresFxTest} runs the same on PostgreSQL):
 * the sign-in form (wrong password, disabled login, then right), the title bar naming login and role, a viewer's locked
 * controls with the tooltip naming the role that can, tabs hidden from it, signing in again as an admin, and operator
 * management (create, disable) through the Operators tab.
 */
@ExtendWith(ApplicationExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInFxTest {

    static final String PASSWORD = "correct horse 1";
    private static final AtomicInteger LOGINS = new AtomicInteger();

    Path dir;
    AppContext owner;
    Settings windowSettings;
    String viewer;
    String disabled;
    String admin;
    String operator;
    private MainWindow window;

    /** The owner's settings (migrates, seeds, creates the logins). */
    Settings ownerSettings(Path dir) {
        return TestDatabases.h2(dir, Map.of("db.seed.users", "30",
                "db.url", "jdbc:h2:file:" + dir.resolve("console").toAbsolutePath() + ";AUTO_SERVER=TRUE"));
    }

    /** The console's settings as an operator has them: the shared URL, no password (so it asks who signs in). */
    Settings windowSettings(Path dir, Settings owner) {
        return Settings.of(Map.of("data.dir", dir.resolve("operator").toString(), "db.url", owner.dbUrl(), "db.seed.users", "0"));
    }

    boolean postgres() {
        return false;
    }

    static String login(String kind) {
        return "acf_" + ProcessHandle.current().pid() + "_" + LOGINS.incrementAndGet() + "_" + kind;
    }

    @BeforeAll
    void setUp() {
        dir = TestDatabases.tempDir("signin");
        Settings s = ownerSettings(dir);
        owner = AppContext.start(s);
        windowSettings = windowSettings(dir, s);
        Operators ops = owner.get(Operators.class);
        viewer = login("v");
        disabled = login("d");
        admin = login("a");
        operator = login("o");
        ops.create(operator, Role.OPERATOR, PASSWORD);
        ops.create(viewer, Role.VIEWER, PASSWORD);
        ops.create(disabled, Role.OPERATOR, PASSWORD);
        ops.create(admin, Role.ADMIN, PASSWORD);
        ops.disable(disabled);
    }

    @AfterEach
    void closeWindow() throws Exception {
        FxTesting.shutdown(window, 30);
        window = null;
    }

    @AfterAll
    void tearDown() throws Exception {
        if (owner != null) {
            owner.close();
        }
        if (postgres()) {
            try (Connection c = DriverManager.getConnection(TestDatabases.PG_URL, "postgres", ""); Statement st = c.createStatement()) {
                java.util.List<String> ours = new java.util.ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT rolname FROM pg_roles WHERE rolname LIKE 'acf\\_" + ProcessHandle.current().pid() + "\\_%'")) {
                    while (rs.next()) {
                        ours.add(rs.getString(1));
                    }
                }
                for (String l : ours) {
                    st.execute("DROP ROLE IF EXISTS " + l);
                }
            }
        }
    }

    static void waitLong(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> onFx(condition));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void signIn(FxRobot robot, String login, String password) throws Exception {
        FxTesting.waitFor(() -> onFx(() -> robot.lookup("#signInButton").tryQuery().map(n -> !n.isDisabled()).orElse(false)));
        robot.clickOn("#signInLogin");
        onFx(() -> {
            robot.lookup("#signInLogin").queryAs(javafx.scene.control.TextField.class).clear();
            return null;
        });
        robot.write(login);
        robot.clickOn("#signInPassword").write(password);
        robot.clickOn("#signInButton");
    }

    private String title(FxRobot robot) {
        return onFx(() -> ((Stage) robot.lookup("#statusLabel").query().getScene().getWindow()).getTitle());
    }

    private void select(FxRobot robot, String tab) throws Exception {
        onFx(() -> {
            tabs(robot).getSelectionModel().select(tabs(robot).getTabs().stream().filter(t -> t.getText().equals(tab)).findFirst().orElseThrow());
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private TabPane tabs(FxRobot robot) {
        return robot.lookup(".tab-pane").queryAs(TabPane.class);
    }

    @Test
    void wrongPasswordThenDisabledThenRightAsViewerWithLockedControls(FxRobot robot) throws Exception {
        window = FxTesting.openWindow(windowSettings, null);
        FxTesting.waitFor(() -> robot.lookup("#signInPane").tryQuery().isPresent());
        if (!postgres() || passwordsChecked()) {
            signIn(robot, viewer, "not the password");
            waitLong(() -> FxTesting.text(robot, "#signInMessage").equals("Wrong login or password. Try again."));
            assertThat(onFx(() -> robot.lookup("#signInPassword").queryAs(javafx.scene.control.PasswordField.class).getText()))
                    .as("the password is cleared for another try").isEmpty();
        }
        signIn(robot, disabled, PASSWORD);
        waitLong(() -> FxTesting.text(robot, "#signInMessage").equals("The login " + disabled + " is disabled. Ask an admin to enable it again."));
        assertThat(onFx(() -> tabs(robot).isDisabled())).as("nothing opened").isTrue();

        signIn(robot, viewer, PASSWORD);
        waitLong(() -> !tabs(robot).isDisabled() && tabs(robot).getTabs().size() > 3);
        assertThat(title(robot)).isEqualTo("Admin Console — " + viewer + " (viewer)");
        assertThat(onFx(() -> tabs(robot).getTabs().stream().map(Tab::getText).toList()))
                .as("demo data and operator management are not shown to a viewer").doesNotContain("Demo data", "Operators")
                .contains("Users", "SQL", "Caches");
        waitLong(() -> robot.lookup("#usersTable").queryAs(TableView.class).getItems().size() == 30);
        Button create = robot.lookup("#newButton").queryAs(Button.class);
        Button delete = robot.lookup("#deleteButton").queryAs(Button.class);
        assertThat(onFx(() -> RoleGate.lockedFor(create))).isEqualTo(Role.OPERATOR);
        assertThat(onFx(() -> create.getTooltip().getText())).isEqualTo("Needs the operator role; you are signed in as viewer.");
        assertThat(onFx(() -> delete.getTooltip().getText())).isEqualTo("Needs the admin role; you are signed in as viewer.");
        assertThat(onFx(() -> create.getPseudoClassStates().contains(RoleGate.LOCKED))).isTrue();
        select(robot, "Users");
        robot.clickOn(create);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(FxTesting.text(robot, "#editorTitle")).as("a locked button does nothing: no new user in the editor")
                .isNotEqualTo("New user");
        assertThat(onFx(() -> RoleGate.lockedFor(robot.lookup("#saveButton").query()))).isEqualTo(Role.OPERATOR);
        // the SQL console runs for a viewer
        onFx(() -> {
            tabs(robot).getSelectionModel().select(tabs(robot).getTabs().stream().filter(t -> t.getText().equals("SQL")).findFirst().orElseThrow());
            return null;
        });
        waitLong(() -> robot.lookup("#sqlText").tryQuery().isPresent());
        // the Caches view: evictions are for admins
        onFx(() -> {
            tabs(robot).getSelectionModel().select(tabs(robot).getTabs().stream().filter(t -> t.getText().equals("Caches")).findFirst().orElseThrow());
            return null;
        });
        waitLong(() -> robot.lookup("#evictAllButton").tryQuery().isPresent());
        assertThat(onFx(() -> RoleGate.lockedFor(robot.lookup("#evictAllButton").query()))).isEqualTo(Role.ADMIN);
    }

    @Test
    void anOperatorEditsButDeletingAndEvictingAreLocked(FxRobot robot) throws Exception {
        window = FxTesting.openWindow(windowSettings, null);
        signIn(robot, operator, PASSWORD);
        waitLong(() -> !tabs(robot).isDisabled() && tabs(robot).getTabs().size() > 3);
        assertThat(title(robot)).isEqualTo("Admin Console — " + operator + " (operator)");
        assertThat(onFx(() -> tabs(robot).getTabs().stream().map(Tab::getText).toList())).doesNotContain("Demo data", "Operators");
        waitLong(() -> robot.lookup("#usersTable").queryAs(TableView.class).getItems().size() == 30);
        for (String allowed : new String[] {"#newButton", "#toggleActiveButton", "#bulkButton", "#saveButton"}) {
            assertThat(onFx(() -> RoleGate.lockedFor(robot.lookup(allowed).query()))).as(allowed).isNull();
        }
        Button delete = robot.lookup("#deleteButton").queryAs(Button.class);
        assertThat(onFx(() -> RoleGate.lockedFor(delete))).isEqualTo(Role.ADMIN);
        assertThat(onFx(() -> delete.getTooltip().getText())).isEqualTo("Needs the admin role; you are signed in as operator.");
        select(robot, "Users"); // the window opens on the tab the last one closed on
        robot.clickOn("#newButton");
        waitLong(() -> FxTesting.text(robot, "#editorTitle").equals("New user"));
    }

    @Test
    void anAdminSignsInAgainAndManagesOperators(FxRobot robot) throws Exception {
        window = FxTesting.openWindow(windowSettings, null);
        signIn(robot, viewer, PASSWORD);
        waitLong(() -> !tabs(robot).isDisabled() && tabs(robot).getTabs().size() > 3);
        robot.clickOn("#signInAgainLink");
        waitLong(() -> robot.lookup("#signInPane").tryQuery().isPresent() && tabs(robot).isDisabled());
        assertThat(title(robot)).isEqualTo("Admin Console");
        assertThat(onFx(() -> robot.lookup("#signInLogin").queryAs(javafx.scene.control.TextField.class).getText()))
                .as("the last login is prefilled").isEqualTo(viewer);

        signIn(robot, admin, PASSWORD);
        waitLong(() -> !tabs(robot).isDisabled() && tabs(robot).getTabs().stream().anyMatch(t -> t.getText().equals("Operators")));
        assertThat(title(robot)).isEqualTo("Admin Console — " + admin + " (admin)");
        onFx(() -> {
            tabs(robot).getSelectionModel().select(tabs(robot).getTabs().stream().filter(t -> t.getText().equals("Operators")).findFirst().orElseThrow());
            return null;
        });
        waitLong(() -> robot.lookup("#loginsTable").tryQuery().map(n -> ((TableView<?>) n).getItems().size() >= 3).orElse(false));
        assertThat(onFx(() -> RoleGate.lockedFor(robot.lookup("#newButton").query()))).as("nothing is locked for an admin").isNull();

        // a bad name is said on the message line and nothing is created
        robot.clickOn("#opLogin").write("Bad Name");
        robot.clickOn("#opPassword").write(PASSWORD);
        robot.clickOn("#opCreate");
        waitLong(() -> FxTesting.text(robot, "#opMessage").startsWith("A login is 2 to 40 characters"));

        String fresh = login("n");
        onFx(() -> {
            robot.lookup("#opLogin").queryAs(javafx.scene.control.TextField.class).setText(fresh);
            robot.lookup("#opRole").queryAs(javafx.scene.control.ComboBox.class).setValue(Role.OPERATOR);
            return null;
        });
        robot.clickOn("#opPassword").write(PASSWORD);
        robot.clickOn("#opCreate");
        waitLong(() -> FxTesting.text(robot, "#opMessage").equals("Created " + shown(fresh) + " as operator."));
        robot.clickOn("#opDisable");
        waitLong(() -> FxTesting.text(robot, "#opMessage").equals(shown(fresh) + " is disabled: it cannot sign in."));
        assertThat(owner.get(Operators.class).find(fresh).disabled()).isTrue();
        assertThat(owner.get(Operators.class).find(fresh).role()).isEqualTo(Role.OPERATOR);
        Label message = robot.lookup("#opMessage").queryAs(Label.class);
        assertThat(onFx(message::getText)).doesNotContain(PASSWORD);
    }

    /** How the database spells a login: H2 in upper case. */
    String shown(String login) {
        return postgres() ? login : login.toUpperCase(java.util.Locale.ROOT);
    }

    boolean passwordsChecked() {
        try (Connection c = DriverManager.getConnection(TestDatabases.PG_URL, viewer, "surely not the password")) {
            if (TestDatabases.pgRequired()) {
                throw new AssertionError("PostgreSQL accepts any password for console logins (.ci/run's pg_hba line is missing)");
            }
            return false;
        } catch (java.sql.SQLException e) {
            return true;
        }
    }

    static boolean present(Node n) {
        return n != null;
    }
}
