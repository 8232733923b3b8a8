package org.adminconsole.ui.inspect;

import org.adminconsole.ui.TaskRunner;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.concurrent.Task;
import org.adminconsole.service.inspect.ColumnInfo;
import org.adminconsole.service.inspect.ForeignKey;
import org.adminconsole.service.inspect.IndexInfo;
import org.adminconsole.service.inspect.SchemaNode;
import org.adminconsole.service.inspect.SchemaObject;
import org.adminconsole.service.inspect.SchemaService;
import org.adminconsole.service.inspect.TableDetails;
import org.adminconsole.service.inspect.TableRef;

/**
 * Schema browser: a tree of schemas, tables and views, sequences, triggers and check / unique constraints; for the
 * selected table or view its columns, foreign keys (with a jump to the referenced table), indexes, the estimated row
 * count at once and the exact count on demand, and its DDL from the database's catalog (DDL tab). The included
 * table-data view shows the selected table's rows.
 */
public class SchemaPresenter {

    private final SchemaService schema;
    private final TaskRunner runner;
    private TableDetails details;
    private Task<?> countTask;

    @FXML private TreeView<Object> schemaTree;
    @FXML private Label tableTitle;
    @FXML private Label rowEstimate;
    @FXML private Label exactCount;
    @FXML private Button exactCountButton;
    @FXML private Button cancelCountButton;
    @FXML private TableView<ColumnInfo> columnsTable;
    @FXML private TableColumn<ColumnInfo, String> colName;
    @FXML private TableColumn<ColumnInfo, String> colType;
    @FXML private TableColumn<ColumnInfo, String> colNullable;
    @FXML private TableColumn<ColumnInfo, String> colDefault;
    @FXML private TableColumn<ColumnInfo, String> colKey;
    @FXML private ListView<ForeignKey> foreignKeys;
    @FXML private ListView<IndexInfo> indexes;
    @FXML private TableDataPresenter tableDataController;
    @FXML private javafx.scene.control.TabPane detailTabs;
    @FXML private javafx.scene.control.Tab ddlTab;
    @FXML private javafx.scene.control.TextArea ddlText;

    private final org.adminconsole.service.inspect.InspectTargets targets;
    private final org.adminconsole.service.connections.ProfileConnections profiles;
    @FXML private javafx.scene.layout.VBox targetHolder;

    public SchemaPresenter(SchemaService schema, TaskRunner runner, org.adminconsole.service.inspect.InspectTargets targets,
                           org.adminconsole.service.connections.ProfileConnections profiles) {
        this.schema = schema;
        this.runner = runner;
        this.targets = targets;
        this.profiles = profiles;
    }

    /** Another database is inspected now: its tree, nothing selected, no table shown. */
    private void targetSwitched() {
        schemaTree.setRoot(null);
        tableDataController.clear();
        tableTitle.setText("Pick a table or view in the tree");
        columnsTable.getItems().clear();
        foreignKeys.getItems().clear();
        indexes.getItems().clear();
        ddlText.clear();
        rowEstimate.setText("—");
        exactCount.setText("");
        exactCountButton.setDisable(true);
        refresh();
    }

    @FXML
    private void initialize() {
        colName.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().name()));
        colType.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().displayType()));
        colNullable.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().nullable() ? "yes" : "NOT NULL"));
        colDefault.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().defaultValue() == null ? "" : c.getValue().defaultValue()));
        colKey.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().inPrimaryKey() ? "PK " + c.getValue().pkPosition() : ""));
        schemaTree.setCellFactory(t -> new TreeCell<>() {
            @Override
            protected void updateItem(Object item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item instanceof TableRef r ? r.name()
                        : item instanceof SchemaObject o ? o.label() + (o.kind() == SchemaObject.Kind.CHECK
                        || o.kind() == SchemaObject.Kind.UNIQUE ? " (" + o.kind() + ")" : "") : item.toString());
            }
        });
        schemaTree.getSelectionModel().selectedItemProperty().addListener((o, a, item) -> {
            if (item != null && item.getValue() instanceof TableRef t) {
                select(t);
            } else if (item != null && item.getValue() instanceof SchemaObject obj) {
                showObject(obj);
            }
        });
        foreignKeys.setCellFactory(l -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(ForeignKey fk, boolean empty) {
                super.updateItem(fk, empty);
                setText(empty || fk == null ? null : fk.describe());
            }
        });
        foreignKeys.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                jumpToReferenced();
            }
        });
        indexes.setCellFactory(l -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(IndexInfo ix, boolean empty) {
                super.updateItem(ix, empty);
                setText(empty || ix == null ? null : ix.name() + (ix.unique() ? " (unique)" : "") + ": " + String.join(", ", ix.columns()));
            }
        });
        tableDataController.setOnTableShown(this::dataViewMoved);
        targetHolder.getChildren().add(new org.adminconsole.ui.connections.TargetBar(targets, profiles, runner, "schema").node());
        targets.onSwitch(t -> javafx.application.Platform.runLater(this::targetSwitched));
        refresh();
    }

    @FXML
    void refresh() {
        runner.runLatest("schema.tree", "Reading the schema", schema::schemas, this::showTree,
                m -> tableTitle.setText("Cannot read the schema: " + m));
    }

    private void showTree(List<SchemaNode> nodes) {
        TreeItem<Object> root = new TreeItem<>("Database");
        for (SchemaNode s : nodes) {
            TreeItem<Object> schemaItem = new TreeItem<>(s.name());
            TreeItem<Object> tables = new TreeItem<>("Tables (" + s.tables().size() + ")");
            s.tables().forEach(t -> tables.getChildren().add(new TreeItem<>(t)));
            TreeItem<Object> views = new TreeItem<>("Views (" + s.views().size() + ")");
            s.views().forEach(t -> views.getChildren().add(new TreeItem<>(t)));
            schemaItem.getChildren().add(tables);
            schemaItem.getChildren().add(views);
            group(schemaItem, "Sequences", s.sequences());
            group(schemaItem, "Triggers", s.triggers());
            group(schemaItem, "Check and unique constraints", s.constraints());
            boolean main = !s.tables().isEmpty();
            schemaItem.setExpanded(main);
            tables.setExpanded(main);
            root.getChildren().add(schemaItem);
        }
        schemaTree.setRoot(root);
    }

    /** A collapsed group of catalog objects under a schema (left out when there are none). */
    private static void group(TreeItem<Object> schemaItem, String title, List<SchemaObject> objects) {
        if (!objects.isEmpty()) {
            TreeItem<Object> g = new TreeItem<>(title + " (" + objects.size() + ")");
            objects.forEach(o -> g.getChildren().add(new TreeItem<>(o)));
            schemaItem.getChildren().add(g);
        }
    }

    /** A sequence, trigger or constraint: its definition from the catalog, on the DDL tab. */
    private void showObject(SchemaObject o) {
        String kind = switch (o.kind()) {
            case SEQUENCE -> "Sequence";
            case TRIGGER -> "Trigger";
            case CHECK -> "Check constraint";
            case UNIQUE -> "Unique constraint";
        };
        String where = o.schema() + "." + (o.table() == null ? "" : o.table() + ".") + o.name();
        tableTitle.setText(kind + " " + where);
        ddlText.setText(switch (o.kind()) {
            case SEQUENCE -> "CREATE SEQUENCE " + where + " " + o.definition() + ";";
            case TRIGGER -> o.definition().regionMatches(true, 0, "CREATE", 0, 6) ? o.definition() + ";"
                    : "CREATE TRIGGER " + o.name() + " " + o.definition() + ";";
            case CHECK, UNIQUE -> "ALTER TABLE " + o.schema() + "." + o.table() + " ADD CONSTRAINT " + o.name() + " "
                    + o.definition() + ";";
        });
        detailTabs.getSelectionModel().select(ddlTab);
    }

    private void select(TableRef t) {
        cancelCount();
        runner.runLatest("schema.details", "Reading " + t.displayName(), () -> schema.details(t), this::show,
                m -> tableTitle.setText(m));
    }

    private void show(TableDetails d) {
        showStructure(d);
        tableDataController.open(d);
    }

    /** The data view moved to another table (a foreign key, Referenced by, Back / Forward): show its structure too. */
    private void dataViewMoved(TableDetails d) {
        if (details == null || !details.table().equals(d.table())) {
            showStructure(d);
        }
    }

    /** Columns, keys, indexes, counts and DDL of a table. */
    private void showStructure(TableDetails d) {
        cancelCount();
        details = d;
        tableTitle.setText((d.table().isView() ? "View " : "Table ") + d.table().displayName());
        rowEstimate.setText(d.rowEstimate() < 0 ? "unknown" : String.format("about %,d", d.rowEstimate()));
        exactCount.setText("");
        exactCountButton.setDisable(false);
        columnsTable.getItems().setAll(d.columns());
        foreignKeys.getItems().setAll(d.foreignKeys());
        indexes.getItems().setAll(d.indexes());
        ddlText.setText("Reading the definition…");
        runner.runLatest("schema.ddl", "Reading the definition of " + d.table().displayName(), () -> schema.ddl(d),
                ddlText::setText, m -> ddlText.setText("Cannot read the definition: " + m));
    }

    @FXML
    void countExactly() {
        if (details == null) {
            return;
        }
        exactCountButton.setDisable(true);
        cancelCountButton.setDisable(false);
        exactCount.setText("Counting…");
        TableRef t = details.table();
        Task<?>[] self = new Task<?>[1];
        self[0] = runner.job("Counting rows of " + t.displayName(), () -> schema.exactCount(t))
                .onSuccess(n -> countDone(self[0], String.format("exactly %,d", n)))
                .onFailure(m -> countDone(self[0], m))
                .onCancelled(() -> countDone(self[0], "count cancelled"))
                .start();
        countTask = self[0];
    }

    private void countDone(Task<?> task, String text) {
        if (countTask == task) {
            countTask = null;
            exactCount.setText(text);
            exactCountButton.setDisable(false);
            cancelCountButton.setDisable(true);
        }
    }

    @FXML
    void cancelCount() {
        if (countTask != null) {
            countTask.cancel();
            countDone(countTask, "count cancelled");
        }
    }

    @FXML
    void jumpToReferenced() {
        ForeignKey fk = foreignKeys.getSelectionModel().getSelectedItem();
        if (fk == null && !foreignKeys.getItems().isEmpty()) {
            fk = foreignKeys.getItems().get(0);
        }
        if (fk == null || schemaTree.getRoot() == null) {
            return;
        }
        TableRef target = fk.referenced();
        for (TreeItem<Object> s : schemaTree.getRoot().getChildren()) {
            for (TreeItem<Object> group : s.getChildren()) {
                for (TreeItem<Object> leaf : group.getChildren()) {
                    if (leaf.getValue() instanceof TableRef r && r.sameObject(target.schema(), target.name())) {
                        s.setExpanded(true);
                        group.setExpanded(true);
                        schemaTree.getSelectionModel().select(leaf);
                        schemaTree.scrollTo(schemaTree.getRow(leaf));
                        return;
                    }
                }
            }
        }
    }
}
