package org.adminconsole.ui;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.GridPane;

/**
 * The console's keyboard shortcuts, declared once: the window-wide ones are installed from this table as scene
 * accelerators (they work whatever has the focus), and the Keyboard dialog (F1) lists the same table.
 */
final class Shortcuts {

    /** One line of the Keyboard dialog. */
    record Shortcut(String keys, String what) {
    }

    static final List<Shortcut> ALL = List.of(
            new Shortcut("Ctrl+1 … Ctrl+9", "go to the first … ninth tab"),
            new Shortcut("Ctrl+F", "search users (from any tab)"),
            new Shortcut("Ctrl+N", "new user (from any tab)"),
            new Shortcut("F5 or Ctrl+R", "refresh the Dashboard's figures"),
            new Shortcut("Ctrl+E", "export what the tab shows to CSV (a table's rows in Schema & data)"),
            new Shortcut("Tab / Shift+Tab", "next / previous field, in text areas too (Ctrl+Tab inserts a tab there)"),
            new Shortcut("F1", "this list"),
            new Shortcut("Enter", "Users: open the selected user; editor: save"),
            new Shortcut("Esc", "editor and dialogs: cancel"),
            new Shortcut("Ctrl+Enter", "SQL console: run the selection, or the statement under the cursor"),
            new Shortcut("Ctrl+Space", "SQL console: complete a table or column name"),
            new Shortcut("Ctrl+T", "SQL console: new editor tab"),
            new Shortcut("Ctrl+C", "data grids: copy the selected cells"));

    static final String USERS_TAB = "UsersTab";
    /** The style class of the button Ctrl+E fires in the selected tab (the first one showing and enabled). */
    static final String EXPORT_ACTION = "export-action";
    /** The style class of a text area where Tab inserts a tab (none so far): elsewhere Tab moves to the next field. */
    static final String KEEPS_TAB = "keeps-tab";

    private Shortcuts() {
    }

    /** Installs the window-wide shortcuts on {@code scene}; {@code tabs} are the main window's tabs. */
    static void install(Scene scene, TabPane tabs, Runnable refresh) {
        for (int i = 1; i <= 9; i++) {
            int index = i - 1;
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.valueOf("DIGIT" + i), KeyCombination.SHORTCUT_DOWN), () -> {
                if (!tabs.isDisabled() && index < tabs.getTabs().size()) {
                    tabs.getSelectionModel().select(index);
                }
            });
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), refresh);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), refresh);
        // inside the Users view its own handler takes these first; from anywhere else they go to the Users tab
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> inUsers(tabs, users -> {
            if (users.lookup("#searchField") instanceof TextField search) {
                search.requestFocus();
                search.selectAll();
            }
        }));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), () -> inUsers(tabs, users -> {
            if (users.lookup("#newButton") instanceof Button create && !create.isDisabled()) {
                create.fire();
            }
        }));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F1), () -> showHelp(tabs));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN), () -> export(tabs));
        // Tab moves on from a text area as from any field (a text area's own Tab inserts a tab character); its
        // behaviour moves the focus on Ctrl+Tab, so Tab is handed over as that
        scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.TAB && !e.isControlDown() && !e.isAltDown() && !e.isMetaDown()
                    && e.getTarget() instanceof javafx.scene.control.TextArea area && !area.getStyleClass().contains(KEEPS_TAB)) {
                e.consume();
                area.fireEvent(new javafx.scene.input.KeyEvent(javafx.scene.input.KeyEvent.KEY_PRESSED, "", "", KeyCode.TAB,
                        e.isShiftDown(), true, false, false));
            } else if (e.getCode() == KeyCode.TAB && !e.isAltDown() && !e.isMetaDown()
                    && e.getTarget() instanceof org.fxmisc.richtext.GenericStyledArea<?, ?, ?> code && !code.getStyleClass().contains(KEEPS_TAB)
                    && scene.getRoot().lookupAll(".sql-completion").stream().noneMatch(javafx.scene.Node::isVisible)) {
                // the SQL editor the same way: Tab moves on (Shift+Tab back), Ctrl+Tab inserts a tab character; while
                // the completion list shows, Tab is its own (it inserts the chosen name)
                e.consume();
                if (e.isControlDown()) {
                    code.replaceSelection("\t");
                } else {
                    moveFocus(code, e.isShiftDown());
                }
            }
        });
    }

    /** Focuses the next (or previous) focusable control after {@code from} in the scene's order, wrapping around. */
    private static void moveFocus(javafx.scene.Node from, boolean back) {
        java.util.List<javafx.scene.Node> order = new java.util.ArrayList<>();
        collect(from.getScene().getRoot(), order);
        int at = order.indexOf(from);
        if (order.size() < 2 || at < 0) {
            return;
        }
        order.get(Math.floorMod(at + (back ? -1 : 1), order.size())).requestFocus();
    }

    private static void collect(javafx.scene.Node n, java.util.List<javafx.scene.Node> out) {
        if (!n.isVisible() || n.isDisabled()) {
            return; // not shown (another tab's view, a hidden panel) or disabled: not a stop
        }
        if (n.isFocusTraversable()) {
            out.add(n);
        }
        if (n instanceof javafx.scene.control.TextInputControl || n instanceof javafx.scene.control.ComboBoxBase<?>
                || n instanceof org.fxmisc.richtext.GenericStyledArea<?, ?, ?>) {
            return; // a field's own parts are not stops of their own (a tab pane's or a split's contents are)
        }
        if (n instanceof javafx.scene.Parent p) {
            p.getChildrenUnmodifiable().forEach(c -> collect(c, out));
        }
    }

    /** Ctrl+E: fires the selected tab's export (a button marked {@link #EXPORT_ACTION} that shows and is enabled). */
    private static void export(TabPane tabs) {
        Tab selected = tabs.getSelectionModel().getSelectedItem();
        if (tabs.isDisabled() || selected == null || selected.getContent() == null) {
            return;
        }
        for (Node n : selected.getContent().lookupAll("." + EXPORT_ACTION)) {
            if (n instanceof Button b && b.isVisible() && !b.isDisabled() && b.getScene() != null) {
                b.fire();
                return;
            }
        }
    }

    private static void inUsers(TabPane tabs, java.util.function.Consumer<Node> action) {
        if (tabs.isDisabled()) {
            return;
        }
        for (Tab t : tabs.getTabs()) {
            if (USERS_TAB.equals(t.getId()) && t.getContent() != null) {
                tabs.getSelectionModel().select(t);
                action.accept(t.getContent());
                return;
            }
        }
    }

    /** The Keyboard dialog: every shortcut of {@link #ALL}. */
    static void showHelp(Node owner) {
        GridPane grid = new GridPane();
        grid.setId("keyboardHelp");
        grid.setHgap(16);
        grid.setVgap(6);
        for (int row = 0; row < ALL.size(); row++) {
            Label keys = new Label(ALL.get(row).keys());
            keys.getStyleClass().add("shortcut-keys");
            grid.addRow(row, keys, new Label(ALL.get(row).what()));
        }
        Alert a = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE);
        a.setTitle("Keyboard");
        a.setHeaderText("Keyboard shortcuts");
        a.getDialogPane().setContent(grid);
        if (owner.getScene() != null) {
            a.initOwner(owner.getScene().getWindow());
        }
        a.show();
    }
}
