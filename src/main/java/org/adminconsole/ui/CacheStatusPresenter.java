package org.adminconsole.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;
import java.util.function.Supplier;
import org.adminconsole.cache.CoherenceService;

/**
 * The status-bar piece of cache coherence: when the caches were last checked against the database and how
 * many invalidations came from other consoles (or other programs). Reads in-memory counters only, twice a
 * second, so it never touches the database on the FX thread.
 */
final class CacheStatusPresenter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final Label label;
    private final Supplier<CoherenceService.Status> coherence;
    private final Timeline timeline;

    private CacheStatusPresenter(Label label, Supplier<CoherenceService.Status> coherence) {
        this.label = label;
        this.coherence = coherence;
        this.timeline = new Timeline(new KeyFrame(Duration.millis(500), e -> refresh()));
        timeline.setCycleCount(Timeline.INDEFINITE);
    }

    static CacheStatusPresenter attach(Label label, Supplier<CoherenceService.Status> coherence) {
        CacheStatusPresenter p = new CacheStatusPresenter(label, coherence);
        p.refresh();
        p.timeline.play();
        return p;
    }

    private void refresh() {
        if (label.getScene() == null) {
            timeline.stop();
            return;
        }
        CoherenceService.Status s = coherence.get();
        label.setText(text(s));
        label.setTooltip(new Tooltip(details(s)));
    }

    static String text(CoherenceService.Status s) {
        if (s.lastError() != null) {
            return "Cache check failed: " + s.lastError();
        }
        String checked = s.lastCheck() == null ? "Caches not checked yet" : "Caches checked " + TIME.format(s.lastCheck());
        return checked + " · invalidations from other consoles: " + s.foreignInvalidations();
    }

    static String details(CoherenceService.Status s) {
        Instant last = s.lastForeignChange();
        return "Checks: " + s.checks()
                + "\nLast change by another console: " + (last == null ? "none" : TIME.format(last))
                + "\nPostgreSQL NOTIFY: " + s.notifyState() + " (" + s.notifications() + " received)"
                + (s.pendingReEvictions() > 0 ? "\nWaiting to re-evict after " + s.pendingReEvictions() + " overlapping change(s)" : "");
    }
}
