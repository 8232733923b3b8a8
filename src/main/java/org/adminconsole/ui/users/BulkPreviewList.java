package org.adminconsole.ui.users;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.adminconsole.service.users.BulkAction;
import org.adminconsole.service.users.UserBulk;
import org.adminconsole.ui.TaskRunner;

/**
 * The users a bulk action would change, listed in its confirmation page by page ({@value #PAGE} at a time, in id
 * order) with the change of each ("active: yes → no"): what the dry run counted, named. Pages load in the
 * background; Previous walks back over the pages seen. FX thread only.
 */
final class BulkPreviewList {

    static final int PAGE = 50;

    private final UserBulk bulk;
    private final TaskRunner runner;
    private final BulkAction action;
    private final long count;
    private final TableView<UserBulk.Change> table = new TableView<>();
    private final Label range = new Label();
    private final Button previous = new Button("◀ Previous");
    private final Button next = new Button("Next ▶");
    private final VBox node;
    /** The "after id" of every page before the one shown (null: the first page). */
    private final List<Long> before = new ArrayList<>();
    private Long shownAfter;
    private long firstIndex = 1;
    private UserBulk.Preview shown;

    BulkPreviewList(UserBulk bulk, TaskRunner runner, BulkAction action, long count) {
        this.bulk = bulk;
        this.runner = runner;
        this.action = action;
        this.count = count;
        table.setId("bulkPreviewTable");
        table.getColumns().add(column("Email", UserBulk.Change::email, 220));
        table.getColumns().add(column("Username", UserBulk.Change::username, 120));
        table.getColumns().add(column("Field", UserBulk.Change::field, 90));
        table.getColumns().add(column("Now", UserBulk.Change::before, 130));
        table.getColumns().add(column("After", UserBulk.Change::after, 130));
        table.setPrefHeight(260);
        table.setPrefWidth(720);
        range.setId("bulkPreviewRange");
        previous.setId("bulkPreviewPrevious");
        next.setId("bulkPreviewNext");
        previous.setDisable(true);
        next.setDisable(true);
        previous.setOnAction(e -> {
            if (!before.isEmpty()) {
                Long after = before.remove(before.size() - 1);
                firstIndex = Math.max(1, firstIndex - PAGE);
                load(after, () -> { });
            }
        });
        next.setOnAction(e -> {
            if (shown != null && shown.more() && !shown.changes().isEmpty()) {
                before.add(shownAfter);
                firstIndex += shown.changes().size();
                load(shown.changes().get(shown.changes().size() - 1).id(), () -> { });
            }
        });
        node = new VBox(6, table, new HBox(8, previous, next, range));
    }

    private static TableColumn<UserBulk.Change, String> column(String title, Function<UserBulk.Change, String> value, double width) {
        TableColumn<UserBulk.Change, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }

    VBox node() {
        return node;
    }

    /** Loads the first page, then calls {@code ready} (to show the dialog with the list filled); a failure says so in the list. */
    void start(Runnable ready) {
        load(null, ready);
    }

    private void load(Long after, Runnable ready) {
        previous.setDisable(true);
        next.setDisable(true);
        runner.job("Listing the users the bulk action changes", () -> bulk.preview(action, after, PAGE)).quiet()
                .onSuccess(p -> {
                    shown = p;
                    shownAfter = after;
                    table.getItems().setAll(p.changes());
                    long last = firstIndex + p.changes().size() - 1;
                    range.setText(p.changes().isEmpty() ? "No user left to change (changed meanwhile)."
                            : String.format("Users %,d–%,d of %,d", firstIndex, last, Math.max(count, last)));
                    previous.setDisable(before.isEmpty());
                    next.setDisable(!p.more());
                    ready.run();
                })
                .onFailure(m -> {
                    range.setText("The users could not be listed: " + m);
                    ready.run();
                })
                .start();
    }
}
