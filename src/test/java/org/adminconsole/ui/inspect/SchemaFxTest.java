package org.adminconsole.ui.inspect;

import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import static org.adminconsole.testing.FxTesting.text;
import static org.adminconsole.testing.FxTesting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.skin.TableColumnHeader;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.adminconsole.AppContext;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.inspect.CellFormat;
import org.adminconsole.service.inspect.Filter;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The schema browser and the table data view, driven like an operator on a real H2 database. */
@ExtendWith(ApplicationExtension.class)
class SchemaFxTest {

    private static final int USERS = 260;
    private static Path dir;
    private static Path exportDir;
    private static AppContext ctx;
    private TaskRunner runner;

    @BeforeAll
    static void openDatabase() throws Exception {
        dir = TestDatabases.tempDir("schema-fx");
        exportDir = TestDatabases.tempDir("schema-fx-export");
        ctx = AppContext.start(TestDatabases.h2(dir));
        ctx.get(DemoDataService.class).generate(USERS);
        try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE notes (id INT PRIMARY KEY, title VARCHAR(50), body CLOB)");
            st.execute("INSERT INTO notes VALUES (1, 'long', REPEAT('abcdefghij', 300) || 'THE END'), (2, 'short', 'tiny')");
        }
    }

    @AfterAll
    static void closeDatabase() {
        ctx.close();
    }

    @Start
    void start(Stage stage) {
        runner = new TaskRunner(2);
        ViewLoader.View<SchemaPresenter> view = new ViewLoader(ctx.components()).with(TaskRunner.class, runner).load("inspect/Schema.fxml");
        Scene scene = new Scene(view.root(), 1200, 800);
        scene.getStylesheets().add(getClass().getResource("/fxml/console.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @SuppressWarnings("unchecked")
    private static TableView<List<Object>> grid(FxRobot robot) {
        return robot.lookup("#dataGrid").queryAs(TableView.class);
    }

    /** A displayed cell's text, as the operator sees it. */
    private static String cell(FxRobot robot, int row, String column) {
        TableView<List<Object>> g = grid(robot);
        int col = g.getColumns().stream().map(c -> c.getText()).toList().indexOf(column);
        return CellFormat.display(g.getItems().get(row).get(col));
    }

    private static List<String> column(FxRobot robot, String column) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < grid(robot).getItems().size(); i++) {
            out.add(cell(robot, i, column));
        }
        return out;
    }

    private static List<String> query(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private void openUsers(FxRobot robot) throws Exception {
        waitFor(() -> robot.lookup("USERS").tryQuery().isPresent());
        robot.clickOn("USERS");
        waitFor(() -> text(robot, "#tableTitle").equals("Table PUBLIC.USERS") && grid(robot).getItems().size() == 50);
    }

    @Test
    void browsesTheSchemaAndOpensATable(FxRobot robot) throws Exception {
        openUsers(robot);
        assertThat(text(robot, "#rowEstimate")).isEqualTo("about 260");
        @SuppressWarnings("unchecked")
        TableView<org.adminconsole.service.inspect.ColumnInfo> columns = robot.lookup("#columnsTable").queryAs(TableView.class);
        assertThat(columns.getItems()).extracting(c -> c.name()).contains("ID", "EMAIL", "ROLE", "LAST_LOGIN");
        assertThat(robot.lookup("#indexes").queryAs(ListView.class).getItems()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(text(robot, "#pagingMode")).contains("Keyset paging");
        assertThat(cell(robot, 0, "ID")).isEqualTo("1");

        robot.clickOn("#exactCountButton");
        waitFor(() -> text(robot, "#exactCount").equals("exactly 260"));

        // foreign keys: open user_departments, jump to a referenced table
        robot.clickOn("USER_DEPARTMENTS");
        waitFor(() -> text(robot, "#tableTitle").equals("Table PUBLIC.USER_DEPARTMENTS"));
        assertThat(robot.lookup("#foreignKeys").queryAs(ListView.class).getItems()).hasSize(2);
        robot.clickOn("#foreignKeys .list-cell");
        robot.clickOn("#jumpButton");
        waitFor(() -> text(robot, "#tableTitle").matches("Table PUBLIC\\.(USERS|DEPARTMENTS)"));
    }

    @Test
    void pagesSortsAndFiltersATable(FxRobot robot) throws Exception {
        openUsers(robot);
        robot.clickOn("Data");
        robot.clickOn("#nextPageButton");
        waitFor(() -> text(robot, "#pageLabel").startsWith("Page 2 of 6 · rows 51–100"));
        assertThat(column(robot, "ID")).isEqualTo(query("SELECT id FROM users ORDER BY id OFFSET 50 ROWS FETCH FIRST 50 ROWS ONLY"));
        robot.clickOn("#prevPageButton");
        waitFor(() -> text(robot, "#pageLabel").startsWith("Page 1 of 6 · rows 1–50"));

        // sort: click the USERNAME header (ascending), then again (descending)
        Node header = robot.lookup("#dataGrid .column-header").match(n -> n instanceof TableColumnHeader h
                && h.getTableColumn() != null && "USERNAME".equals(h.getTableColumn().getText())).query();
        robot.clickOn(header);
        List<String> asc = query("SELECT username FROM users ORDER BY username, id FETCH FIRST 50 ROWS ONLY");
        waitFor(() -> column(robot, "USERNAME").equals(asc));
        robot.clickOn(header);
        List<String> desc = query("SELECT username FROM users ORDER BY username DESC, id DESC FETCH FIRST 50 ROWS ONLY");
        waitFor(() -> column(robot, "USERNAME").equals(desc));
        assertThat(text(robot, "#pagingMode")).contains("Keyset paging by USERNAME");

        // filter: ROLE = ADMIN
        filter(robot, "ROLE", Filter.Op.EQUALS, "ADMIN");
        List<String> admins = query("SELECT username FROM users WHERE role = 'ADMIN' ORDER BY username DESC, id DESC");
        waitFor(() -> column(robot, "USERNAME").equals(admins));
        assertThat(column(robot, "ROLE")).containsOnly("ADMIN");
        assertThat(org.adminconsole.testing.DataGridLookups.chips(robot)).containsExactly("ROLE = 'ADMIN'");

        // a value that does not parse: message on the filter, nothing sent, rows unchanged
        int before = ctx.database().sqlMonitor().snapshot().size();
        filter(robot, "QUOTA", Filter.Op.GREATER, "lots");
        waitFor(() -> robot.lookup("#filterError").queryAs(Label.class).isVisible());
        assertThat(text(robot, "#filterError")).isEqualTo("Filter on QUOTA: 'lots' is not a number (use a dot for decimals, e.g. 12.50).");
        assertThat(robot.lookup("#filterValue").query().getStyleClass()).contains("invalid");
        assertThat(ctx.database().sqlMonitor().snapshot().size()).isEqualTo(before);
        assertThat(column(robot, "USERNAME")).isEqualTo(admins);

        // numbers beyond the column's type: message on the filter, nothing sent
        for (String[] c : new String[][] {{"QUOTA", "1e999999999", "is beyond the range of"},
                {"QUOTA", "1e-999999999", "has too many decimal places"}, {"ID", "9223372036854775808", "is beyond the range of BIGINT"}}) {
            TextField value = robot.lookup("#filterValue").queryAs(TextField.class);
            robot.interact(value::clear);
            filter(robot, c[0], Filter.Op.GREATER, c[1]);
            waitFor(() -> text(robot, "#filterError").contains(c[2]));
            assertThat(text(robot, "#filterError")).startsWith("Filter on " + c[0] + ": '" + c[1] + "'");
            assertThat(ctx.database().sqlMonitor().snapshot().size()).isEqualTo(before);
        }
        robot.interact(() -> robot.lookup("#filterValue").queryAs(TextField.class).clear());

        // a hostile value is only a value
        robot.clickOn("#clearFiltersButton");
        filter(robot, "EMAIL", Filter.Op.CONTAINS, "'; DROP TABLE users; --");
        waitFor(() -> text(robot, "#pageLabel").equals("No matching rows"));
        assertThat(query("SELECT COUNT(*) FROM users")).containsExactly(String.valueOf(USERS));
    }

    private void filter(FxRobot robot, String column, Filter.Op op, String value) {
        @SuppressWarnings("unchecked")
        ComboBox<String> col = robot.lookup("#filterColumn").queryAs(ComboBox.class);
        @SuppressWarnings("unchecked")
        ComboBox<Filter.Op> ops = robot.lookup("#filterOp").queryAs(ComboBox.class);
        robot.interact(() -> {
            col.setValue(column);
            ops.setValue(op);
        });
        robot.clickOn("#filterValue").write(value);
        robot.clickOn("#addFilterButton");
    }

    @Test
    void exportsAFilteredTableToCsvThatMatchesTheRows(FxRobot robot) throws Exception {
        openUsers(robot);
        robot.clickOn("Data");
        filter(robot, "ROLE", Filter.Op.EQUALS, "ADMIN");
        List<String> ids = query("SELECT id FROM users WHERE role = 'ADMIN' ORDER BY id");
        waitFor(() -> column(robot, "ID").equals(ids));
        TableView<List<Object>> g = grid(robot);

        // an unwritable place: clear message, nothing written
        Path missing = exportDir.resolve("no-such-folder").resolve("admins.csv");
        TextField path = robot.lookup("#exportPath").queryAs(TextField.class);
        robot.interact(() -> path.setText(missing.toString()));
        robot.clickOn("#exportButton");
        waitFor(() -> text(robot, "#exportMessage").contains("does not exist"));
        assertThat(Files.exists(missing.getParent())).isFalse();

        Path target = exportDir.resolve("admins.csv");
        robot.interact(() -> path.setText(target.toString()));
        robot.clickOn("#exportButton");
        waitFor(() -> text(robot, "#exportMessage").startsWith("Exported"));
        assertThat(text(robot, "#exportMessage")).isEqualTo("Exported " + ids.size() + " rows to " + target);
        List<List<String>> records = parseCsv(Files.readString(target, StandardCharsets.UTF_8));
        assertThat(records.get(0)).isEqualTo(g.getColumns().stream().map(c -> c.getText()).toList());
        assertThat(records).hasSize(g.getItems().size() + 1);
        for (int r = 0; r < g.getItems().size(); r++) {
            List<String> shown = new ArrayList<>();
            for (Object v : g.getItems().get(r)) {
                shown.add(v == null ? "" : CellFormat.display(v));
            }
            assertThat(records.get(r + 1)).as("row %d", r).isEqualTo(shown);
        }
        assertThat(robot.lookup("#exportButton").queryAs(Button.class).isDisabled()).isFalse();
    }

    @Test
    void exportAsksBeforeReplacingAFileAndNeverWritesIntoTheDataFolder(FxRobot robot) throws Exception {
        openUsers(robot);
        robot.clickOn("Data");
        TextField path = robot.lookup("#exportPath").queryAs(TextField.class);
        assertThat(path.getText()).doesNotStartWith(dir.toString());

        // the data folder holds the database: refused before anything runs
        Path database = dir.resolve("console.mv.db");
        robot.interact(() -> path.setText(database.toString()));
        robot.clickOn("#exportButton");
        waitFor(() -> text(robot, "#exportMessage").contains("inside the console's data folder"));
        assertThat(path.getStyleClass()).contains("invalid");

        // an existing file: the operator is asked; Cancel keeps it, Replace replaces it
        Path existing = java.nio.file.Files.writeString(exportDir.resolve("existing.csv"), "keep me");
        robot.interact(() -> path.setText(existing.toString()));
        robot.clickOn("#exportButton");
        waitFor(() -> robot.lookup("#confirmDialog").tryQuery().isPresent());
        assertThat(text(robot, "#exportMessage")).isEqualTo(existing + " exists already.");
        robot.clickOn("#confirmCancel");
        waitFor(() -> robot.lookup("#confirmDialog").tryQuery().isEmpty());
        assertThat(java.nio.file.Files.readString(existing)).isEqualTo("keep me");
        robot.clickOn("#exportButton");
        waitFor(() -> robot.lookup("#confirmOk").tryQuery().isPresent());
        robot.clickOn("#confirmOk");
        waitFor(() -> text(robot, "#exportMessage").startsWith("Exported " + USERS + " rows to " + existing));
        assertThat(java.nio.file.Files.readString(existing)).startsWith("ID,");
    }

    @Test
    void copiesCellsAndRowsAndShowsTheFullValueOfALargeText(FxRobot robot) throws Exception {
        waitFor(() -> robot.lookup("NOTES").tryQuery().isPresent());
        robot.clickOn("NOTES");
        waitFor(() -> text(robot, "#tableTitle").equals("Table PUBLIC.NOTES") && grid(robot).getItems().size() == 2);
        robot.clickOn("Data");
        assertThat(cell(robot, 0, "BODY")).startsWith("abcdefghij").endsWith("… (more)").hasSizeLessThan(600);
        robot.clickOn((Node) robot.lookup("#dataGrid .table-cell").match(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
                && "short".equals(c.getText())).query());
        robot.press(KeyCode.CONTROL, KeyCode.C).release(KeyCode.C, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get()).isEqualTo("short\n");
        robot.clickOn("#copyRowsButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get()).isEqualTo("2\tshort\ttiny\n");

        robot.clickOn((Node) robot.lookup("#dataGrid .table-cell").match(n -> n instanceof javafx.scene.control.TableCell<?, ?> c
                && c.getText() != null && c.getText().startsWith("abcdefghij")).query());
        robot.clickOn("#fullValueButton");
        waitFor(() -> robot.lookup("#fullValueText").tryQuery().isPresent());
        String full = robot.lookup("#fullValueText").queryAs(javafx.scene.control.TextArea.class).getText();
        assertThat(full).hasSize(3007).endsWith("THE END");
    }

    /** A strict RFC 4180 reader (CRLF records, quoted fields with doubled quotes). */
    static List<List<String>> parseCsv(String s) {
        List<List<String>> out = new ArrayList<>();
        List<String> rec = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' && f.length() == 0) {
                i++;
                while (true) {
                    char d = s.charAt(i++);
                    if (d == '"') {
                        if (i < s.length() && s.charAt(i) == '"') {
                            f.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        f.append(d);
                    }
                }
            } else if (c == ',') {
                rec.add(f.toString());
                f.setLength(0);
                i++;
            } else if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                rec.add(f.toString());
                f.setLength(0);
                out.add(rec);
                rec = new ArrayList<>();
                i += 2;
            } else {
                f.append(c);
                i++;
            }
        }
        return out;
    }
}
