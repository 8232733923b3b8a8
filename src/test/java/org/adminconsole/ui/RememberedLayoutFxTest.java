package org.adminconsole.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The remembered layout driven like an operator: widen a column, reorder columns, type a filter,
 * pick a tab; close; open again: it is all back, for that operator only; Reset layout puts the defaults back.
 */
@ExtendWith(ApplicationExtension.class)
class RememberedLayoutFxTest {

    @TempDir Path dir;
    private Stage stage;

    @AfterEach
    void close() throws Exception {
        if (stage != null) {
            WaitForAsyncUtils.asyncFx(() -> stage.hide()).get(10, TimeUnit.SECONDS);
        }
    }

    private static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A view as the console's are made: ids on what is remembered, the filter fields marked. */
    private static Node view() {
        TableView<String> table = new TableView<>();
        table.setId("usersTable");
        for (String id : List.of("email", "username", "role")) {
            TableColumn<String, String> c = new TableColumn<>(id);
            c.setId(id + "Column");
            c.setPrefWidth(100);
            table.getColumns().add(c);
        }
        TextField search = new TextField();
        search.setId("searchField");
        search.getStyleClass().add(RememberedLayout.REMEMBERED);
        ComboBox<String> role = new ComboBox<>();
        role.getItems().setAll("any role", "ADMIN", "OPERATOR");
        role.setValue("any role");
        role.setId("roleFilter");
        role.getStyleClass().add(RememberedLayout.REMEMBERED);
        VBox list = new VBox(search, role, table);
        list.setMinWidth(50);
        Label editor = new Label("editor");
        editor.setMinWidth(50);
        editor.setMaxWidth(Double.MAX_VALUE); // a Label's maximum is its preferred width: the split could not give it more
        SplitPane split = new SplitPane(list, editor);
        split.setId("usersSplit");
        split.setDividerPositions(0.7);
        TabPane tabs = new TabPane(tab("dashboardTab", new Label("dashboard")), tab("usersTab", split), tab("sqlTab", new Label("sql")));
        tabs.setId("mainTabs");
        return tabs;
    }

    private static Tab tab(String id, Node content) {
        Tab t = new Tab(id, content);
        t.setId(id);
        return t;
    }

    private RememberedLayout open(String operator) {
        return fx(() -> {
            RememberedLayout layout = RememberedLayout.of(dir, operator);
            Node root = view();
            stage = new Stage();
            stage.setScene(new Scene((javafx.scene.Parent) root, 900, 600));
            layout.remember("main", root);
            layout.stage("window", stage);
            stage.show();
            return layout;
        });
    }

    private List<String> columnIds(FxRobot robot) {
        return fx(() -> robot.lookup("#usersTable").queryAs(TableView.class).getColumns().stream()
                .map(c -> ((TableColumn<?, ?>) c).getId()).toList());
    }

    private double divider(FxRobot robot) {
        return fx(() -> robot.lookup("#usersSplit").queryAs(SplitPane.class).getDividerPositions()[0]);
    }

    private double emailWidth(FxRobot robot) {
        return fx(() -> ((TableView<?>) robot.lookup("#usersTable").query()).getColumns().stream()
                .filter(c -> "emailColumn".equals(c.getId())).findFirst().orElseThrow().getWidth());
    }

    @Test
    @SuppressWarnings("unchecked")
    void whatTheOperatorArrangedIsBackAfterARestartForThemOnlyAndResetPutsTheDefaultsBack(FxRobot robot) throws Exception {
        RememberedLayout layout = open("alice");
        robot.clickOn("usersTab");
        robot.clickOn("#searchField").write("ali");
        robot.clickOn("#roleFilter").clickOn("ADMIN");
        // reorder: role first (a TableView column drag is what an operator does; the model change is the same)
        fx(() -> {
            TableView<?> t = robot.lookup("#usersTable").queryAs(TableView.class);
            var role = t.getColumns().remove(2);
            ((TableView<Object>) t).getColumns().add(0, (TableColumn<Object, ?>) role);
            ((TableColumn<?, ?>) t.getColumns().get(1)).setPrefWidth(240); // email
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> emailWidth(robot) > 200);
        fx(() -> {
            layout.save();
            stage.hide();
            return null;
        });
        assertThat(layout.file()).exists();

        // a restart: everything as alice left it
        RememberedLayout again = open("alice");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> stage.isShowing()));
        assertThat(fx(() -> robot.lookup("#mainTabs").queryAs(TabPane.class).getSelectionModel().getSelectedItem().getId())).isEqualTo("usersTab");
        assertThat(fx(() -> robot.lookup("#searchField").queryAs(TextField.class).getText())).isEqualTo("ali");
        assertThat(fx(() -> robot.lookup("#roleFilter").queryAs(ComboBox.class).getValue())).isEqualTo("ADMIN");
        assertThat(columnIds(robot)).containsExactly("roleColumn", "emailColumn", "usernameColumn");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> emailWidth(robot) > 230);

        // another operator on the same machine has a layout of their own
        fx(() -> {
            stage.hide();
            return null;
        });
        open("bob");
        assertThat(fx(() -> robot.lookup("#mainTabs").queryAs(TabPane.class).getSelectionModel().getSelectedItem().getId())).isEqualTo("dashboardTab");
        assertThat(columnIds(robot)).containsExactly("emailColumn", "usernameColumn", "roleColumn");
        fx(() -> {
            stage.hide();
            return null;
        });

        // Reset layout: alice's defaults at once, and nothing remembered
        RememberedLayout third = open("alice");
        fx(() -> {
            third.reset();
            return null;
        });
        assertThat(columnIds(robot)).containsExactly("emailColumn", "usernameColumn", "roleColumn");
        assertThat(fx(() -> robot.lookup("#searchField").queryAs(TextField.class).getText())).isEmpty();
        assertThat(fx(() -> robot.lookup("#roleFilter").queryAs(ComboBox.class).getValue())).isEqualTo("any role");
        assertThat(fx(() -> robot.lookup("#mainTabs").queryAs(TabPane.class).getSelectionModel().getSelectedItem().getId())).isEqualTo("dashboardTab");
        assertThat(Files.exists(third.file())).isFalse();
    }

    @Test
    void aDamagedLayoutFileIsIgnoredAndTheDefaultLayoutShows(FxRobot robot) throws Exception {
        Files.writeString(dir.resolve("layout-carol.properties"), "main.usersSplit.dividers=abc\nmain.usersTable.columns=nope:xyz,,\n"
                + "window.bounds=1,2\nmain.mainTabs.selected=noSuchTab\n");
        open("carol");
        assertThat(columnIds(robot)).containsExactly("emailColumn", "usernameColumn", "roleColumn");
        assertThat(fx(() -> robot.lookup("#mainTabs").queryAs(TabPane.class).getSelectionModel().getSelectedItem().getId())).isEqualTo("dashboardTab");
    }

    /**
     * Issue 16: a divider where the operator left it is back after a restart, while the window opens and settles
     * (the pane is in a tab shown only later, and lays out at several sizes), and Reset puts the FXML's back.
     */
    @Test
    void aDividerIsBackAfterARestartAndResetPutsItBack(FxRobot robot) throws Exception {
        RememberedLayout layout = open("carol");
        robot.clickOn("usersTab");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> robot.lookup("#usersSplit .split-pane-divider").tryQuery().isPresent()));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(divider(robot)).as("the FXML's position").isCloseTo(0.7, org.assertj.core.data.Offset.offset(0.01));
        fx(() -> {
            robot.lookup("#usersSplit").queryAs(SplitPane.class).setDividerPositions(0.35); // where a drag leaves it
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        double left = divider(robot);
        fx(() -> {
            layout.save();
            stage.hide();
            return null;
        });

        RememberedLayout again = open("carol");
        robot.clickOn("usersTab");
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Math.abs(divider(robot) - left) < 0.01);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("divider " + divider(robot) + ", saved " + left + ": " + java.nio.file.Files.readString(again.file()), e);
        }
        for (int i = 0; i < 5; i++) {
            WaitForAsyncUtils.waitForFxEvents();
        }
        assertThat(divider(robot)).as("still there once the window has settled").isCloseTo(left, org.assertj.core.data.Offset.offset(0.01));

        fx(() -> {
            again.reset();
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Math.abs(divider(robot) - 0.7) < 0.02);
        fx(() -> {
            stage.hide();
            return null;
        });
    }
}
