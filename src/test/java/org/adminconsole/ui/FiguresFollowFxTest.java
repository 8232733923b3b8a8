package org.adminconsole.ui;

import static org.adminconsole.testing.FxTesting.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.adminconsole.AppContext;
import org.adminconsole.domain.Role;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.users.BulkAction;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserForm;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.service.users.UserBulk;
import org.adminconsole.support.TaskHandle;
import org.adminconsole.testing.FxTesting;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The figures on screen follow every commit without F5: this console's own (create, edit, bulk action, delete, demo
 * data) and another writer's (seen by the coherence check). Closing the window while a write runs asks first.
 */
@ExtendWith(ApplicationExtension.class)
class FiguresFollowFxTest {

    @TempDir Path dir;
    private MainWindow window;

    @AfterEach
    void close() throws Exception {
        FxTesting.shutdown(window, 30);
    }

    private AppContext open(FxRobot robot) throws Exception {
        window = FxTesting.openWindow(TestDatabases.h2(dir, Map.of("db.seed.users", "1500", "cache.check.intervalMs", "300")), null);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> text(robot, "#userCount").equals("1,500"));
        return window.context();
    }

    private long sql(AppContext ctx, String query) throws Exception {
        try (Connection c = TestDatabases.connect(ctx.settings()); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void waitForText(FxRobot robot, String query, String expected) throws Exception {
        try {
            FxTesting.waitFor(() -> expected.equals(text(robot, query)));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(query + " still shows \"" + text(robot, query) + "\" after 30 s, not \"" + expected + "\"", e);
        }
    }

    @Test
    void theDashboardAndTheUsersTotalFollowEveryCommit(FxRobot robot) throws Exception {
        AppContext ctx = open(robot);
        UserEditing editing = ctx.get(UserEditing.class);
        UserBulk bulk = ctx.get(UserBulk.class);
        robot.clickOn("Users");
        waitForText(robot, "#totalLabel", "1,500 users");

        // create (as the editor does), without F5
        SaveResult created = editing.save(new UserForm(null, 0, "new.one@example.com", "new.one", Role.ADMIN, true, "100", "0",
                Set.of(), null));
        assertThat(created).isInstanceOf(SaveResult.Saved.class);
        waitForText(robot, "#totalLabel", "1,501 users");
        robot.clickOn("Dashboard");
        waitForText(robot, "#userCount", "1,501");

        // a bulk reset of everyone over quota: the over-quota figure drops to 0
        assertThat(sql(ctx, "SELECT COUNT(*) FROM users WHERE usage_amount > quota")).isGreaterThan(0);
        bulk.apply(BulkAction.onQuery(BulkAction.Kind.RESET_USAGE, null, UserQuery.all().withOverQuota(true)));
        waitForText(robot, "#overQuotaCount", "0");

        // delete
        long id = ((SaveResult.Saved) created).user().id();
        editing.delete(id, ((SaveResult.Saved) created).user().version());
        waitForText(robot, "#userCount", "1,500");

        // demo data generation commits chunk by chunk; the figure ends at the database's count
        new TaskHandle("generate").run(() -> ctx.get(DemoDataService.class).generate(12_000));
        waitForText(robot, "#userCount", String.format("%,d", sql(ctx, "SELECT COUNT(*) FROM users")));
        assertThat(text(robot, "#userCount")).isEqualTo("13,500");

        // another writer on the same database (plain JDBC, as psql would): seen by the check, no F5
        try (Connection c = TestDatabases.connect(ctx.settings()); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM users WHERE id IN (SELECT id FROM users ORDER BY id LIMIT 500)");
        }
        waitForText(robot, "#userCount", "13,000");
        robot.clickOn("Users");
        waitForText(robot, "#totalLabel", "13,000 users");
    }

    @Test
    void closingTheWindowWhileAWriteRunsAsksFirst(FxRobot robot) throws Exception {
        AppContext ctx = open(robot);
        robot.clickOn("Demo data");
        robot.interact(() -> robot.lookup("#demoCount").queryTextInputControl().setText("3000000"));
        robot.clickOn("#generateButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#confirmOk").tryQuery().isPresent());
        robot.clickOn("#confirmOk");
        FxTesting.waitFor(() -> text(robot, "#demoStatus").contains(" of 3,000,000 users"));

        Stage stage = (Stage) robot.lookup("#tabs").query().getScene().getWindow();
        robot.interact(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#confirmDialog").tryQuery().isPresent());
        String question = FxTesting.onFx(() -> robot.lookup("#confirmDialog").queryAs(DialogPane.class).getContentText());
        assertThat(question).contains("Generating 3,000,000 demo users").contains("rolled back");
        robot.clickOn("#confirmCancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(stage.isShowing()).as("Cancel keeps the window and the write").isTrue();
        assertThat(robot.lookup("#cancelDemoButton").queryAs(Button.class).isDisabled()).isFalse();

        robot.interact(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#confirmOk").tryQuery().isPresent());
        robot.clickOn("#confirmOk");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !stage.isShowing());
        window = null; // closed and shut down by the confirmation
        assertThat(ctx.database().isClosed()).isTrue();
        try (AppContext again = AppContext.start(TestDatabases.h2(dir, Map.of()))) {
            long users = again.database().transactions().read("count", s ->
                    s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
            assertThat((users - 1500) % DemoDataService.CHUNK).as("only whole chunks were committed").isZero();
            assertThat(users).isLessThan(3_001_500);
        }
    }
}
