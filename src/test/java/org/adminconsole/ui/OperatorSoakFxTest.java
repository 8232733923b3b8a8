package org.adminconsole.ui;

import static org.adminconsole.testing.FxTesting.onFx;
import static org.adminconsole.testing.FxTesting.text;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import org.adminconsole.testing.LogCapture;
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
 * An operator's session, driven like a person: typing with pauses of 30-500 ms between keys (and deletions),
 * switching tabs in the middle of loads, arrowing through the schema tree and the users grid, opening, editing,
 * saving and cancelling the editor, starting and abandoning searches, counting, exporting and bulk dry runs, for
 * {@code soak.seconds} (60 in the build; the bench command runs 600). Afterwards: no ERROR log line, no view shows a
 * failure, the database answers, and the figures on screen equal the database's. The actions follow a seeded random
 * sequence ({@code soak.seed}), so a failing run can be replayed.
 */
@ExtendWith(ApplicationExtension.class)
class OperatorSoakFxTest {

    static final long SECONDS = Long.getLong("soak.seconds", 60);
    static final long SEED = Long.getLong("soak.seed", 20261130);
    private static final String SEARCH_ALPHABET = "alicebobcarol.1234@example";

    @TempDir Path dir;
    private MainWindow window;
    private FxRobot robot;
    private Random rnd;
    private final Map<String, Integer> done = new LinkedHashMap<>();

    @AfterEach
    void close() throws Exception {
        FxTesting.shutdown(window, 60);
    }

    @Test
    void anOperatorsSessionLeavesNoErrorAndTheFiguresTrue(FxRobot robot) throws Exception {
        this.robot = robot;
        this.rnd = new Random(SEED);
        try (LogCapture log = new LogCapture()) {
            window = FxTesting.openWindow(TestDatabases.h2(dir, Map.of(
                    "db.seed.users", "10000", "cache.check.intervalMs", "500")), null);
            WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> text(robot, "#userCount").equals("10,000"));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            while (System.nanoTime() < end) {
                int pick = rnd.nextInt(100);
                if (pick < 30) {
                    typeSearch();
                } else if (pick < 40) {
                    switchTab();
                } else if (pick < 50) {
                    arrowThroughSchema();
                } else if (pick < 60) {
                    arrowThroughUsers();
                } else if (pick < 70) {
                    editUser();
                } else if (pick < 78) {
                    runSql();
                } else if (pick < 84) {
                    countAndMaybeCancel();
                } else if (pick < 89) {
                    export();
                } else if (pick < 95) {
                    bulkDryRun();
                } else {
                    abandonSearch();
                }
            }
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> window.presenter() != null)
                    && runnerIdle());
            System.out.println("[measure] soak: " + SECONDS + " s, seed " + SEED + ", actions " + done);

            assertThat(log.at(Level.ERROR)).as(log.text()).isEmpty();
            assertThat(text(robot, "#statusLabel")).doesNotContain("failed");
            long users = count("SELECT COUNT(*) FROM users");
            // the figures on screen equal the database's (the refresh after the last commit may still be on its way)
            clickTab("Dashboard");
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text(robot, "#userCount").equals(String.format("%,d", users)));
            clickTab("Users");
            clearSearch();
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text(robot, "#totalLabel").equals(String.format("%,d users", users)));
            assertThat(text(robot, "#messageLabel")).doesNotContain("could not").doesNotContain("failed");
        }
    }

    private boolean runnerIdle() {
        return onFx(() -> robot.lookup("#busy").query().isVisible()) == Boolean.FALSE;
    }

    private long count(String sql) throws Exception {
        try (Connection c = TestDatabases.connect(window.context().settings()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void did(String action) {
        done.merge(action, 1, Integer::sum);
    }

    private void pause() {
        robot.sleep(30 + rnd.nextInt(471)); // a person between two keys: 30-500 ms
    }

    private void typeLikeAPerson(String text) {
        for (char ch : text.toCharArray()) {
            robot.write(ch);
            pause();
        }
    }

    private void clickTab(String title) {
        robot.clickOn(robot.lookup(".tab-pane > .tab-header-area .tab-label").match(n -> title.equals(((javafx.scene.control.Label) n).getText()))
                .<Node>query());
    }

    private void typeSearch() {
        clickTab("Users");
        robot.clickOn("#searchField");
        int keys = 1 + rnd.nextInt(6);
        for (int i = 0; i < keys; i++) {
            if (rnd.nextInt(5) == 0) {
                robot.type(KeyCode.BACK_SPACE);
            } else {
                robot.write(SEARCH_ALPHABET.charAt(rnd.nextInt(SEARCH_ALPHABET.length())));
            }
            pause();
        }
        did("search keys");
    }

    private void abandonSearch() {
        clickTab("Users");
        robot.clickOn("#searchField");
        typeLikeAPerson("bo");
        clearSearch();
        did("abandoned searches");
    }

    private void clearSearch() {
        robot.interact(() -> robot.lookup("#searchField").queryAs(TextInputControl.class).clear());
    }

    private void switchTab() {
        String[] tabs = {"Dashboard", "Users", "Schema & data", "SQL", "Operations", "SQL log", "Caches", "Pool", "Demo data"};
        clickTab(tabs[rnd.nextInt(tabs.length)]);
        did("tab switches");
    }

    private void arrowThroughSchema() {
        clickTab("Schema & data");
        TreeView<?> tree = robot.lookup("#schemaTree").queryAs(TreeView.class);
        robot.clickOn(tree);
        if (onFx(() -> tree.getSelectionModel().isEmpty())) {
            robot.interact(() -> tree.getSelectionModel().select(1));
        }
        int keys = 2 + rnd.nextInt(8);
        for (int i = 0; i < keys; i++) {
            robot.type(rnd.nextInt(4) == 0 ? KeyCode.UP : KeyCode.DOWN);
            pause();
        }
        did("schema arrows");
    }

    private void arrowThroughUsers() {
        clickTab("Users");
        TableView<?> table = robot.lookup("#usersTable").queryAs(TableView.class);
        if (onFx(() -> table.getItems().isEmpty())) {
            clearSearch();
            return;
        }
        robot.interact(() -> table.getSelectionModel().select(0));
        robot.clickOn(table);
        int keys = 2 + rnd.nextInt(10);
        for (int i = 0; i < keys; i++) {
            robot.type(KeyCode.DOWN);
            pause();
        }
        did("grid arrows");
    }

    private void editUser() {
        clickTab("Users");
        TableView<?> table = robot.lookup("#usersTable").queryAs(TableView.class);
        if (onFx(() -> table.getItems().isEmpty())) {
            clearSearch();
            return;
        }
        robot.interact(() -> table.getSelectionModel().select(rnd.nextInt(Math.min(10, table.getItems().size()))));
        robot.clickOn("#openButton");
        WaitForAsyncUtils.sleep(0, TimeUnit.MILLISECONDS);
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(() -> robot.lookup("#userEditor").query().isVisible()));
        } catch (java.util.concurrent.TimeoutException e) {
            return; // the row went away meanwhile: an operator moves on
        }
        robot.clickOn("#usernameField");
        robot.push(KeyCode.CONTROL, KeyCode.A);
        typeLikeAPerson("soak" + rnd.nextInt(1_000_000));
        if (rnd.nextBoolean()) {
            robot.type(KeyCode.ENTER); // save
            did("saves");
        } else {
            robot.type(KeyCode.ESCAPE);
            did("cancelled edits");
        }
    }

    private void runSql() {
        clickTab("SQL");
        robot.clickOn("#sqlText");
        robot.interact(() -> robot.lookup("#sqlText").queryAs(org.fxmisc.richtext.CodeArea.class).clear());
        typeLikeAPerson("SELECT COUNT(*) FROM users WHERE id < " + (1 + rnd.nextInt(9)) + "00");
        robot.clickOn("#runButton");
        did("SQL queries");
    }

    private void countAndMaybeCancel() {
        clickTab("Schema & data");
        TreeView<?> tree = robot.lookup("#schemaTree").queryAs(TreeView.class);
        robot.interact(() -> tree.getSelectionModel().select(2 + rnd.nextInt(4)));
        if (onFx(() -> !robot.lookup("#exactCountButton").query().isDisabled())) {
            robot.clickOn("#exactCountButton");
            if (rnd.nextBoolean() && onFx(() -> !robot.lookup("#cancelCountButton").query().isDisabled())) {
                robot.clickOn("#cancelCountButton");
                did("cancelled counts");
            } else {
                did("counts");
            }
        }
    }

    private void export() {
        clickTab("Schema & data");
        TreeView<?> tree = robot.lookup("#schemaTree").queryAs(TreeView.class);
        robot.interact(() -> tree.getSelectionModel().select(2 + rnd.nextInt(4)));
        robot.interact(() -> robot.lookup("#detailTabs").queryAs(TabPane.class).getSelectionModel().select(1));
        if (onFx(() -> robot.lookup("#exportButton").query().isDisabled())) {
            return;
        }
        Path target = dir.resolve("export-" + rnd.nextInt(1_000_000) + ".csv");
        robot.interact(() -> robot.lookup("#exportPath").queryAs(TextInputControl.class).setText(target.toString()));
        robot.clickOn("#exportButton");
        did("exports");
    }

    private void bulkDryRun() {
        clickTab("Users");
        TableView<?> table = robot.lookup("#usersTable").queryAs(TableView.class);
        if (onFx(() -> table.getItems().size() < 3)) {
            clearSearch();
            return;
        }
        robot.interact(() -> table.getSelectionModel().selectRange(0, 3));
        if (onFx(() -> robot.lookup("#bulkButton").query().isDisabled())) {
            return;
        }
        robot.clickOn("#bulkButton");
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane").tryQuery().isPresent()
                    || text(robot, "#messageLabel").startsWith("Dry run"));
        } catch (java.util.concurrent.TimeoutException e) {
            return;
        }
        robot.lookup(".dialog-pane .button").match(n -> "Cancel".equals(((javafx.scene.control.Button) n).getText()))
                .tryQuery().ifPresent(robot::clickOn);
        did("bulk dry runs");
    }
}
