package org.adminconsole.ui.inspect.sql;

import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;
import org.adminconsole.service.inspect.SqlCompletion;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.CodeArea;
import org.fxmisc.richtext.LineNumberFactory;
import org.fxmisc.richtext.model.StyleSpans;

/**
 * One SQL editor: a RichTextFX {@link CodeArea} with line numbers, syntax highlighting and name completion.
 *
 * <p>Highlighting is debounced and computed off the FX thread: {@value #HIGHLIGHT_DELAY_MS} ms after the last change
 * the text is copied, tokenized on {@code highlighter} (a background executor) and the spans applied on the FX thread
 * only if the text has not changed since (a 5,000-line script costs a few milliseconds per pause, not per key).
 * Ctrl+Space opens the completion list ({@link CompletionBox}).
 */
public final class SqlEditor {

    static final int HIGHLIGHT_DELAY_MS = 150;
    private static final KeyCombination COMPLETE = new KeyCodeCombination(KeyCode.SPACE, KeyCombination.SHORTCUT_DOWN);

    private final CodeArea area = new CodeArea();
    private final StackPane root;
    private final Executor highlighter;
    private final PauseTransition pause = new PauseTransition(Duration.millis(HIGHLIGHT_DELAY_MS));
    private final CompletionBox completion;
    /** Bumped on every change (FX thread): a highlighting result for an older text is dropped. */
    private long version;
    private long highlightedVersion = -1;

    /**
     * @param catalog the names to complete (FX thread; may be empty while they load)
     * @param wantCatalog asked when the editor gets the focus or completion opens and no names are loaded yet
     */
    public SqlEditor(String text, Executor highlighter, Supplier<SqlCompletion.Catalog> catalog, Runnable wantCatalog) {
        this.highlighter = highlighter;
        area.setId("sqlText");
        area.getStyleClass().addAll("sql-text", "sql-editor");
        area.setParagraphGraphicFactory(LineNumberFactory.get(area));
        area.replaceText(text == null ? "" : text);
        area.getUndoManager().forgetHistory();
        area.moveTo(0);
        root = new StackPane(new VirtualizedScrollPane<>(area));
        completion = new CompletionBox(area, root, catalog, wantCatalog);
        pause.setOnFinished(e -> highlightNow());
        area.multiPlainChanges().subscribe(changes -> {
            version++;
            pause.playFromStart();
        });
        area.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (COMPLETE.match(e)) {
                completion.open();
                e.consume();
            } else {
                completion.handleKey(e);
            }
        });
        area.focusedProperty().addListener((o, was, focused) -> {
            if (focused && catalog.get().tables().isEmpty()) {
                wantCatalog.run(); // read the names while the operator types, before the first Ctrl+Space
            }
        });
        highlightNow();
    }

    public Node node() {
        return root;
    }

    public CodeArea area() {
        return area;
    }

    public String text() {
        return area.getText();
    }

    /** Replaces the whole text (e.g. from the history); undoable. */
    public void setText(String text) {
        area.replaceText(text == null ? "" : text);
    }

    public CompletionBox completion() {
        return completion;
    }

    /** Whether the shown highlighting belongs to the current text (for tests). */
    public boolean highlighted() {
        return highlightedVersion == version;
    }

    private void highlightNow() {
        long v = version;
        String text = area.getText();
        try {
            highlighter.execute(() -> {
                StyleSpans<Collection<String>> spans = SqlHighlighter.compute(text);
                Platform.runLater(() -> {
                    if (v == version && area.getLength() == text.length()) {
                        area.setStyleSpans(0, spans);
                        highlightedVersion = v;
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            // the console is closing
        }
    }
}
