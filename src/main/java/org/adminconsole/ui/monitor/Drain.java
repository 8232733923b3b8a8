package org.adminconsole.ui.monitor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;
import javafx.animation.Animation;
import javafx.collections.ObservableList;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Node;
import javafx.stage.WindowEvent;
import javafx.util.Duration;

/**
 * Batched view updates: one {@link Timeline} per view that drains what accumulated since the last tick
 * (never a {@code Platform.runLater} per event), stopped when the view's window closes.
 */
final class Drain {

    /** How often the live views drain their sources. */
    static final Duration LIVE = Duration.millis(300);
    /** How often the sampled views (caches, pool) refresh. */
    static final Duration SAMPLED = Duration.seconds(1);

    private Drain() {
    }

    static Timeline every(Duration period, Node owner, Runnable tick) {
        Timeline t = new Timeline(new KeyFrame(period, e -> tick.run()));
        t.setCycleCount(Animation.INDEFINITE);
        owner.sceneProperty().flatMap(javafx.scene.Scene::windowProperty).addListener((o, oldWindow, window) -> {
            if (window != null) {
                window.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> t.stop());
            }
        });
        t.play();
        return t;
    }

    /**
     * Puts {@code fresh} (oldest first, as the logs return it) on top of {@code rows}, newest first, keeping at most
     * {@code max} rows; returns the sequence number to ask for next time ({@code lastSeq} when nothing is new).
     */
    static <T> long newestOnTop(List<T> fresh, ObservableList<T> rows, int max, ToLongFunction<T> seq, long lastSeq) {
        if (fresh.isEmpty()) {
            return lastSeq;
        }
        List<T> newestFirst = new ArrayList<>(fresh.size() > max ? fresh.subList(fresh.size() - max, fresh.size()) : fresh);
        Collections.reverse(newestFirst);
        if (newestFirst.size() >= max) {
            rows.setAll(newestFirst); // a burst: one replacement for the table, not an insert and a removal of max rows
        } else {
            rows.addAll(0, newestFirst);
            if (rows.size() > max) {
                rows.remove(max, rows.size());
            }
        }
        return seq.applyAsLong(fresh.get(fresh.size() - 1));
    }
}
