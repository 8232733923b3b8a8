package org.adminconsole.ui.activity;

import static org.adminconsole.testing.FxTesting.onFx;
import static org.adminconsole.testing.FxTesting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.geometry.Orientation;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.audit.ActivityEntry;
import org.adminconsole.service.users.AuditEntryView;
import org.adminconsole.service.users.BulkAction;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserBulk;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.service.users.UserForm;
import org.adminconsole.testing.ScripterLogin;
import org.adminconsole.testing.TestDatabases;
import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import org.adminconsole.ui.users.HistoryPresenter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Activity tab and revert from History as an operator uses them, beside the Users list: filter by operator and
 * table and see an external change marked; bad filter input; open a user's History from a row; revert one change
 * (the new entry, the value in the Users list); a conflict (the user changed via JDBC in between) shows the conflict
 * dialog; a bulk action reverted after its dry-run list and the typed number.
 */
@ExtendWith(ApplicationExtension.class)
class ActivityFxTest {

    static final AtomicInteger N = new AtomicInteger();
    static AppContext ctx;
    static TaskRunner runner;
    static UserEditing editing;
    Stage stage;

    static Settings settings() {
        return TestDatabases.h2(TestDatabases.tempDir("activity-fx"), Map.of("db.seed.users", "20"));
    }

    @BeforeAll
    static void openDatabase() throws Exception {
        ctx = AppContext.start(settings());
        editing = ctx.get(UserEditing.class);
        runner = new TaskRunner(3);
        ScripterLogin.prepare(ctx.settings());
    }

    @AfterAll
    static void closeDatabase() {
        runner.close();
        ctx.close();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        ViewLoader loader = new ViewLoader(ctx.components()).with(TaskRunner.class, runner);
        SplitPane split = new SplitPane(loader.load("users/Users.fxml").root(), loader.load("activity/Activity.fxml").root());
        split.setOrientation(Orientation.VERTICAL);
        Scene scene = new Scene(split, 1240, 740);
        scene.getStylesheets().add(ActivityFxTest.class.getResource("/fxml/console.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void closeOtherWindows() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> new ArrayList<>(Window.getWindows()).stream().filter(w -> w != stage).forEach(Window::hide))
                .get(10, TimeUnit.SECONDS);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    static UserView create(String quota) {
        int n = N.incrementAndGet();
        SaveResult r = editing.save(new UserForm(null, 0, "act" + n + "@example.com", "act" + n, Role.USER, true, quota, "0", Set.of(), null));
        return ((SaveResult.Saved) r).user();
    }

    static UserView save(UserView u, String quota) {
        UserForm f = UserForm.of(u);
        SaveResult r = editing.save(new UserForm(f.id(), f.version(), f.email(), f.username(), f.role(), f.active(), quota, f.usage(),
                f.departmentIds(), f.settings()));
        return ((SaveResult.Saved) r).user();
    }

    static String sql(String sql, Object... params) throws Exception {
        try (Connection c = TestDatabases.connect(ctx.settings()); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @SuppressWarnings("unchecked")
    static TableView<ActivityEntry> activity(FxRobot robot) {
        return robot.lookup("#activityTableView").queryAs(TableView.class);
    }

    @SuppressWarnings("unchecked")
    static TableView<AuditEntryView> history(FxRobot robot) {
        return robot.lookup("#historyTable").queryAs(TableView.class);
    }

    @SuppressWarnings("unchecked")
    static TableView<UserView> users(FxRobot robot) {
        return robot.lookup("#usersTable").queryAs(TableView.class);
    }

    static String label(FxRobot robot, String id) {
        return onFx(() -> robot.lookup(id).queryAs(Label.class).getText());
    }

    static void replace(FxRobot robot, String id, String text) {
        robot.clickOn(id).press(KeyCode.CONTROL).press(KeyCode.A).release(KeyCode.A).release(KeyCode.CONTROL);
        if (text.isEmpty()) {
            robot.type(KeyCode.BACK_SPACE);
        } else {
            robot.write(text);
        }
    }

    /** Waits; on a timeout says what the view's messages said. */
    static void waitShowing(FxRobot robot, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            waitFor(condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Timed out; activity: '" + onFx(() -> robot.lookup("#activityMessage").tryQuery()
                    .map(n -> ((Label) n).getText()).orElse("-")) + "', history: '" + onFx(() -> robot.lookup("#historyMessage").tryQuery()
                    .map(n -> ((Label) n).getText()).orElse("-")) + "', status: " + runner.statusProperty().get(), e);
        }
    }

    static boolean idle() {
        return runner.runningProperty().get() == 0;
    }

    /** Opens the History window of {@code u} as the Users view's History button does. */
    void openHistory(FxRobot robot, UserView u) throws Exception {
        onFx(() -> {
            ViewLoader.View<HistoryPresenter> v = new ViewLoader(ctx.components()).with(TaskRunner.class, runner).load("users/History.fxml");
            Stage s = new Stage();
            s.initOwner(stage);
            Scene scene = new Scene(v.root());
            scene.getStylesheets().add(ActivityFxTest.class.getResource("/fxml/console.css").toExternalForm());
            s.setScene(scene);
            v.presenter().show(u);
            s.show();
            return null;
        });
        waitFor(() -> robot.lookup("#historyTable").tryQuery().isPresent() && onFx(() -> !history(robot).getItems().isEmpty()) && idle());
    }

    void selectNewest(FxRobot robot) throws Exception {
        robot.clickOn(onFx(() -> (Node) robot.lookup("#historyTable .table-row-cell").query()));
        waitFor(() -> onFx(() -> history(robot).getSelectionModel().getSelectedIndex() == 0));
    }

    void showInUsersList(FxRobot robot, String email) throws Exception {
        replace(robot, "#searchField", email);
        waitFor(() -> idle() && onFx(() -> users(robot).getItems().stream().anyMatch(u -> u.email().equals(email))));
    }

    // ---- Activity ---------------------------------------------------------------------------------------------

    @Test
    void filterByOperatorAndTableShowsTheExternalChangeMarkedAndOpensTheUsersHistory(FxRobot robot) throws Exception {
        UserView u = create("10");
        ScripterLogin.update(ctx.settings(), "UPDATE users SET quota = 55 WHERE id = ?", u.id());
        // the first page follows new entries (the audit_log version moves) without a click
        waitShowing(robot, () -> onFx(() -> activity(robot).getItems().stream().anyMatch(x -> x.entityId() == u.id() && x.external())));
        String login = ScripterLogin.name(ctx.settings());
        replace(robot, "#activityOperator", login);
        robot.interact(() -> robot.lookup("#activityTable").queryAs(ChoiceBox.class).setValue("users"));
        robot.clickOn("#activityApply");
        waitFor(() -> idle() && onFx(() -> !activity(robot).getItems().isEmpty()
                && activity(robot).getItems().stream().allMatch(e -> e.operator().equals(login) && e.table().equals("users"))));
        ActivityEntry e = onFx(() -> activity(robot).getItems().stream().filter(x -> x.entityId() == u.id()).findFirst().orElseThrow());
        assertThat(e.external()).isTrue();
        assertThat(e.summary()).isEqualTo("quota: 10.00 → 55.00");
        assertThat(label(robot, "#activityMessage")).contains("external");
        // marked in the table: the row's style and the Source column
        waitFor(() -> robot.lookup(".activity-external").tryQuery().isPresent());
        assertThat(robot.lookup("#activityTableView .table-cell").match(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
                && "external".equals(c.getItem())).tryQuery()).isPresent();

        // a console operator's filter shows none of them
        replace(robot, "#activityOperator", "tester");
        robot.clickOn("#activityApply");
        waitFor(() -> idle() && onFx(() -> activity(robot).getItems().stream().allMatch(x -> x.operator().equals("tester"))));

        // double-click opens that user's History, external entry first
        replace(robot, "#activityOperator", login);
        robot.clickOn("#activityApply");
        waitFor(() -> idle() && onFx(() -> activity(robot).getItems().stream().anyMatch(x -> x.entityId() == u.id())));
        Node row = onFx(() -> (Node) robot.lookup("#activityTableView .table-row-cell").match(n -> n instanceof javafx.scene.control.TableRow<?> r
                && r.getItem() instanceof ActivityEntry a && a.entityId() == u.id()).query());
        robot.doubleClickOn(row);
        waitFor(() -> robot.lookup("#historyTable").tryQuery().isPresent() && onFx(() -> history(robot).getItems().size() == 2));
        AuditEntryView newest = onFx(() -> history(robot).getItems().get(0));
        assertThat(newest.external()).isTrue();
        assertThat(newest.operator()).isEqualTo(login);
        assertThat(label(robot, "#historyTitle")).isEqualTo("History of " + u.email());
    }

    @Test
    void badFilterInputIsShownNextToTheFieldAndRunsNoQuery(FxRobot robot) throws Exception {
        create("1");
        waitShowing(robot, () -> idle() && onFx(() -> !activity(robot).getItems().isEmpty()));
        List<ActivityEntry> before = onFx(() -> List.copyOf(activity(robot).getItems()));
        replace(robot, "#activityFrom", "2026-02-30");
        robot.clickOn("#activityApply");
        waitFor(() -> !label(robot, "#activityFromError").isEmpty());
        assertThat(label(robot, "#activityFromError")).contains("yyyy-MM-dd");
        assertThat(label(robot, "#activityMessage")).contains("nothing was searched");
        replace(robot, "#activityFrom", "2026-05-02");
        replace(robot, "#activityTo", "2026-05-01");
        robot.clickOn("#activityApply");
        waitFor(() -> label(robot, "#activityFromError").isEmpty() && label(robot, "#activityToError").contains("before"));
        assertThat(onFx(() -> List.copyOf(activity(robot).getItems()))).isEqualTo(before);
        // fixed: the query runs (nothing in that range)
        replace(robot, "#activityTo", "2026-05-03");
        robot.clickOn("#activityApply");
        waitFor(() -> idle() && label(robot, "#activityToError").isEmpty() && onFx(() -> activity(robot).getItems().isEmpty()));
        replace(robot, "#activityFrom", "");
        replace(robot, "#activityTo", "");
        robot.clickOn("#activityApply");
        waitFor(() -> idle() && onFx(() -> !activity(robot).getItems().isEmpty()));
    }

    // ---- revert ---------------------------------------------------------------------------------------------

    @Test
    void revertOneChangeFromHistory(FxRobot robot) throws Exception {
        UserView u = save(create("10"), "20");
        openHistory(robot, u);
        long no = onFx(() -> history(robot).getItems().get(0).no());
        selectNewest(robot);
        robot.clickOn("#historyRevert");
        waitFor(() -> idle() && onFx(() -> history(robot).getItems().size() == 3));
        AuditEntryView newest = onFx(() -> history(robot).getItems().get(0));
        assertThat(newest.reverts()).isEqualTo(no);
        assertThat(newest.summary()).isEqualTo("reverts #" + no + ": quota: 20.00 → 10.00");
        assertThat(label(robot, "#historyMessage")).isEqualTo("Reverted #" + no + ". 3 changes");
        robot.clickOn("#historyClose");
        showInUsersList(robot, u.email());
        waitFor(() -> onFx(() -> users(robot).getItems().stream().anyMatch(x -> x.email().equals(u.email())
                && x.quota().compareTo(new java.math.BigDecimal("10")) == 0)));
    }

    @Test
    void revertOfAChangeMadeStaleByAnotherWriterShowsTheConflictDialog(FxRobot robot) throws Exception {
        UserView u = save(create("10"), "20");
        openHistory(robot, u);
        selectNewest(robot);
        ScripterLogin.update(ctx.settings(), "UPDATE users SET quota = 30, version = version + 1 WHERE id = ?", u.id());
        robot.clickOn("#historyRevert");
        waitFor(() -> robot.lookup("#conflictDialog").tryQuery().isPresent());
        assertThat(label(robot, "#theirs-quota")).isEqualTo("30.00");
        assertThat(label(robot, "#yours-quota")).isEqualTo("10.00");
        assertThat(sql("SELECT quota FROM users WHERE id = ?", u.id())).isEqualTo("30.00");
        robot.clickOn("#conflictOverwrite");
        waitFor(() -> idle() && "10.00".equals(sql("SELECT quota FROM users WHERE id = ?", u.id())));
        waitFor(() -> onFx(() -> history(robot).getItems().size() == 4 && history(robot).getItems().get(0).reverts() != null));
    }

    @Test
    void revertABulkActionAfterItsDryRunAndTheTypedNumber(FxRobot robot) throws Exception {
        List<UserView> three = List.of(create("1"), create("1"), create("1"));
        ctx.get(UserBulk.class).apply(BulkAction.onIds(BulkAction.Kind.DEACTIVATE, null, three.stream().map(UserView::id).toList()));
        openHistory(robot, editing.open(three.get(1).id()).orElseThrow().user());
        selectNewest(robot);
        robot.clickOn("#historyRevertAction");
        waitFor(() -> robot.lookup("#revertDialog").tryQuery().isPresent());
        @SuppressWarnings("unchecked")
        ListView<String> list = robot.lookup("#revertList").queryAs(ListView.class);
        assertThat(onFx(() -> List.copyOf(list.getItems()))).hasSize(3)
                .allMatch(s -> s.endsWith(": active false → true"))
                .anyMatch(s -> s.startsWith(three.get(0).email()));
        assertThat(onFx(() -> robot.lookup("#revertConfirmOk").query().isDisabled())).isTrue();
        robot.clickOn("#revertConfirmField").write("2");
        assertThat(onFx(() -> robot.lookup("#revertConfirmOk").query().isDisabled())).isTrue();
        robot.type(KeyCode.BACK_SPACE).write("3");
        waitFor(() -> onFx(() -> !robot.lookup("#revertConfirmOk").query().isDisabled()));
        robot.clickOn("#revertConfirmOk");
        waitShowing(robot, () -> idle() && label(robot, "#historyMessage").startsWith("Reverted the action for 3 users"));
        for (UserView u : three) {
            assertThat(sql("SELECT active FROM users WHERE id = ?", u.id())).isEqualToIgnoringCase("true");
        }
        waitFor(() -> onFx(() -> history(robot).getItems().get(0).operation().equals("users.revertBulk")));
        robot.clickOn("#historyClose");
        showInUsersList(robot, three.get(2).email());
        waitFor(() -> onFx(() -> users(robot).getItems().stream().anyMatch(x -> x.email().equals(three.get(2).email()) && x.active())));
    }

    @Test
    void aBulkRevertWithAConflictListsItAndNeedsTheSkipBox(FxRobot robot) throws Exception {
        List<UserView> three = List.of(create("1"), create("1"), create("1"));
        ctx.get(UserBulk.class).apply(BulkAction.onIds(BulkAction.Kind.DEACTIVATE, null, three.stream().map(UserView::id).toList()));
        ScripterLogin.update(ctx.settings(), "UPDATE users SET active = TRUE, version = version + 1 WHERE id = ?", three.get(0).id());
        openHistory(robot, editing.open(three.get(1).id()).orElseThrow().user());
        selectNewest(robot);
        robot.clickOn("#historyRevertAction");
        waitFor(() -> robot.lookup("#revertDialog").tryQuery().isPresent());
        @SuppressWarnings("unchecked")
        ListView<String> list = robot.lookup("#revertList").queryAs(ListView.class);
        assertThat(onFx(() -> List.copyOf(list.getItems()))).contains("CONFLICT " + three.get(0).email() + ": active is now true");
        assertThat(label(robot, "#revertSummary")).contains("sets back 2 users").contains("1 user has changed since");
        robot.clickOn("#revertConfirmField").write("2");
        assertThat(onFx(() -> robot.lookup("#revertConfirmOk").query().isDisabled())).isTrue();
        robot.clickOn("#revertSkipConflicts");
        waitFor(() -> onFx(() -> !robot.lookup("#revertConfirmOk").query().isDisabled()));
        robot.clickOn("#revertConfirmOk");
        waitShowing(robot, () -> idle() && label(robot, "#historyMessage").startsWith("Reverted the action for 2 users"));
        assertThat(sql("SELECT COUNT(*) FROM audit_log WHERE operation = 'users.revertBulk' AND entity_id IN (?, ?, ?)",
                three.get(0).id(), three.get(1).id(), three.get(2).id())).isEqualTo("2");
    }
}
