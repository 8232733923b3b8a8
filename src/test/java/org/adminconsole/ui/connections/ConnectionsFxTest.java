package org.adminconsole.ui.connections;

import static org.adminconsole.testing.DataGridLookups.cellNode;
import static org.adminconsole.testing.DataGridLookups.chips;
import static org.adminconsole.testing.DataGridLookups.column;
import static org.adminconsole.testing.DataGridLookups.grid;
import static org.adminconsole.testing.FxTesting.onFx;
import static org.adminconsole.testing.FxTesting.text;
import static org.adminconsole.testing.FxTesting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.adminconsole.AppContext;
import org.adminconsole.service.connections.ConnectionProfile;
import org.adminconsole.service.connections.ProfileStore;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.inspect.CellFormat;
import org.adminconsole.service.inspect.Filter;
import org.adminconsole.service.inspect.InspectTargets;
import org.adminconsole.testing.ProfileFixtures;
import org.adminconsole.testing.TestDatabases;
import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Connection profiles driven like an operator: Connections…, add a profile for a second H2 file or a PostgreSQL
 * database, open it, browse a table, filter, follow a foreign key to the row and back, run a query and export it, and
 * switch back to the console's database; and bad input (port, missing file, wrong password) shown in the dialog.
 */
@ExtendWith(ApplicationExtension.class)
class ConnectionsFxTest {

    private static Path dir;
    private static Path second;
    private static Path exports;
    private static AppContext ctx;
    private static Path shopFile;

    @BeforeAll
    static void openDatabase() throws Exception {
        dir = TestDatabases.tempDir("connections-fx");
        second = TestDatabases.tempDir("connections-fx-second");
        exports = TestDatabases.tempDir("connections-fx-export");
        ctx = AppContext.start(TestDatabases.h2(dir));
        ctx.get(DemoDataService.class).generate(30);
        shopFile = ProfileFixtures.h2File(second);
    }

    @AfterAll
    static void closeDatabase() {
        ctx.close();
    }

    @AfterEach
    void backToTheConsole() {
        ctx.get(InspectTargets.class).switchTo(null);
    }

    @Start
    void start(Stage stage) {
        ViewLoader loader = new ViewLoader(ctx.components()).with(TaskRunner.class, new TaskRunner(2));
        Tab schema = new Tab("Schema & data", loader.load("inspect/Schema.fxml").root());
        Tab sql = new Tab("SQL", loader.load("inspect/SqlConsole.fxml").root());
        TabPane tabs = new TabPane(schema, sql);
        tabs.setId("tabs");
        Scene scene = new Scene(tabs, 1200, 780);
        scene.getStylesheets().add(getClass().getResource("/fxml/console.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }






    private static void type(FxRobot robot, String id, String text) {
        TextField f = robot.lookup(id).queryAs(TextField.class);
        robot.interact(f::clear);
        if (!text.isEmpty()) {
            robot.clickOn(f).write(text);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void choose(FxRobot robot, String id, T value) {
        ChoiceBox<T> box = robot.lookup(id).queryAs(ChoiceBox.class);
        robot.interact(() -> box.setValue(value));
    }

    private static void openDialog(FxRobot robot) throws Exception {
        robot.clickOn("#schemaConnectionsButton");
        waitFor(() -> robot.lookup("#connectionsDialog").tryQuery().isPresent() && robot.lookup("#profileName").tryQuery().isPresent());
    }

    /** With the environment variable README_SCREENSHOTS=DIR: saves a PNG of the node's scene for the README. */
    private static void snapshot(FxRobot robot, String query, String name) throws Exception {
        String dirName = System.getenv().getOrDefault("README_SCREENSHOTS", "");
        if (dirName.isBlank()) {
            return;
        }
        Node n = robot.lookup(query).query();
        javafx.scene.image.WritableImage image = onFx(() -> n.getScene().snapshot(null));
        javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(image, null), "png", Path.of(dirName).resolve(name).toFile());
    }

    private static String savedProfiles() throws Exception {
        Path f = ctx.settings().dataDir().resolve(ProfileStore.FILE_NAME);
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Test
    void opensASecondH2FileBrowsesFollowsAKeyRunsAndExportsAQueryAndSwitchesBack(FxRobot robot) throws Exception {
        waitFor(() -> robot.lookup("USERS").tryQuery().isPresent());
        openDialog(robot);
        type(robot, "#profileName", "Shop file");
        type(robot, "#profileFile", shopFile.toString());
        type(robot, "#profileUser", "SA");
        robot.clickOn("#profilePassword").write(ProfileFixtures.H2_PASSWORD);
        robot.clickOn("#saveProfileButton");
        waitFor(() -> text(robot, "#connectionsMessage").startsWith("Saved Shop file"));
        assertThat(savedProfiles()).contains("Shop file").doesNotContain(ProfileFixtures.H2_PASSWORD);
        robot.clickOn("#testProfileButton");
        waitFor(() -> text(robot, "#connectionsMessage").contains("read-only"));
        snapshot(robot, "#connectionsDialog", "connections-dialog.png");
        robot.clickOn("#openProfileButton");
        waitFor(() -> robot.lookup("#connectionsDialog").tryQuery().isEmpty());
        waitFor(() -> robot.lookup("ORDERS").tryQuery().isPresent() && robot.lookup("USERS").tryQuery().isEmpty());
        assertThat(text(robot, "#schemaTargetMessage")).contains("Inspecting Shop file").contains("read-only");

        browseFilterFollowAndBack(robot, "PUBLIC", "ORDERS", "SHOPS", "SHOP_ID", "ID", "NAME");
        snapshot(robot, "#tabs", "profile-opened.png");
        runAndExport(robot, "SELECT id, amount FROM orders WHERE shop_id = 3 ORDER BY id", "shop-h2.csv");

        // back to the console's own database from the SQL view's chooser
        robot.clickOn("#sqlTargetChoice");
        robot.clickOn(robot.lookup(".list-cell").match(n -> n instanceof javafx.scene.control.ListCell<?> c
                && "Console database".equals(c.getText())).<Node>query());
        waitFor(() -> ctx.get(InspectTargets.class).current().console());
        robot.clickOn("Schema & data");
        waitFor(() -> robot.lookup("USERS").tryQuery().isPresent() && robot.lookup("ORDERS").tryQuery().isEmpty());
        assertThat(text(robot, "#schemaTargetMessage")).isEmpty();
    }

    private void browseFilterFollowAndBack(FxRobot robot, String schema, String orders, String shops, String shopId, String id,
                                           String name) throws Exception {
        robot.clickOn(orders);
        waitFor(() -> text(robot, "#tableTitle").equals("Table " + schema + "." + orders) && grid(robot).getItems().size() == 50);
        robot.clickOn("Data");
        @SuppressWarnings("unchecked")
        ComboBox<String> col = robot.lookup("#filterColumn").queryAs(ComboBox.class);
        @SuppressWarnings("unchecked")
        ComboBox<Filter.Op> ops = robot.lookup("#filterOp").queryAs(ComboBox.class);
        robot.interact(() -> {
            col.setValue(shopId);
            ops.setValue(Filter.Op.EQUALS);
        });
        robot.clickOn("#filterValue").write("3");
        robot.clickOn("#addFilterButton");
        List<String> expected = List.of("2", "42", "82", "122", "162", "202", "242", "282");
        waitFor(() -> column(robot, id).equals(expected));
        // follow the foreign key to the shop, and back
        robot.doubleClickOn(cellNode(robot, 0, shopId));
        waitFor(() -> text(robot, "#dataTableName").equals(schema + "." + shops) && column(robot, name).equals(List.of("Shop 3")));
        assertThat(chips(robot)).containsExactly(id + " = '3'");
        robot.clickOn("#backButton");
        waitFor(() -> text(robot, "#dataTableName").equals(schema + "." + orders) && column(robot, id).equals(expected));
    }

    private void runAndExport(FxRobot robot, String sql, String fileName) throws Exception {
        robot.clickOn("SQL");
        org.fxmisc.richtext.CodeArea area = robot.lookup("#sqlText").queryAs(org.fxmisc.richtext.CodeArea.class);
        robot.interact(() -> area.replaceText(sql));
        robot.clickOn("#sqlText");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        @SuppressWarnings("unchecked")
        TableView<List<String>> result = robot.lookup("#resultGrid").queryAs(TableView.class);
        waitFor(() -> result.getItems().size() == 8);
        assertThat(result.getItems().get(0).get(0)).isEqualTo("2");
        Path file = exports.resolve(fileName);
        robot.interact(() -> robot.lookup("#sqlExportPath").queryAs(TextField.class).setText(file.toString()));
        robot.clickOn("#sqlExportButton");
        waitFor(() -> Files.exists(file));
        assertThat(Files.readAllLines(file)).hasSize(9);
        // a write is refused on the profile as on the console's database
        robot.interact(() -> area.replaceText("DELETE FROM orders"));
        robot.clickOn("#sqlText");
        robot.press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        waitFor(() -> text(robot, "#sqlMessage").contains("efused"));
    }

    @Test
    void opensAPostgresDatabaseFromAProfile(FxRobot robot) throws Exception {
        String database = ProfileFixtures.postgresDatabase(second.resolve("pg")); // skips without a server
        waitFor(() -> robot.lookup("USERS").tryQuery().isPresent());
        openDialog(robot);
        type(robot, "#profileName", "Shop pg");
        choose(robot, "#profileKind", ConnectionProfile.Kind.POSTGRES);
        type(robot, "#profileHost", "127.0.0.1");
        assertThat(robot.lookup("#profilePort").queryAs(TextField.class).getText()).isEqualTo("5432");
        type(robot, "#profileDatabase", database);
        type(robot, "#profileUser", TestDatabases.PG_READER);
        choose(robot, "#profilePasswordSource", ConnectionProfile.PasswordSource.NONE);
        robot.clickOn("#saveProfileButton");
        waitFor(() -> text(robot, "#connectionsMessage").startsWith("Saved Shop pg"));
        robot.clickOn("#openProfileButton");
        waitFor(() -> robot.lookup("#connectionsDialog").tryQuery().isEmpty());
        waitFor(() -> robot.lookup("orders").tryQuery().isPresent() && robot.lookup("USERS").tryQuery().isEmpty());
        browseFilterFollowAndBack(robot, "public", "orders", "shops", "shop_id", "id", "name");
        runAndExport(robot, "SELECT id, amount FROM orders WHERE shop_id = 3 ORDER BY id", "shop-pg.csv");
        robot.clickOn("Schema & data");
        robot.clickOn("#schemaConnectionsButton");
        waitFor(() -> robot.lookup("#inspectConsoleButton").tryQuery().isPresent());
        robot.clickOn("#inspectConsoleButton");
        waitFor(() -> robot.lookup("USERS").tryQuery().isPresent() && robot.lookup("orders").tryQuery().isEmpty());
    }

    @Test
    void aSuperuserProfileIsRefusedWithAMessageOnTheLogin(FxRobot robot) throws Exception {
        String database = ProfileFixtures.postgresDatabase(second.resolve("pg-owner"));
        openDialog(robot);
        type(robot, "#profileName", "As owner");
        choose(robot, "#profileKind", ConnectionProfile.Kind.POSTGRES);
        type(robot, "#profileHost", "127.0.0.1");
        type(robot, "#profileDatabase", database);
        type(robot, "#profileUser", "postgres");
        choose(robot, "#profilePasswordSource", ConnectionProfile.PasswordSource.NONE);
        robot.clickOn("#openProfileButton");
        waitFor(() -> text(robot, "#userError").contains("can do more than read"));
        assertThat(text(robot, "#userError")).contains("SUPERUSER").contains("reader.sql");
        assertThat(ctx.get(InspectTargets.class).current().console()).isTrue();
        robot.clickOn("#closeConnectionsButton");
    }

    @Test
    void badInputShowsAMessageOnItsFieldAndSavesNothing(FxRobot robot) throws Exception {
        openDialog(robot);
        String before = savedProfiles();
        // a server profile with no host and a port that is not a number
        type(robot, "#profileName", "Broken");
        choose(robot, "#profileKind", ConnectionProfile.Kind.POSTGRES);
        type(robot, "#profileHost", "");
        type(robot, "#profilePort", "54x2");
        type(robot, "#profileDatabase", "shop");
        type(robot, "#profileUser", "reader");
        robot.clickOn("#saveProfileButton");
        waitFor(() -> text(robot, "#portError").contains("'54x2' is not a port number"));
        assertThat(text(robot, "#hostError")).contains("Enter the server's host");
        type(robot, "#profilePort", "70000");
        type(robot, "#profileHost", "127.0.0.1");
        robot.clickOn("#saveProfileButton");
        waitFor(() -> text(robot, "#portError").contains("between 1 and 65535"));
        assertThat(text(robot, "#hostError")).isEmpty();
        assertThat(savedProfiles()).isEqualTo(before);

        // an H2 file that is not there
        choose(robot, "#profileKind", ConnectionProfile.Kind.H2_FILE);
        type(robot, "#profileFile", second.resolve("missing.mv.db").toString());
        type(robot, "#profileUser", "SA");
        robot.clickOn("#saveProfileButton");
        waitFor(() -> text(robot, "#fileError").contains("No H2 database at"));
        assertThat(savedProfiles()).isEqualTo(before);

        // the right file with a wrong password: refused on the password field, still on the console's database
        type(robot, "#profileFile", shopFile.toString());
        robot.clickOn("#profilePassword").write("not-the-password");
        robot.clickOn("#openProfileButton");
        waitFor(() -> text(robot, "#passwordError").contains("wrong user name or password"));
        assertThat(text(robot, "#passwordError")).doesNotContain("not-the-password");
        assertThat(ctx.get(InspectTargets.class).current().console()).isTrue();
        robot.clickOn("#closeConnectionsButton");
        waitFor(() -> robot.lookup("#connectionsDialog").tryQuery().isEmpty());
    }
}
