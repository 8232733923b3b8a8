package org.adminconsole.ui.users;

import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import static org.adminconsole.testing.FxTesting.onFx;
import static org.adminconsole.testing.FxTesting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.adminconsole.AppContext;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.AuditEntryView;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserForm;
import org.adminconsole.service.users.UserListing;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Users view driven like an operator, on a database of 10,000 users (seeded once for the class). */
@ExtendWith(ApplicationExtension.class)
class UsersViewFxTest {

    static AppContext ctx;
    static TaskRunner runner;
    static UserListing listing;
    static UserEditing editing;
    UsersPresenter presenter;
    Stage stage;

    @BeforeAll
    static void openDatabase() {
        ctx = AppContext.start(TestDatabases.h2(TestDatabases.tempDir("users-fx"), Map.of("db.seed.users", "10000")));
        listing = ctx.get(UserListing.class);
        editing = ctx.get(UserEditing.class);
        runner = new TaskRunner(3);
    }

    @AfterAll
    static void closeDatabase() {
        runner.close();
        ctx.close();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        ViewLoader.View<UsersPresenter> v = new ViewLoader(ctx.components()).with(TaskRunner.class, runner).load("users/Users.fxml");
        presenter = v.presenter();
        Scene scene = new Scene(v.root(), 1240, 740);
        scene.getStylesheets().add(UsersViewFxTest.class.getResource("/fxml/console.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void closeOtherWindows() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> new ArrayList<>(Window.getWindows()).stream().filter(w -> w != stage).forEach(Window::hide))
                .get(10, TimeUnit.SECONDS);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    static long sqlLong(String sql, Object... params) throws Exception {
        try (Connection c = ctx.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static List<String> sqlStrings(String sql, Object... params) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ctx.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    TableView<UserView> table(FxRobot robot) {
        return robot.lookup("#usersTable").queryAs(TableView.class);
    }

    List<UserView> rows(FxRobot robot) {
        return List.copyOf(table(robot).getItems());
    }

    List<String> emails(FxRobot robot) {
        return rows(robot).stream().map(UserView::email).toList();
    }

    String text(FxRobot robot, String id) {
        Node n = robot.lookup(id).query();
        return n instanceof Label l ? l.getText() : ((TextField) n).getText();
    }

    boolean idle() {
        return runner.runningProperty().get() == 0;
    }

    void loaded(FxRobot robot) throws Exception {
        waitFor(() -> idle() && !rows(robot).isEmpty() && !text(robot, "#totalLabel").contains("…"));
    }

    /** Clicks a field, selects all (Ctrl+A) and types the new text. */
    void replace(FxRobot robot, String id, String text) {
        robot.clickOn(id).press(KeyCode.CONTROL).press(KeyCode.A).release(KeyCode.A).release(KeyCode.CONTROL);
        robot.write(text);
    }

    void search(FxRobot robot, String s) throws Exception {
        replace(robot, "#searchField", s);
        waitFor(() -> idle() && presenter.query().search().equals(s) && !text(robot, "#totalLabel").contains("…"));
    }

    @SuppressWarnings("unchecked")
    <T> void choose(FxRobot robot, String comboId, T item) throws Exception {
        ComboBox<T> combo = robot.lookup(comboId).queryAs(ComboBox.class);
        robot.clickOn(combo);
        waitFor(() -> robot.lookup(".combo-box-popup .list-view").tryQuery().isPresent());
        javafx.scene.control.ListView<T> list = robot.lookup(".combo-box-popup .list-view").queryAs(javafx.scene.control.ListView.class);
        robot.interact(() -> list.scrollTo(item)); // the popup shows 10 rows; scroll like the operator would
        Node cell = robot.lookup(".combo-box-popup .list-cell").match(n -> n instanceof javafx.scene.control.ListCell<?> c
                && item.equals(c.getItem())).query();
        robot.clickOn(cell);
        waitFor(() -> item.equals(combo.getValue()));
    }

    /** The table cell showing {@code text} (not the search field that may hold the same text). */
    Node cell(FxRobot robot, String text) {
        return robot.lookup("#usersTable .table-cell").match(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
                && text.equals(String.valueOf(c.getItem()))).query();
    }

    void openUser(FxRobot robot, String email) throws Exception {
        search(robot, email);
        waitFor(() -> emails(robot).contains(email));
        robot.doubleClickOn(cell(robot, email));
        waitFor(() -> robot.lookup("#userEditor").query().isVisible() && text(robot, "#emailField").equals(email));
    }

    static UserView user(String email) {
        return editing.openByEmail(email).orElseThrow().user();
    }

    static void saveElsewhere(UserView u, Role role, String quota) {
        UserForm f = UserForm.of(u);
        SaveResult r = editing.save(new UserForm(f.id(), f.version(), f.email(), f.username(), role, f.active(), quota, f.usage(),
                f.departmentIds(), f.settings()));
        assertThat(r).isInstanceOf(SaveResult.Saved.class);
    }

    /** The ids the bulk confirmation lists now. */
    List<String> previewIds(FxRobot robot) throws Exception {
        return onFx(() -> robot.lookup("#bulkPreviewTable").tryQueryAs(TableView.class)
                .map(t -> t.getItems().stream().map(c -> String.valueOf(((org.adminconsole.service.users.UserBulk.Change) c).id())).toList())
                .orElse(List.of()));
    }

    // ---- finding users -------------------------------------------------------------------------------------

    @Test
    void searchNarrowsTheTableAndTheTotalBecomesExact(FxRobot robot) throws Exception {
        loaded(robot);
        assertThat(text(robot, "#totalLabel")).isEqualTo(String.format("%,d users", sqlLong("SELECT COUNT(*) FROM users")));
        assertThat(rows(robot)).hasSize(UsersPresenter.PAGE_SIZE);
        search(robot, "ZOE.99");
        List<String> expected = sqlStrings("SELECT email FROM users WHERE email_key LIKE '%zoe.99%' OR LOWER(username) LIKE '%zoe.99%' ORDER BY email_key, id");
        assertThat(expected).isNotEmpty().hasSizeLessThan(50);
        waitFor(() -> emails(robot).equals(expected));
        assertThat(text(robot, "#totalLabel")).isEqualTo(expected.size() + " users");
        search(robot, "zoe.999@");
        waitFor(() -> emails(robot).equals(List.of("zoe.999@example.com")));
    }

    /** Types like an operator: click, select all, then one key at a time with a short pause, as a person types. */
    void typeSlowly(FxRobot robot, String text) throws Exception {
        robot.clickOn("#searchField").press(KeyCode.CONTROL).press(KeyCode.A).release(KeyCode.A).release(KeyCode.CONTROL);
        robot.write(text, 120);
        waitFor(() -> idle() && presenter.query().search().equals(text) && !text(robot, "#totalLabel").contains("…"));
    }

    boolean shows(FxRobot robot, String id) {
        return onFx(() -> robot.lookup(id).tryQuery().map(n -> n.isVisible() && n.getScene() != null).orElse(false));
    }

    @Test
    void searchInsideEmailOrUsernameAndSayWhatWasSearchedWhenNothingMatches(FxRobot robot) throws Exception {
        loaded(robot);
        typeSlowly(robot, "LIC");
        List<String> expected = sqlStrings("SELECT email FROM users WHERE email_key LIKE '%lic%' OR LOWER(username) LIKE '%lic%'"
                + " ORDER BY email_key, id");
        assertThat(expected).hasSizeGreaterThan(UsersPresenter.PAGE_SIZE); // every alice: more than a page
        waitFor(() -> emails(robot).equals(expected.subList(0, UsersPresenter.PAGE_SIZE)));
        assertThat(text(robot, "#totalLabel")).isEqualTo(String.format("%,d users", expected.size()));
        assertThat(emails(robot)).allMatch(e -> e.startsWith("alice."));
        assertThat(shows(robot, "#searchHint")).isFalse();
        // a text inside the domain and the number: "e.com" is in every email
        typeSlowly(robot, "1234@example.co");
        waitFor(() -> emails(robot).equals(sqlStrings("SELECT email FROM users WHERE email_key LIKE '%1234@example.co%' ORDER BY email_key, id")));
        String user1234 = sqlStrings("SELECT email FROM users WHERE email_key LIKE '%.1234@%'").get(0); // e.g. rupert.1234@example.com
        assertThat(emails(robot)).contains(user1234);
        // nothing matches: the table says what was searched and how
        typeSlowly(robot, "zzq");
        waitFor(() -> rows(robot).isEmpty());
        waitFor(() -> text(robot, "#emptyLabel").equals("No user's email or username contains \"zzq\"."));
        assertThat(shows(robot, "#emptyLabel")).isTrue();
        assertThat(text(robot, "#totalLabel")).isEqualTo("0 users");
        // two characters: the start only, and the view says so
        typeSlowly(robot, "zq");
        waitFor(() -> text(robot, "#emptyLabel").equals("No user's email or username starts with \"zq\"."));
        assertThat(shows(robot, "#searchHint")).isTrue();
        assertThat(text(robot, "#searchHint")).contains("type 3 characters or more to search inside");
        // Starts with: the prefix search for a longer text too
        typeSlowly(robot, "1234@");
        waitFor(() -> emails(robot).contains(user1234));
        robot.clickOn("#startsWithFilter");
        waitFor(() -> idle() && presenter.query().startsWith() && rows(robot).isEmpty());
        waitFor(() -> text(robot, "#emptyLabel").equals("No user's email or username starts with \"1234@\"."));
        assertThat(text(robot, "#searchHint")).contains("Starts with");
        robot.clickOn("#startsWithFilter");
        waitFor(() -> idle() && !presenter.query().startsWith() && emails(robot).contains(user1234));
    }

    @Test
    void selectedRowsAreCountedAndAllMatchingCanBeChosenForBulkActions(FxRobot robot) throws Exception {
        loaded(robot);
        typeSlowly(robot, "lic");
        long matching = sqlLong("SELECT COUNT(*) FROM users WHERE email_key LIKE '%lic%' OR LOWER(username) LIKE '%lic%'");
        waitFor(() -> text(robot, "#totalLabel").equals(String.format("%,d users", matching)));
        assertThat(text(robot, "#selectionLabel")).isEmpty();
        List<String> shown = emails(robot);
        robot.clickOn(cell(robot, shown.get(0)));
        robot.press(KeyCode.CONTROL).clickOn(cell(robot, shown.get(2))).clickOn(cell(robot, shown.get(4))).release(KeyCode.CONTROL);
        waitFor(() -> text(robot, "#selectionLabel").equals("3 selected"));
        assertThat(shows(robot, "#selectAllMatchingLink")).isTrue();
        String link = onFx(() -> robot.lookup("#selectAllMatchingLink").queryAs(javafx.scene.control.Hyperlink.class).getText());
        assertThat(link).isEqualTo(String.format("Select all %,d matching", matching));
        robot.clickOn("#selectAllMatchingLink");
        waitFor(() -> text(robot, "#selectionLabel").equals(String.format("All %,d matching selected", matching)));
        assertThat(onFx(() -> robot.lookup("#bulkScope").queryAs(ComboBox.class).getValue())).isEqualTo("All matching the filter");
        assertThat(shows(robot, "#selectAllMatchingLink")).isFalse();
        // the bulk action's dry run counts every matching user, not the page's rows
        long inactive = sqlLong("SELECT COUNT(*) FROM users WHERE (email_key LIKE '%lic%' OR LOWER(username) LIKE '%lic%') AND active = FALSE");
        assertThat(inactive).isGreaterThan(3);
        choose(robot, "#bulkKind", org.adminconsole.service.users.BulkAction.Kind.ACTIVATE);
        robot.clickOn("#bulkButton");
        waitFor(() -> robot.lookup("#bulkDryRunLabel").tryQuery().isPresent());
        assertThat(text(robot, "#bulkDryRunLabel")).contains("would change " + String.format("%,d", inactive) + " users");
        assertThat(text(robot, "#bulkDryRunLabel")).contains("all matching the filter");
        robot.clickOn(robot.lookup("#bulkConfirmDialog .button").match(n -> n instanceof Button b && b.getText().equals("Cancel"))
                .queryAs(Button.class));
        waitFor(() -> robot.lookup("#bulkConfirmDialog").tryQuery().isEmpty());
        // choosing rows again: the actions follow the rows
        robot.clickOn(cell(robot, shown.get(1)));
        waitFor(() -> text(robot, "#selectionLabel").equals("1 selected"));
        assertThat(onFx(() -> robot.lookup("#bulkScope").queryAs(ComboBox.class).getValue())).isEqualTo("Selected rows");
    }

    @Test
    void filtersAndSortComeFromTheDatabase(FxRobot robot) throws Exception {
        loaded(robot);
        choose(robot, "#roleFilter", "GUEST");
        robot.clickOn("#overQuotaFilter");
        waitFor(() -> idle() && presenter.query().overQuota() && !text(robot, "#totalLabel").contains("…"));
        long expected = sqlLong("SELECT COUNT(*) FROM users WHERE role = 'GUEST' AND usage_amount > quota");
        assertThat(text(robot, "#totalLabel")).isEqualTo(String.format("%,d users", expected));
        assertThat(rows(robot)).isNotEmpty().allMatch(u -> u.role() == Role.GUEST && u.overQuota());
        robot.clickOn(robot.lookup(".column-header").match(n -> n.lookup(".label") instanceof Label l && l.getText().equals("Usage")).queryAs(Node.class));
        waitFor(() -> idle() && presenter.query().sort() == org.adminconsole.service.users.UserQuery.Sort.USAGE);
        List<BigDecimal> usages = rows(robot).stream().map(UserView::usage).toList();
        assertThat(usages).isSortedAccordingTo(BigDecimal::compareTo);
        assertThat(usages.get(0)).isEqualByComparingTo(sqlStrings("SELECT MIN(usage_amount) FROM users WHERE role = 'GUEST' AND usage_amount > quota").get(0));
        robot.clickOn(robot.lookup(".column-header").match(n -> n.lookup(".label") instanceof Label l && l.getText().equals("Usage")).queryAs(Node.class));
        waitFor(() -> idle() && !presenter.query().ascending());
        assertThat(rows(robot).get(0).usage()).isEqualByComparingTo(sqlStrings("SELECT MAX(usage_amount) FROM users WHERE role = 'GUEST' AND usage_amount > quota").get(0));
    }

    @Test
    void pagingForwardAndBackShowsTheRightRows(FxRobot robot) throws Exception {
        loaded(robot);
        List<String> all = sqlStrings("SELECT email FROM users ORDER BY email_key, id");
        assertThat(emails(robot)).isEqualTo(all.subList(0, 50));
        assertThat(robot.lookup("#prevButton").queryAs(Button.class).isDisabled()).isTrue();
        robot.clickOn("#nextButton");
        waitFor(() -> idle() && emails(robot).equals(all.subList(50, 100)));
        robot.clickOn("#nextButton");
        waitFor(() -> idle() && emails(robot).equals(all.subList(100, 150)));
        assertThat(text(robot, "#pageLabel")).isEqualTo("Page 3");
        robot.clickOn("#prevButton");
        waitFor(() -> idle() && emails(robot).equals(all.subList(50, 100)));
        assertThat(text(robot, "#pageLabel")).isEqualTo("Page 2");
        robot.clickOn("#lastButton");
        waitFor(() -> idle() && emails(robot).equals(all.subList(all.size() - 50, all.size())));
        assertThat(robot.lookup("#nextButton").queryAs(Button.class).isDisabled()).isTrue();
        robot.clickOn("#prevButton");
        waitFor(() -> idle() && emails(robot).equals(all.subList(all.size() - 100, all.size() - 50)));
        robot.clickOn("#firstButton");
        waitFor(() -> idle() && emails(robot).equals(all.subList(0, 50)));
    }

    // ---- editing ---------------------------------------------------------------------------------------

    @Test
    void createAUserWithTheKeyboard(FxRobot robot) throws Exception {
        loaded(robot);
        robot.clickOn("#usersTable").press(KeyCode.CONTROL).press(KeyCode.N).release(KeyCode.N).release(KeyCode.CONTROL);
        waitFor(() -> robot.lookup("#userEditor").query().isVisible());
        robot.clickOn("#emailField").write("Created.ByTest@Example.com");
        robot.clickOn("#usernameField").write("createdbytest");
        replace(robot, "#quotaField", "2500.75");
        robot.clickOn("#emailField").type(KeyCode.ENTER);
        waitFor(() -> idle() && !robot.lookup("#userEditor").query().isVisible());
        assertThat(sqlLong("SELECT COUNT(*) FROM users WHERE email_key = 'created.bytest@example.com' AND quota = 2500.75 AND username = 'createdbytest'")).isEqualTo(1);
        robot.press(KeyCode.CONTROL).press(KeyCode.F).release(KeyCode.F).release(KeyCode.CONTROL);
        assertThat(robot.lookup("#searchField").query().isFocused()).isTrue();
        search(robot, "created.by");
        waitFor(() -> emails(robot).equals(List.of("Created.ByTest@Example.com")));
        assertThat(text(robot, "#messageLabel")).contains("Saved Created.ByTest@Example.com");
    }

    @Test
    void editAndSaveShowsWhetherTheUserCameFromTheCache(FxRobot robot) throws Exception {
        loaded(robot);
        openUser(robot, "frank.105@example.com");
        assertThat(text(robot, "#userSource")).isEqualTo("Loaded from the database");
        robot.clickOn("#cancelButton");
        robot.doubleClickOn(cell(robot, "frank.105@example.com"));
        waitFor(() -> text(robot, "#userSource").equals("Loaded from the user cache"));
        assertThat(runner.statusProperty().get()).isEqualTo("Opened frank.105@example.com from the user cache");
        replace(robot, "#usageField", "12.34");
        robot.clickOn("#saveButton");
        waitFor(() -> idle() && !robot.lookup("#userEditor").query().isVisible());
        assertThat(sqlLong("SELECT COUNT(*) FROM users WHERE email_key = 'frank.105@example.com' AND usage_amount = 12.34")).isEqualTo(1);
        waitFor(() -> rows(robot).size() == 1 && rows(robot).get(0).usage().compareTo(new BigDecimal("12.34")) == 0);
        robot.doubleClickOn(cell(robot, "frank.105@example.com"));
        waitFor(() -> text(robot, "#userSource").equals("Loaded from the database"));
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        waitFor(() -> !robot.lookup("#userEditor").query().isVisible());
    }

    @Test
    void eachValidationErrorAppearsOnItsFieldAndNothingIsWritten(FxRobot robot) throws Exception {
        loaded(robot);
        long usersBefore = sqlLong("SELECT COUNT(*) FROM users");
        long auditBefore = sqlLong("SELECT COUNT(*) FROM audit_log");
        robot.clickOn("#newButton");
        waitFor(() -> robot.lookup("#userEditor").query().isVisible());
        Button save = robot.lookup("#saveButton").queryAs(Button.class);
        robot.clickOn("#emailField").write("not-an-email");
        assertThat(text(robot, "#emailError")).isEqualTo("Email must look like name@example.com.");
        robot.clickOn("#usernameField").write("ab");
        assertThat(text(robot, "#usernameError")).isEqualTo("Username must be 3 to 64 characters long.");
        replace(robot, "#quotaField", "-5");
        assertThat(text(robot, "#quotaError")).isEqualTo("Quota must not be negative.");
        replace(robot, "#usageField", "1.234");
        assertThat(text(robot, "#usageError")).isEqualTo("Usage may have at most 2 decimal places.");
        assertThat(save.isDisabled()).isTrue();
        robot.clickOn("#emailField").type(KeyCode.ENTER);
        // fix the format errors one by one: each message goes away with its error
        replace(robot, "#quotaField", "abc");
        assertThat(text(robot, "#quotaError")).isEqualTo("Quota must be a number, e.g. 1500 or 12.50.");
        replace(robot, "#quotaField", "10");
        replace(robot, "#usageField", "1.25");
        robot.clickOn("#usernameField").write("cdef");
        assertThat(text(robot, "#quotaError")).isEmpty();
        assertThat(text(robot, "#usageError")).isEmpty();
        assertThat(text(robot, "#usernameError")).isEmpty();
        assertThat(save.isDisabled()).isTrue();
        // a well-formed but taken email (ignoring case): refused by the service, on the field
        robot.clickOn("#emailField").press(KeyCode.CONTROL).press(KeyCode.A).release(KeyCode.A).release(KeyCode.CONTROL)
                .write("ALICE.20@EXAMPLE.COM");
        assertThat(save.isDisabled()).isFalse();
        robot.clickOn("#saveButton");
        waitFor(() -> idle() && !text(robot, "#emailError").isEmpty());
        assertThat(text(robot, "#emailError")).contains("Another user already has the email ALICE.20@EXAMPLE.COM");
        assertThat(save.isDisabled()).isTrue();
        // a taken username
        robot.clickOn("#emailField").press(KeyCode.CONTROL).press(KeyCode.A).release(KeyCode.A).release(KeyCode.CONTROL)
                .write("unique.person@example.com");
        robot.clickOn("#usernameField").press(KeyCode.CONTROL).press(KeyCode.A).release(KeyCode.A).release(KeyCode.CONTROL)
                .write("Bob.21");
        robot.clickOn("#saveButton");
        waitFor(() -> idle() && !text(robot, "#usernameError").isEmpty());
        assertThat(text(robot, "#usernameError")).contains("The username Bob.21 is taken");
        assertThat(sqlLong("SELECT COUNT(*) FROM users")).isEqualTo(usersBefore);
        assertThat(sqlLong("SELECT COUNT(*) FROM audit_log")).isEqualTo(auditBefore);
        robot.clickOn("#cancelButton");
    }

    @Test
    void deactivateAfterConfirmation(FxRobot robot) throws Exception {
        loaded(robot);
        search(robot, "grace.126@");
        waitFor(() -> emails(robot).equals(List.of("grace.126@example.com")));
        assertThat(rows(robot).get(0).active()).isEqualTo(sqlLong("SELECT COUNT(*) FROM users WHERE email_key = 'grace.126@example.com' AND active = TRUE") == 1);
        boolean wasActive = rows(robot).get(0).active();
        robot.clickOn(cell(robot, "grace.126@example.com")).clickOn("#toggleActiveButton");
        waitFor(() -> robot.lookup("#confirmOk").tryQuery().isPresent());
        robot.clickOn("#confirmOk");
        waitFor(() -> idle() && rows(robot).size() == 1 && rows(robot).get(0).active() != wasActive);
        assertThat(sqlLong("SELECT COUNT(*) FROM users WHERE email_key = 'grace.126@example.com' AND active = ?", !wasActive)).isEqualTo(1);
        assertThat(text(robot, "#messageLabel")).isEqualTo((wasActive ? "Deactivated" : "Reactivated") + " grace.126@example.com.");
    }

    @Test
    void bulkDeactivateOfAFilteredSetWithItsDryRunCount(FxRobot robot) throws Exception {
        loaded(robot);
        long securityId = sqlLong("SELECT id FROM departments WHERE name = 'Security'");
        String where = "u.role = 'OPERATOR' AND u.active = TRUE AND EXISTS (SELECT 1 FROM user_departments ud WHERE ud.user_id = u.id AND ud.department_id = " + securityId + ")";
        long expected = sqlLong("SELECT COUNT(*) FROM users u WHERE " + where);
        assertThat(expected).isGreaterThan(100);
        long auditBefore = sqlLong("SELECT COUNT(*) FROM audit_log WHERE operation = 'users.bulk.deactivate'");
        choose(robot, "#roleFilter", "OPERATOR");
        choose(robot, "#activeFilter", "Active only");
        choose(robot, "#departmentFilter", listing.departments().stream().filter(d -> d.name().equals("Security")).findFirst().orElseThrow());
        waitFor(() -> idle() && text(robot, "#totalLabel").equals(String.format("%,d users", expected)));
        choose(robot, "#bulkKind", org.adminconsole.service.users.BulkAction.Kind.DEACTIVATE);
        choose(robot, "#bulkScope", "All matching the filter");
        robot.clickOn("#bulkButton");
        waitFor(() -> robot.lookup("#bulkDryRunLabel").tryQuery().isPresent());
        assertThat(text(robot, "#bulkDryRunLabel")).contains("would change " + String.format("%,d", expected) + " users");
        assertThat(sqlLong("SELECT COUNT(*) FROM users u WHERE " + where)).isEqualTo(expected); // the dry run rolled back
        // the confirmation names the users that would change, page by page, each with its change
        List<String> firstIds = sqlStrings("SELECT u.id FROM users u WHERE " + where + " ORDER BY u.id LIMIT 100");
        waitFor(() -> previewIds(robot).equals(firstIds.subList(0, 50)));
        assertThat(text(robot, "#bulkPreviewRange")).isEqualTo(String.format("Users 1–50 of %,d", expected));
        assertThat(onFx(() -> ((TableView<?>) robot.lookup("#bulkPreviewTable").query()).getItems().stream()
                .map(o -> (org.adminconsole.service.users.UserBulk.Change) o)
                .allMatch(ch -> ch.field().equals("active") && ch.before().equals("yes") && ch.after().equals("no"))))
                .isTrue();
        robot.clickOn("#bulkPreviewNext");
        waitFor(() -> previewIds(robot).equals(firstIds.subList(50, 100)));
        assertThat(text(robot, "#bulkPreviewRange")).isEqualTo(String.format("Users 51–100 of %,d", expected));
        robot.clickOn("#bulkPreviewPrevious");
        waitFor(() -> previewIds(robot).equals(firstIds.subList(0, 50)));
        assertThat(robot.lookup("#bulkPreviewPrevious").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#bulkConfirmOk").queryAs(Button.class).isDisabled()).isTrue();
        robot.clickOn("#bulkConfirmField").write(String.valueOf(expected - 1));
        assertThat(robot.lookup("#bulkConfirmOk").queryAs(Button.class).isDisabled()).isTrue();
        replace(robot, "#bulkConfirmField", String.valueOf(expected));
        robot.clickOn("#bulkConfirmOk");
        waitFor(() -> idle() && text(robot, "#messageLabel").contains("changed"));
        assertThat(text(robot, "#messageLabel")).contains("changed " + String.format("%,d", expected) + " users");
        assertThat(sqlLong("SELECT COUNT(*) FROM users u WHERE " + where)).isZero();
        assertThat(sqlLong("SELECT COUNT(*) FROM audit_log WHERE operation = 'users.bulk.deactivate'")).isEqualTo(auditBefore + expected);
        waitFor(() -> idle() && rows(robot).isEmpty() && text(robot, "#totalLabel").equals("0 users"));
    }

    @Test
    void aConflictShowsTheirsAndYoursThenReloadOrOverwrite(FxRobot robot) throws Exception {
        loaded(robot);
        openUser(robot, "heidi.127@example.com");
        UserView before = user("heidi.127@example.com");
        saveElsewhere(before, before.role() == Role.GUEST ? Role.ADMIN : Role.GUEST, "4321");
        Role theirRole = user("heidi.127@example.com").role();
        replace(robot, "#quotaField", "999");
        robot.clickOn("#saveButton");
        waitFor(() -> robot.lookup("#conflictDialog").tryQuery().isPresent());
        assertThat(text(robot, "#theirs-quota")).isEqualTo("4321");
        assertThat(text(robot, "#yours-quota")).isEqualTo("999");
        assertThat(text(robot, "#theirs-role")).isEqualTo(theirRole.name());
        assertThat(text(robot, "#yours-role")).isEqualTo(before.role().name());
        robot.clickOn("#conflictReload");
        waitFor(() -> text(robot, "#quotaField").equals("4321.00"));
        assertThat(robot.lookup("#roleBox").queryAs(ComboBox.class).getValue()).isEqualTo(theirRole);
        // edit again on their version, then someone changes it again: overwrite wins, with my values
        replace(robot, "#usageField", "7.5");
        saveElsewhere(user("heidi.127@example.com"), Role.OPERATOR, "4321");
        robot.clickOn("#saveButton");
        waitFor(() -> robot.lookup("#conflictOverwrite").tryQuery().isPresent());
        assertThat(text(robot, "#theirs-role")).isEqualTo("OPERATOR");
        robot.clickOn("#conflictOverwrite");
        waitFor(() -> idle() && !robot.lookup("#userEditor").query().isVisible());
        UserView after = user("heidi.127@example.com");
        assertThat(after.role()).isEqualTo(theirRole);
        assertThat(after.usage()).isEqualByComparingTo("7.5");
        assertThat(sqlLong("SELECT COUNT(*) FROM users WHERE email_key = 'heidi.127@example.com' AND usage_amount = 7.5")).isEqualTo(1);
    }

    @Test
    void historyShowsTimeOperatorOperationAndFieldChanges(FxRobot robot) throws Exception {
        loaded(robot);
        UserView u = user("ivan.128@example.com");
        saveElsewhere(u, Role.ADMIN, "1234");
        search(robot, "ivan.128@");
        waitFor(() -> emails(robot).equals(List.of("ivan.128@example.com")));
        robot.clickOn(cell(robot, "ivan.128@example.com")).clickOn("#historyButton");
        long entries = sqlLong("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'User' AND entity_id = ?", u.id());
        waitFor(() -> robot.lookup("#historyTable").tryQuery().isPresent()
                && robot.lookup("#historyTable").queryAs(TableView.class).getItems().size() == entries);
        @SuppressWarnings("unchecked")
        TableView<AuditEntryView> history = robot.lookup("#historyTable").queryAs(TableView.class);
        AuditEntryView newest = history.getItems().get(0);
        assertThat(newest.operator()).isEqualTo("tester");
        assertThat(newest.operation()).isEqualTo("users.save");
        assertThat(newest.summary()).contains("role: " + u.role() + " → ADMIN");
        assertThat(robot.lookup("#historyTable .table-cell").match(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
                && String.valueOf(c.getItem()).contains("→ ADMIN")).tryQuery()).isPresent();
        robot.clickOn("#historyClose");
    }

    // ---- responsiveness and failures ---------------------------------------------------------------------

    @Test
    void theWindowStaysResponsiveWhileASlowTaskRuns(FxRobot robot) throws Exception {
        loaded(robot);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        runner.run("Slow report", () -> {
            started.countDown();
            release.await(60, TimeUnit.SECONDS);
            return "done";
        }, r -> presenter.message("Slow report finished"), presenter::message);
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            TableView<UserView> table = table(robot);
            javafx.scene.control.skin.VirtualFlow<?> flow = (javafx.scene.control.skin.VirtualFlow<?>) table.lookup(".virtual-flow");
            assertThat(flow.getFirstVisibleCell().getIndex()).isZero();
            robot.clickOn(cell(robot, rows(robot).get(0).email())).type(KeyCode.END);
            waitFor(() -> flow.getFirstVisibleCell().getIndex() > 0 && table.getSelectionModel().getSelectedIndex() == 49);
            replace(robot, "#searchField", "walter.11"); // the slow task still holds a worker: this search uses another
            waitFor(() -> presenter.query().search().equals("walter.11") && !text(robot, "#totalLabel").contains("…")
                    && !emails(robot).isEmpty() && emails(robot).stream().allMatch(e -> e.startsWith("walter.11")));
            assertThat(text(robot, "#totalLabel")).isEqualTo(sqlLong("SELECT COUNT(*) FROM users WHERE email_key LIKE 'walter.11%'") + " users");
            assertThat(release.getCount()).isEqualTo(1); // still held while the UI worked
        } finally {
            release.countDown();
        }
        waitFor(() -> text(robot, "#messageLabel").equals("Slow report finished"));
    }

    @Test
    void aFailedTaskLeavesTheUiUsableWithAReadableMessage(FxRobot robot) throws Exception {
        loaded(robot);
        // a user with usage cannot be deleted: explained, nothing asked, nothing deleted
        search(robot, "judy.129@");
        UserView judy = rows(robot).get(0);
        if (judy.usage().signum() == 0) {
            saveElsewhere(judy, judy.role(), "100"); // not expected with the demo data, but keep the test honest
        }
        UserView withUsage = user("judy.129@example.com");
        if (withUsage.usage().signum() != 0) {
            robot.clickOn(cell(robot, "judy.129@example.com")).clickOn("#deleteButton");
            assertThat(text(robot, "#messageLabel")).contains("cannot be deleted: it has usage");
        }
        // a delete that fails in the background (the user changed meanwhile): readable message, UI still works
        UserView idle = ((SaveResult.Saved) editing.save(new UserForm(null, 0, "idle.delete@example.com", "idledelete", Role.USER,
                true, "1", "0", Set.of(), null))).user();
        search(robot, "idle.delete");
        waitFor(() -> emails(robot).equals(List.of("idle.delete@example.com")));
        robot.clickOn(cell(robot, "idle.delete@example.com"));
        saveElsewhere(idle, Role.GUEST, "2");
        robot.clickOn("#deleteButton");
        waitFor(() -> robot.lookup("#confirmOk").tryQuery().isPresent());
        robot.clickOn("#confirmOk");
        waitFor(() -> idle() && text(robot, "#messageLabel").startsWith("Not deleted"));
        assertThat(text(robot, "#messageLabel")).isEqualTo("Not deleted: idle.delete@example.com was changed by someone else meanwhile; nothing was deleted. Reload and try again.");
        assertThat(sqlLong("SELECT COUNT(*) FROM users WHERE email_key = 'idle.delete@example.com'")).isEqualTo(1);
        // the status line shows the latest task: a refresh after the failed delete may follow, so record every status
        List<String> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        javafx.beans.value.ChangeListener<String> record = (o, was, now) -> statuses.add(now);
        onFx(() -> {
            runner.statusProperty().addListener(record);
            return null;
        });
        runner.run("Exploding task", () -> {
            throw new IllegalStateException("The report volume is full");
        }, r -> { }, presenter::message);
        waitFor(() -> text(robot, "#messageLabel").equals("The report volume is full"));
        waitFor(() -> statuses.contains("Exploding task failed: The report volume is full"));
        onFx(() -> {
            runner.statusProperty().removeListener(record);
            return null;
        });
        search(robot, "zoe.999@");
        waitFor(() -> emails(robot).equals(List.of("zoe.999@example.com")));
        assertThat(robot.lookup("#usersTable").query().isDisabled()).isFalse();
    }

    // ---- export, focus ---------------------------------------------------------------------------------------

    /** Issue 16: the filtered list goes to CSV (all pages); a target in the data folder is refused inside the dialog. */
    @Test
    void exportTheFilteredListToCsvFromItsDialog(FxRobot robot) throws Exception {
        loaded(robot);
        choose(robot, "#roleFilter", "ADMIN");
        long admins = sqlLong("SELECT COUNT(*) FROM users WHERE role = 'ADMIN'");
        assertThat(admins).as("more admins than one page").isGreaterThan(UsersPresenter.PAGE_SIZE);
        waitFor(() -> idle() && text(robot, "#totalLabel").equals(String.format("%,d users", admins)));
        robot.clickOn("#usersExportButton");
        waitFor(() -> robot.lookup("#userExportPath").tryQuery().isPresent());
        assertThat(onFx(() -> robot.lookup("#userExportPath").queryAs(TextField.class).isFocused())).as("the path is where typing goes").isTrue();
        // into the data folder: refused where the operator looks, the dialog stays, nothing is written
        java.nio.file.Path inData = ctx.settings().dataDir().resolve("admins.csv");
        replace(robot, "#userExportPath", inData.toString());
        robot.clickOn("#userExportOk");
        waitFor(() -> !text(robot, "#userExportError").isEmpty());
        assertThat(text(robot, "#userExportError")).contains("data folder");
        assertThat(inData).doesNotExist();
        java.nio.file.Path target = java.nio.file.Files.createTempDirectory("users-export").resolve("admins.csv");
        replace(robot, "#userExportPath", target.toString());
        robot.clickOn("#userExportOk");
        waitFor(() -> idle() && text(robot, "#messageLabel").startsWith("Exported"));
        assertThat(text(robot, "#messageLabel")).isEqualTo(String.format("Exported %,d users to %s.", admins, target));
        List<String> lines = java.nio.file.Files.readAllLines(target);
        assertThat(lines).hasSize((int) admins + 1);
        assertThat(lines.stream().skip(1)).allMatch(l -> l.contains(",ADMIN,"));
    }

    /** Issue 16: after Save the keyboard is back on the list, not on the pager's Next. */
    @Test
    void afterSaveTheFocusIsOnTheList(FxRobot robot) throws Exception {
        loaded(robot);
        String email = sqlStrings("SELECT email FROM users ORDER BY id LIMIT 1 OFFSET 211").get(0);
        openUser(robot, email);
        replace(robot, "#usageField", "3.21");
        robot.clickOn("#saveButton");
        waitFor(() -> idle() && !robot.lookup("#userEditor").query().isVisible());
        waitFor(() -> onFx(() -> stage.getScene().getFocusOwner() == robot.lookup("#usersTable").query()));
        robot.type(KeyCode.ENTER); // the next keystroke acts on the list: Enter opens the selected user again
        waitFor(() -> robot.lookup("#userEditor").query().isVisible() && text(robot, "#emailField").equals(email));
    }
}
