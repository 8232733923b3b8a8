package org.adminconsole.ui.inspect;

import static org.adminconsole.testing.DataGridLookups.cellNode;
import static org.adminconsole.testing.DataGridLookups.chips;
import static org.adminconsole.testing.DataGridLookups.column;
import static org.adminconsole.testing.DataGridLookups.grid;
import static org.adminconsole.testing.FxTesting.onFx;
import static org.adminconsole.testing.FxTesting.text;
import static org.adminconsole.testing.FxTesting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.adminconsole.AppContext;
import org.adminconsole.service.inspect.CellFormat;
import org.adminconsole.service.inspect.Filter;
import org.adminconsole.service.inspect.TableDataService;
import org.adminconsole.testing.TestDatabases;
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
 * Data grid parity and schema depth, driven like an operator on a real H2 database: last page and "page N of M"
 * (exact and estimated), jump to a page, the added filter operators with removable chips, NULL / 'NULL' / empty
 * told apart, foreign-key values that open the referenced row with Back / Forward, "Referenced by" counts, and
 * sequences, triggers, constraints and DDL in the schema view.
 */
@ExtendWith(ApplicationExtension.class)
class GridParityFxTest {

    private static Path dir;
    private static AppContext ctx;

    @BeforeAll
    static void openDatabase() throws Exception {
        dir = TestDatabases.tempDir("grid-parity-fx");
        ctx = AppContext.start(TestDatabases.h2(dir));
        try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE numbers (id INT PRIMARY KEY, n INT NOT NULL, label VARCHAR(20))");
            st.execute("INSERT INTO numbers SELECT X, X * 2, 'n' || X FROM SYSTEM_RANGE(1, 1234)");
            st.execute("CREATE TABLE texts (id INT PRIMARY KEY, val VARCHAR(20))");
            st.execute("INSERT INTO texts VALUES (1, NULL), (2, 'NULL'), (3, '')");
            st.execute("CREATE TABLE authors (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
            st.execute("INSERT INTO authors VALUES (1, 'Ann'), (2, 'Bob'), (3, 'Cy')");
            st.execute("CREATE TABLE books (id INT PRIMARY KEY, title VARCHAR(40), author_id INT REFERENCES authors (id))");
            st.execute("INSERT INTO books VALUES (10, 'One', 1), (11, 'Two', 2), (12, 'Three', 2), (13, 'Orphan', NULL)");
            st.execute("CREATE SEQUENCE invoice_numbers START WITH 1000 INCREMENT BY 5");
            st.execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY, code VARCHAR(20) NOT NULL, amount NUMERIC(12,2) DEFAULT 0,"
                    + " CONSTRAINT ck_invoice_amount CHECK (amount >= 0), CONSTRAINT uq_invoice_code UNIQUE (code))");
            st.execute("CREATE VIEW big_invoices AS SELECT id, code FROM invoices WHERE amount > 100");
            st.execute("CREATE TRIGGER tr_invoice_audit BEFORE INSERT ON invoices FOR EACH ROW CALL"
                    + " 'org.adminconsole.service.inspect.NoopTrigger'");
        }
    }

    @AfterAll
    static void closeDatabase() {
        ctx.close();
    }

    @Start
    void start(Stage stage) {
        TaskRunner runner = new TaskRunner(2);
        // exact page totals up to 1,000 rows here, so that NUMBERS (1,234 rows) shows the estimate
        TableDataService data = new TableDataService(ctx.database().transactions(), 1000);
        ViewLoader.View<SchemaPresenter> view = new ViewLoader(ctx.components()).with(TaskRunner.class, runner)
                .with(TableDataService.class, data).load("inspect/Schema.fxml");
        Scene scene = new Scene(view.root(), 1300, 850);
        scene.getStylesheets().add(getClass().getResource("/fxml/console.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }






    private void openTable(FxRobot robot, String name, int rows) throws Exception {
        waitFor(() -> robot.lookup(name).tryQuery().isPresent());
        robot.clickOn(name);
        waitFor(() -> text(robot, "#tableTitle").equals("Table PUBLIC." + name) && grid(robot).getItems().size() == rows);
        robot.clickOn("Data");
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
        TextField field = robot.lookup("#filterValue").queryAs(TextField.class);
        robot.interact(field::clear);
        robot.clickOn(field).write(value);
        robot.clickOn("#addFilterButton");
    }

    private static List<String> range(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(String.valueOf(i));
        }
        return out;
    }

    @Test
    void pagesToTheLastPageAndJumpsWithExactAndEstimatedTotals(FxRobot robot) throws Exception {
        openTable(robot, "NUMBERS", 50);
        // 1,234 rows is above this view's exact-count limit: the total is the estimate, and says so
        waitFor(() -> text(robot, "#pageLabel").equals("Page 1 of ~25 · rows 1–50 (estimated from the database's statistics)"));
        robot.clickOn("#lastPageButton");
        waitFor(() -> text(robot, "#pageLabel").startsWith("Page ~25 of ~25 · rows ~1,185–~1,234"));
        assertThat(column(robot, "ID")).isEqualTo(range(1185, 1234));
        assertThat(robot.lookup("#nextPageButton").query().isDisabled()).isTrue();
        robot.clickOn("#prevPageButton");
        waitFor(() -> text(robot, "#pageLabel").startsWith("Page ~24 of ~25"));
        assertThat(column(robot, "ID")).isEqualTo(range(1135, 1184));

        // jump to page 10: exact again (read from the start)
        robot.clickOn("#pageJump").write("10").type(KeyCode.ENTER);
        waitFor(() -> text(robot, "#pageLabel").startsWith("Page 10 of ~25 · rows 451–500"));
        assertThat(column(robot, "ID")).isEqualTo(range(451, 500));
        robot.clickOn("#nextPageButton");
        waitFor(() -> text(robot, "#pageLabel").startsWith("Page 11 of ~25 · rows 501–550"));

        // filtered: an exact total; Last holds the remainder rows
        filter(robot, "N", Filter.Op.BETWEEN, "2 and 330");
        waitFor(() -> text(robot, "#pageLabel").equals("Page 1 of 4 · rows 1–50"));
        robot.clickOn("#lastPageButton");
        waitFor(() -> text(robot, "#pageLabel").equals("Page 4 of 4 · rows 151–165"));
        assertThat(column(robot, "ID")).isEqualTo(range(151, 165));
        TextField jump = robot.lookup("#pageJump").queryAs(TextField.class);
        robot.interact(jump::clear);
        robot.clickOn(jump).write("2").type(KeyCode.ENTER);
        waitFor(() -> text(robot, "#pageLabel").equals("Page 2 of 4 · rows 51–100"));
        assertThat(column(robot, "ID")).isEqualTo(range(51, 100));
        // a page that is not a number: said at the field, nothing loaded
        robot.interact(jump::clear);
        robot.clickOn(jump).write("x").type(KeyCode.ENTER);
        waitFor(() -> text(robot, "#pageLabel").equals("Type a page number (1 or more), then Enter."));
        assertThat(jump.getStyleClass()).contains("invalid");
        assertThat(column(robot, "ID")).isEqualTo(range(51, 100));
    }

    @Test
    void filtersWithTheNewOperatorsAreRemovedOneByOneOrAllAtOnce(FxRobot robot) throws Exception {
        openTable(robot, "NUMBERS", 50);
        filter(robot, "ID", Filter.Op.IN, "3, 5, 8, 900");
        waitFor(() -> column(robot, "ID").equals(List.of("3", "5", "8", "900")));
        filter(robot, "ID", Filter.Op.BETWEEN, "5 and 100");
        waitFor(() -> column(robot, "ID").equals(List.of("5", "8")));
        assertThat(chips(robot)).containsExactly("ID in (3, 5, 8, 900)", "ID between '5 and 100'");

        // remove the first filter by its ×: the BETWEEN alone remains
        robot.clickOn("#removeFilter0");
        waitFor(() -> column(robot, "ID").equals(range(5, 54)));
        assertThat(chips(robot)).containsExactly("ID between '5 and 100'");
        waitFor(() -> text(robot, "#pageLabel").equals("Page 1 of 2 · rows 1–50"));

        // bad input: a specific message at the filter, no query
        int before = ctx.database().sqlMonitor().snapshot().size();
        filter(robot, "N", Filter.Op.BETWEEN, "10");
        waitFor(() -> robot.lookup("#filterError").queryAs(Label.class).isVisible());
        assertThat(text(robot, "#filterError")).isEqualTo(
                "Filter on N: 'between' needs two values, from and to (e.g. 10 and 20); '10' is not two values.");
        filter(robot, "ID", Filter.Op.IN, "1, two");
        waitFor(() -> text(robot, "#filterError").equals("Filter on ID: value 2 of the list: 'two' is not a whole number."));
        assertThat(ctx.database().sqlMonitor().snapshot().size()).isEqualTo(before);
        assertThat(chips(robot)).containsExactly("ID between '5 and 100'");

        // clear all, then "starts with" (wildcards literal, case as typed)
        robot.clickOn("#clearFiltersButton");
        waitFor(() -> chips(robot).isEmpty() && grid(robot).getItems().size() == 50 && column(robot, "ID").get(0).equals("1"));
        filter(robot, "LABEL", Filter.Op.STARTS_WITH, "n12");
        waitFor(() -> text(robot, "#pageLabel").equals("Page 1 of 1 · rows 1–46"));
        assertThat(column(robot, "LABEL")).allMatch(s -> s.startsWith("n12")).hasSize(46);
        filter(robot, "LABEL", Filter.Op.NOT_EQUALS, "n12");
        waitFor(() -> grid(robot).getItems().size() == 45);
        assertThat(column(robot, "LABEL")).doesNotContain("n12");
    }

    @Test
    void tellsNullFromTheTextNullAndFromAnEmptyText(FxRobot robot) throws Exception {
        openTable(robot, "TEXTS", 3);
        TableCell<?, ?> nullCell = cellNode(robot, 0, "VAL");
        TableCell<?, ?> nullText = cellNode(robot, 1, "VAL");
        TableCell<?, ?> empty = cellNode(robot, 2, "VAL");
        assertThat(nullCell.getText()).isEqualTo("NULL");
        assertThat(nullCell.getStyleClass()).contains("null-cell").doesNotContain("empty-cell");
        assertThat(nullText.getText()).isEqualTo("NULL");
        assertThat(nullText.getStyleClass()).doesNotContain("null-cell", "empty-cell");
        assertThat(empty.getText()).isEqualTo("(empty)");
        assertThat(empty.getStyleClass()).contains("empty-cell").doesNotContain("null-cell");
        // shown differently, too: the NULL marker is italic, the text is not
        assertThat(onFx(() -> nullCell.getFont().getStyle())).containsIgnoringCase("italic");
        assertThat(onFx(() -> nullText.getFont().getStyle())).doesNotContainIgnoringCase("italic");
    }

    @Test
    void aForeignKeyValueOpensTheReferencedRowAndBackAndForwardWalkTheWay(FxRobot robot) throws Exception {
        openTable(robot, "BOOKS", 4);
        TableCell<?, ?> bob = cellNode(robot, 1, "AUTHOR_ID");
        assertThat(bob.getText()).isEqualTo("2");
        assertThat(bob.getStyleClass()).contains("fk-link");
        assertThat(cellNode(robot, 3, "AUTHOR_ID").getStyleClass()).contains("null-cell").doesNotContain("fk-link");
        assertThat(robot.lookup("#backButton").query().isDisabled()).isTrue();

        robot.doubleClickOn(bob);
        waitFor(() -> text(robot, "#dataTableName").equals("PUBLIC.AUTHORS") && column(robot, "NAME").equals(List.of("Bob")));
        assertThat(chips(robot)).containsExactly("ID = '2'");
        assertThat(column(robot, "ID")).containsExactly("2");
        // the structure follows the data view
        waitFor(() -> text(robot, "#tableTitle").equals("Table PUBLIC.AUTHORS"));

        // Referenced by: the selected author's books, counted; a click opens them
        robot.clickOn(cellNode(robot, 0, "NAME"));
        @SuppressWarnings("unchecked")
        ListView<Object> refs = robot.lookup("#referencedBy").queryAs(ListView.class);
        waitFor(() -> refs.getItems().size() == 1);
        waitFor(() -> robot.lookup("#referencedBy .list-cell").match(n -> "PUBLIC.BOOKS.AUTHOR_ID: 2 rows"
                .equals(((javafx.scene.control.ListCell<?>) n).getText())).tryQuery().isPresent());
        robot.clickOn("PUBLIC.BOOKS.AUTHOR_ID: 2 rows");
        waitFor(() -> text(robot, "#dataTableName").equals("PUBLIC.BOOKS") && column(robot, "TITLE").equals(List.of("Two", "Three")));
        assertThat(chips(robot)).containsExactly("AUTHOR_ID = '2'");

        // Back: the author; Back: all books; Forward: the author again
        robot.clickOn("#backButton");
        waitFor(() -> text(robot, "#dataTableName").equals("PUBLIC.AUTHORS") && column(robot, "NAME").equals(List.of("Bob")));
        robot.clickOn("#backButton");
        waitFor(() -> text(robot, "#dataTableName").equals("PUBLIC.BOOKS") && grid(robot).getItems().size() == 4);
        assertThat(chips(robot)).isEmpty();
        assertThat(text(robot, "#tableTitle")).isEqualTo("Table PUBLIC.BOOKS");
        assertThat(robot.lookup("#backButton").query().isDisabled()).isTrue();
        robot.clickOn("#forwardButton");
        waitFor(() -> text(robot, "#dataTableName").equals("PUBLIC.AUTHORS") && column(robot, "NAME").equals(List.of("Bob")));
        assertThat(robot.lookup("#forwardButton").query().isDisabled()).isFalse();
    }

    @Test
    void backRestoresTheSortOfTheTableLeft(FxRobot robot) throws Exception {
        openTable(robot, "BOOKS", 4);
        Node header = robot.lookup("#dataGrid .column-header").match(n -> n instanceof javafx.scene.control.skin.TableColumnHeader h
                && h.getTableColumn() != null && "TITLE".equals(h.getTableColumn().getText())).query();
        robot.clickOn(header);
        List<String> sorted = List.of("One", "Orphan", "Three", "Two");
        waitFor(() -> column(robot, "TITLE").equals(sorted));
        robot.doubleClickOn(cellNode(robot, 3, "AUTHOR_ID"));
        waitFor(() -> text(robot, "#dataTableName").equals("PUBLIC.AUTHORS") && column(robot, "NAME").equals(List.of("Bob")));
        robot.clickOn("#backButton");
        waitFor(() -> text(robot, "#dataTableName").equals("PUBLIC.BOOKS") && grid(robot).getItems().size() == 4);
        assertThat(column(robot, "TITLE")).isEqualTo(sorted);
    }

    @Test
    void showsSequencesTriggersConstraintsAndTheDdlOfATableAndAView(FxRobot robot) throws Exception {
        waitFor(() -> robot.lookup("INVOICES").tryQuery().isPresent());
        @SuppressWarnings("unchecked")
        TreeView<Object> tree = robot.lookup("#schemaTree").queryAs(TreeView.class);
        // the groups are collapsed at first: expand the public schema's sequences, triggers and constraints
        robot.interact(() -> expandAll(tree.getRoot()));
        for (String item : List.of("INVOICE_NUMBERS", "INVOICES.TR_INVOICE_AUDIT", "INVOICES.CK_INVOICE_AMOUNT (check)",
                "INVOICES.UQ_INVOICE_CODE (unique)")) {
            treeItem(robot, tree, item);
        }
        TextArea ddl = robot.lookup("#ddlText").queryAs(TextArea.class);
        robot.clickOn(treeItem(robot, tree, "INVOICES.CK_INVOICE_AMOUNT (check)"));
        waitFor(() -> ddl.getText().startsWith("ALTER TABLE PUBLIC.INVOICES ADD CONSTRAINT CK_INVOICE_AMOUNT CHECK ("));
        robot.clickOn(treeItem(robot, tree, "INVOICES.TR_INVOICE_AUDIT"));
        waitFor(() -> ddl.getText().startsWith("CREATE TRIGGER TR_INVOICE_AUDIT BEFORE INSERT"));
        robot.clickOn(treeItem(robot, tree, "INVOICE_NUMBERS"));
        waitFor(() -> ddl.getText().equals("CREATE SEQUENCE PUBLIC.INVOICE_NUMBERS START WITH 1000 INCREMENT BY 5;"));

        robot.clickOn(treeItem(robot, tree, "INVOICES"));
        waitFor(() -> ddl.getText().startsWith("CREATE TABLE \"PUBLIC\".\"INVOICES\" ("));
        assertThat(ddl.getText()).contains("\"CODE\" CHARACTER VARYING(20) NOT NULL").contains("PRIMARY KEY (\"ID\")")
                .contains("CONSTRAINT \"UQ_INVOICE_CODE\" UNIQUE (\"CODE\")").contains("CONSTRAINT \"CK_INVOICE_AMOUNT\" CHECK (")
                .contains("CREATE TRIGGER \"TR_INVOICE_AUDIT\" BEFORE INSERT");
        robot.clickOn("DDL");
        robot.clickOn(treeItem(robot, tree, "BIG_INVOICES"));
        waitFor(() -> ddl.getText().startsWith("CREATE VIEW \"PUBLIC\".\"BIG_INVOICES\" AS"));
        assertThat(ddl.getText()).contains("FROM \"PUBLIC\".\"INVOICES\"").contains("WHERE \"AMOUNT\" >");
    }

    /** The tree cell showing {@code text}, scrolled into view (the expanded tree is longer than the window). */
    private static Node treeItem(FxRobot robot, TreeView<Object> tree, String text) throws Exception {
        robot.interact(() -> {
            for (int i = 0; i < tree.getExpandedItemCount(); i++) {
                TreeItem<Object> it = tree.getTreeItem(i);
                Object v = it.getValue();
                String shown = v instanceof org.adminconsole.service.inspect.TableRef r ? r.name()
                        : v instanceof org.adminconsole.service.inspect.SchemaObject o ? o.label()
                        + (o.kind().ordinal() >= 2 ? " (" + o.kind() + ")" : "") : String.valueOf(v);
                if (shown.equals(text)) {
                    tree.scrollTo(Math.max(0, i - 3));
                    return;
                }
            }
        });
        waitFor(() -> robot.lookup("#schemaTree .tree-cell").match(n -> text.equals(((javafx.scene.control.TreeCell<?>) n).getText()))
                .tryQuery().isPresent());
        return robot.lookup("#schemaTree .tree-cell").match(n -> text.equals(((javafx.scene.control.TreeCell<?>) n).getText())).query();
    }

    private static void expandAll(TreeItem<Object> item) {
        item.setExpanded(true);
        item.getChildren().forEach(GridParityFxTest::expandAll);
    }
}
