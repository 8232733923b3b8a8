package org.adminconsole.ui.activity;

import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.adminconsole.service.DataChanges;
import org.adminconsole.service.audit.Activity;
import org.adminconsole.service.audit.ActivityEntry;
import org.adminconsole.service.audit.ActivityFilter;
import org.adminconsole.service.audit.ActivityPage;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.ui.FollowData;
import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import org.adminconsole.ui.users.HistoryPresenter;

/**
 * Recent changes across all users and operators, newest first, one page at a time (keyset on the entry number),
 * filtered by operator, table and time range; changes written outside the console are marked "external". A double
 * click (or "User history…") opens that user's History. Wrong filter input is reported next to its field and runs no
 * query. The first page follows new audit rows (this console's and others').
 */
public class ActivityPresenter {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String ALL = "all tables";

    private final Activity activity;
    private final TaskRunner runner;
    private final ViewLoader loader;
    private final UserEditing editing;
    private final DataChanges changes;
    private ActivityFilter filter = ActivityFilter.none();
    private Long before;
    private Long next;

    @FXML private BorderPane root;
    @FXML private TextField operatorField;
    @FXML private ChoiceBox<String> tableChoice;
    @FXML private TextField fromField;
    @FXML private TextField toField;
    @FXML private Label operatorError;
    @FXML private Label tableError;
    @FXML private Label fromError;
    @FXML private Label toError;
    @FXML private TableView<ActivityEntry> table;
    @FXML private TableColumn<ActivityEntry, String> noColumn;
    @FXML private TableColumn<ActivityEntry, String> timeColumn;
    @FXML private TableColumn<ActivityEntry, String> operatorColumn;
    @FXML private TableColumn<ActivityEntry, String> sourceColumn;
    @FXML private TableColumn<ActivityEntry, String> tableColumn;
    @FXML private TableColumn<ActivityEntry, String> entityColumn;
    @FXML private TableColumn<ActivityEntry, String> operationColumn;
    @FXML private TableColumn<ActivityEntry, String> actionColumn;
    @FXML private TableColumn<ActivityEntry, String> changesColumn;
    @FXML private Button historyButton;
    @FXML private Button moreButton;
    @FXML private Label message;

    public ActivityPresenter(Activity activity, TaskRunner runner, ViewLoader loader, UserEditing editing, DataChanges changes) {
        this.activity = activity;
        this.runner = runner;
        this.loader = loader;
        this.editing = editing;
        this.changes = changes;
    }

    @FXML
    private void initialize() {
        tableChoice.getItems().setAll(ALL, "users", "departments", "user_departments");
        tableChoice.setValue(ALL);
        column(noColumn, e -> "#" + e.no());
        column(timeColumn, e -> e.at() == null ? "" : TIME.format(e.at()));
        column(operatorColumn, ActivityEntry::operator);
        column(sourceColumn, e -> e.external() ? "external" : "console");
        column(tableColumn, ActivityEntry::table);
        column(entityColumn, e -> e.entityType() + " " + e.entityId());
        column(operationColumn, ActivityEntry::operation);
        column(actionColumn, ActivityEntry::action);
        column(changesColumn, ActivityEntry::summary);
        table.setRowFactory(t -> {
            TableRow<ActivityEntry> row = new TableRow<>() {
                @Override
                protected void updateItem(ActivityEntry item, boolean empty) {
                    super.updateItem(item, empty);
                    getStyleClass().remove("activity-external");
                    if (!empty && item != null && item.external()) {
                        getStyleClass().add("activity-external");
                    }
                }
            };
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openHistory(row.getItem());
                }
            });
            return row;
        });
        var selected = table.getSelectionModel().selectedItemProperty();
        historyButton.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> selected.get() == null || !selected.get().isUser(), selected));
        moreButton.setDisable(true);
        FollowData.tables(changes, root, Set.of("audit_log"), java.time.Duration.ofSeconds(1), () -> {
            if (before == null) {
                load(null);
            }
        });
        load(null);
    }

    private static void column(TableColumn<ActivityEntry, String> c, Function<ActivityEntry, String> f) {
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
    }

    /** Reads the filter fields; wrong input is shown next to its field and nothing is queried. */
    @FXML
    void apply() {
        String tableValue = ALL.equals(tableChoice.getValue()) ? null : tableChoice.getValue();
        ActivityFilter.Parsed parsed = ActivityFilter.parse(operatorField.getText(), tableValue, fromField.getText(), toField.getText());
        Map<String, String> errors = parsed instanceof ActivityFilter.Invalid i ? i.errors() : Map.of();
        show(operatorError, operatorField, errors.get("operator"));
        show(tableError, null, errors.get("table"));
        show(fromError, fromField, errors.get("from"));
        show(toError, toField, errors.get("to"));
        if (parsed instanceof ActivityFilter.Valid v) {
            filter = v.filter();
            load(null);
        } else {
            message.setText("Fix the marked filter fields; nothing was searched.");
        }
    }

    private static void show(Label error, TextField field, String text) {
        error.setText(text == null ? "" : text);
        if (field != null) {
            field.getStyleClass().remove("field-invalid");
            if (text != null) {
                field.getStyleClass().add("field-invalid");
            }
        }
    }

    @FXML
    void refresh() {
        load(null);
    }

    @FXML
    void more() {
        if (next != null) {
            load(next);
        }
    }

    private void load(Long from) {
        ActivityFilter f = filter;
        message.setText("Loading…");
        runner.runLatest("activity", "Loading activity", () -> activity.page(f, from, Activity.PAGE), (ActivityPage page) -> {
            before = from;
            next = page.nextBefore();
            table.getItems().setAll(page.entries());
            moreButton.setDisable(next == null);
            long external = page.entries().stream().filter(ActivityEntry::external).count();
            message.setText(org.adminconsole.support.Counts.of(page.entries().size(), "change", "changes")
                    + (from == null ? " (newest)" : " (older than #" + from + ")")
                    + (external > 0 ? ", " + external + " external" : "") + (next != null ? "; more with Older" : ""));
        }, m -> message.setText("Activity could not be loaded: " + m));
    }

    @FXML
    void openHistory() {
        ActivityEntry e = table.getSelectionModel().getSelectedItem();
        if (e != null) {
            openHistory(e);
        }
    }

    private void openHistory(ActivityEntry e) {
        if (!e.isUser()) {
            message.setText("#" + e.no() + " is a change of " + e.table() + ", not of a user.");
            return;
        }
        runner.run("Opening user", () -> editing.open(e.entityId()), found -> {
            if (found.isEmpty()) {
                message.setText("User " + e.entityId() + " no longer exists.");
                return;
            }
            ViewLoader.View<HistoryPresenter> v = loader.load("users/History.fxml");
            v.presenter().show(found.get().user());
            Stage stage = new Stage();
            if (root.getScene() != null) {
                stage.initOwner(root.getScene().getWindow());
            }
            Scene scene = new Scene(v.root());
            scene.getStylesheets().add(ActivityPresenter.class.getResource("/fxml/console.css").toExternalForm());
            stage.setScene(scene);
            stage.setTitle("History of " + found.get().user().email());
            stage.show();
        }, m -> message.setText("User could not be opened: " + m));
    }
}
