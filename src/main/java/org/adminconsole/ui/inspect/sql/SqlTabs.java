package org.adminconsole.ui.inspect.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputDialog;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import javafx.util.Duration;
import org.adminconsole.service.inspect.EditorTabs;
import org.adminconsole.service.inspect.SqlCompletion;
import org.adminconsole.ui.Dialogs;

/**
 * The SQL console's editor tabs: each tab holds a {@link SqlEditor}; their titles and texts are kept in the data folder
 * ({@link EditorTabs}) and come back on the next start. Saving is debounced ({@value #SAVE_DELAY_MS} ms after the last
 * change), done on a background thread from a snapshot taken on the FX thread, and done once more, synchronously,
 * when the window closes. Only the selected tab's text area has the id {@code sqlText}.
 */
public final class SqlTabs {

    static final int SAVE_DELAY_MS = 400;
    /** Highlighting and saving: one daemon thread for every editor (both are short, and order matters for saves). */
    static final ExecutorService BACKGROUND = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sql-editor");
        t.setDaemon(true);
        return t;
    });

    private final TabPane tabs;
    private final EditorTabs store;
    private final Supplier<SqlCompletion.Catalog> catalog;
    private final Runnable wantCatalog;
    private final Consumer<String> note;
    private final PauseTransition saveLater = new PauseTransition(Duration.millis(SAVE_DELAY_MS));
    private boolean loading;

    public SqlTabs(TabPane tabs, EditorTabs store, Supplier<SqlCompletion.Catalog> catalog, Runnable wantCatalog,
                   Consumer<String> note) {
        this.tabs = tabs;
        this.store = store;
        this.catalog = catalog;
        this.wantCatalog = wantCatalog;
        this.note = note;
        saveLater.setOnFinished(e -> saveInBackground());
        tabs.getSelectionModel().selectedItemProperty().addListener((o, old, now) -> {
            if (old != null) {
                editorOf(old).area().setId(null);
            }
            if (now != null) {
                editorOf(now).area().setId("sqlText");
                Platform.runLater(() -> editorOf(now).area().requestFocus());
            }
            changed();
        });
        tabs.sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                scene.windowProperty().addListener((p, b, w) -> saveWhenClosing(w));
                saveWhenClosing(scene.getWindow());
            }
        });
    }

    /** Opens the saved tabs (one empty tab when there are none); a note when they could not be read. */
    public void load() {
        EditorTabs.Loaded saved = store.load();
        loading = true;
        try {
            for (EditorTabs.Tab t : saved.tabs()) {
                add(t.title(), t.text());
            }
            tabs.getSelectionModel().select(saved.selected());
        } finally {
            loading = false;
        }
        if (saved.note() != null) {
            note.accept(saved.note());
        }
    }

    public SqlEditor current() {
        return editorOf(tabs.getSelectionModel().getSelectedItem());
    }

    public List<SqlEditor> editors() {
        return tabs.getTabs().stream().map(SqlTabs::editorOf).toList();
    }

    /** A new empty tab, selected. */
    public SqlEditor newTab() {
        int n = 1;
        for (Tab t : tabs.getTabs()) {
            if (t.getText().matches("Query \\d{1,6}")) {
                n = Math.max(n, Integer.parseInt(t.getText().substring(6)) + 1);
            }
        }
        Tab tab = add("Query " + n, "");
        tabs.getSelectionModel().select(tab);
        changed();
        return editorOf(tab);
    }

    /** The names were (re)loaded: open completion lists show them. */
    public void catalogChanged() {
        editors().forEach(e -> e.completion().catalogChanged());
    }

    private Tab add(String title, String text) {
        SqlEditor editor = new SqlEditor(text, BACKGROUND, catalog, wantCatalog);
        Tab tab = new Tab(title, editor.node());
        tab.setUserData(editor);
        tab.getStyleClass().add("sql-editor-tab");
        editor.area().multiPlainChanges().subscribe(c -> changed());
        tab.setOnCloseRequest(e -> {
            if (!editor.text().isBlank()) {
                e.consume();
                Dialogs.confirm(tabs, "Close the tab?", "'" + tab.getText() + "' holds SQL that is not kept anywhere else."
                        + " Close it and lose this text?", "Close", () -> remove(tab));
            }
        });
        tab.setOnClosed(e -> afterRemove());
        MenuItem rename = new MenuItem("Rename…");
        rename.setOnAction(e -> rename(tab));
        tab.setContextMenu(new ContextMenu(rename));
        tabs.getTabs().add(tab);
        return tab;
    }

    private void remove(Tab tab) {
        tabs.getTabs().remove(tab);
        afterRemove();
    }

    private void afterRemove() {
        if (tabs.getTabs().isEmpty()) {
            newTab(); // never without an editor
        }
        changed();
    }

    private void rename(Tab tab) {
        TextInputDialog d = new TextInputDialog(tab.getText());
        d.initOwner(tabs.getScene() == null ? null : tabs.getScene().getWindow());
        d.setTitle("Rename the tab");
        d.setHeaderText("New name of the tab");
        d.getDialogPane().setId("renameTabDialog");
        d.setOnHidden(e -> {
            String name = d.getResult();
            if (name != null && !name.isBlank()) {
                tab.setText(name.strip().length() > 60 ? name.strip().substring(0, 60) : name.strip());
                changed();
            }
        });
        d.show();
    }

    private void changed() {
        if (!loading) {
            saveLater.playFromStart();
        }
    }

    private List<EditorTabs.Tab> snapshot() {
        List<EditorTabs.Tab> out = new ArrayList<>();
        for (Tab t : tabs.getTabs()) {
            out.add(new EditorTabs.Tab(t.getText(), editorOf(t).text()));
        }
        return out;
    }

    private void saveInBackground() {
        List<EditorTabs.Tab> snap = snapshot();
        int selected = tabs.getSelectionModel().getSelectedIndex();
        BACKGROUND.execute(() -> {
            String failure = store.save(snap, selected);
            if (failure != null) {
                Platform.runLater(() -> note.accept(failure));
            }
        });
    }

    /**
     * Saves at once and waits (the window is closing): queued behind any background save, so an older snapshot never
     * lands after this one.
     */
    public void saveNow() {
        saveLater.stop();
        List<EditorTabs.Tab> snap = snapshot();
        int selected = tabs.getSelectionModel().getSelectedIndex();
        try {
            BACKGROUND.submit(() -> store.save(snap, selected)).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.RejectedExecutionException e) {
            store.save(snap, selected);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void saveWhenClosing(Window w) {
        if (w != null && w.getProperties().putIfAbsent(this, Boolean.TRUE) == null) {
            w.addEventHandler(WindowEvent.WINDOW_HIDING, e -> saveNow());
        }
    }

    private static SqlEditor editorOf(Tab t) {
        return (SqlEditor) t.getUserData();
    }
}
