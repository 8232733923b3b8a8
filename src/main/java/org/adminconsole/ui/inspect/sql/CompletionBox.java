package org.adminconsole.ui.inspect.sql;

import java.util.function.Supplier;
import javafx.geometry.Bounds;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import org.adminconsole.service.inspect.SqlCompletion;
import org.fxmisc.richtext.CodeArea;

/**
 * The completion list of a {@link SqlEditor}: drawn over the editor below the caret, while the focus stays in the text
 * (typing goes on and narrows the list). Up/Down choose, Enter or Tab insert, Escape closes; a double click inserts.
 * The names come from the catalog read in the background; the list itself is computed from the text alone.
 */
public final class CompletionBox {

    private static final double WIDTH = 360;
    private static final double ROW = 24;

    private final CodeArea area;
    private final StackPane layer;
    private final Supplier<SqlCompletion.Catalog> catalog;
    private final Runnable wantCatalog;
    private final ListView<SqlCompletion.Item> list = new ListView<>();
    private final Label placeholder = new Label("No table or column starts with this");

    CompletionBox(CodeArea area, StackPane layer, Supplier<SqlCompletion.Catalog> catalog, Runnable wantCatalog) {
        this.area = area;
        this.layer = layer;
        this.catalog = catalog;
        this.wantCatalog = wantCatalog;
        list.setId("completionList");
        list.getStyleClass().add("sql-completion");
        list.setFocusTraversable(false);
        list.setManaged(false);
        list.setVisible(false);
        list.setPlaceholder(placeholder);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(SqlCompletion.Item item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : item.label() + "   " + (item.kind() == SqlCompletion.ItemKind.TABLE
                        ? "table in " + item.detail() : "column of " + item.detail()));
            }
        });
        list.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                insertSelected();
            }
            area.requestFocus();
        });
        layer.getChildren().add(list);
        area.caretPositionProperty().addListener((o, a, b) -> {
            if (isShowing()) {
                refresh(false);
            }
        });
        area.focusedProperty().addListener((o, a, focused) -> {
            if (!focused && !list.isHover()) {
                hide();
            }
        });
    }

    public boolean isShowing() {
        return list.isVisible();
    }

    public ListView<SqlCompletion.Item> list() {
        return list;
    }

    /** Ctrl+Space: the names for the word before the caret (loading them first when none are loaded). */
    void open() {
        if (catalog.get().tables().isEmpty()) {
            wantCatalog.run();
        }
        refresh(true);
    }

    /** New names arrived: an open list shows them. */
    public void catalogChanged() {
        if (isShowing()) {
            refresh(true);
        }
    }

    private void refresh(boolean opening) {
        SqlCompletion.Catalog names = catalog.get();
        SqlCompletion.Proposal p = SqlCompletion.propose(names, area.getText(), area.getCaretPosition());
        if (p.items().isEmpty() && !opening) {
            hide();
            return;
        }
        placeholder.setText(names.tables().isEmpty() ? "Loading table and column names…" : "No table or column starts with '"
                + p.prefix() + "'");
        list.getItems().setAll(p.items());
        list.getSelectionModel().selectFirst();
        list.scrollTo(0);
        double height = Math.min(10, Math.max(1, p.items().size())) * ROW + 4;
        double x = 0;
        double y = 0;
        Bounds caret = area.getCaretBounds().map(layer::screenToLocal).orElse(null);
        if (caret != null) {
            x = Math.max(0, Math.min(caret.getMinX(), layer.getWidth() - WIDTH));
            y = caret.getMaxY() + height <= layer.getHeight() ? caret.getMaxY() : Math.max(0, caret.getMinY() - height);
        }
        list.resizeRelocate(x, y, WIDTH, height);
        list.setVisible(true);
        list.toFront();
    }

    public void hide() {
        list.setVisible(false);
        list.getItems().clear();
    }

    /** Keys while the list shows (called from the editor's key filter): the ones it uses are consumed. */
    void handleKey(KeyEvent e) {
        if (!isShowing() || e.isControlDown() || e.isAltDown() || e.isMetaDown()) {
            return;
        }
        switch (e.getCode()) {
            case UP -> move(-1);
            case DOWN -> move(1);
            case PAGE_UP -> move(-9);
            case PAGE_DOWN -> move(9);
            case ENTER, TAB -> insertSelected();
            case ESCAPE -> hide();
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void move(int by) {
        int n = list.getItems().size();
        if (n == 0) {
            return;
        }
        int i = Math.max(0, Math.min(n - 1, list.getSelectionModel().getSelectedIndex() + by));
        list.getSelectionModel().select(i);
        list.scrollTo(Math.max(0, i - 4));
    }

    private void insertSelected() {
        SqlCompletion.Item item = list.getSelectionModel().getSelectedItem();
        if (item != null) {
            SqlCompletion.Proposal p = SqlCompletion.propose(catalog.get(), area.getText(), area.getCaretPosition());
            hide();
            area.replaceText(p.from(), p.to(), item.insert());
            area.moveTo(p.from() + item.insert().length());
        } else {
            hide();
        }
    }
}
