package org.adminconsole.ui;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import org.adminconsole.service.DataChanges;

/**
 * Keeps a view true to the database: when one of its tables changes (this console's commit, another console's, or
 * the database came back after an outage) the view's reload runs on the FX thread, at most once per interval however
 * many commits arrive (a bulk action or demo generation commits many times).
 */
public final class FollowData {

    private FollowData() {
    }

    /**
     * Calls {@code reload} on the FX thread after changes of any of {@code tables}, while {@code view} is shown; once
     * the view has left its window (a discarded view) the subscription ends by itself.
     */
    public static void tables(DataChanges changes, javafx.scene.Node view, Set<String> tables, Duration interval, Runnable reload) {
        AtomicBoolean pending = new AtomicBoolean();
        Runnable[] unsubscribe = new Runnable[1];
        Runnable schedule = () -> {
            if (pending.compareAndSet(false, true)) {
                Platform.runLater(() -> {
                    PauseTransition wait = new PauseTransition(javafx.util.Duration.millis(interval.toMillis()));
                    wait.setOnFinished(e -> {
                        pending.set(false);
                        if (view.getScene() == null || view.getScene().getWindow() == null) {
                            unsubscribe[0].run(); // the view was discarded
                        } else {
                            reload.run();
                        }
                    });
                    wait.play();
                });
            }
        };
        unsubscribe[0] = changes.subscribe(new DataChanges.Subscriber() {
            @Override
            public void tablesChanged(Set<String> changed) {
                for (String t : changed) {
                    if (tables.contains(t)) {
                        schedule.run();
                        return;
                    }
                }
            }

            @Override
            public void reconnected(Duration downtime) {
                schedule.run();
            }
        });
    }
}
