package org.adminconsole.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.adminconsole.config.Settings;
import org.adminconsole.ui.MainWindow;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** Small helpers shared by the TestFX tests: wait for background work, read controls on the FX thread. */
public final class FxTesting {

    private FxTesting() {
    }

    /** Waits (at most 30 s) until {@code condition} holds, then until the FX thread has caught up. */
    public static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Runs {@code read} on the FX thread (controls are only read there) and returns its result. */
    public static <T> T onFx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.asyncFx(read).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // the FX thread did not answer for 30 s (once seen at 10 s with six busy JVMs on two cores): say what it
            // was doing, so that a failure points at the culprit
            throw new IllegalStateException("The FX thread did not answer within 30 s; it was at:\n" + fxThreadStack(), e);
        } catch (Exception e) {
            throw new IllegalStateException("Reading from the FX thread failed", e);
        }
    }

    /** The JavaFX application thread's current stack, for failure messages. */
    public static String fxThreadStack() {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().equals("JavaFX Application Thread")) {
                sb.append(t.getState()).append('\n');
                for (StackTraceElement el : stack) {
                    sb.append("    at ").append(el).append('\n');
                }
            }
        });
        return sb.length() == 0 ? "(no JavaFX Application Thread)" : sb.toString();
    }

    /** Opens the console's main window on {@code settings} as the launcher does; the database opens in the background. */
    public static MainWindow openWindow(Settings settings, String settingsError) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> MainWindow.show(new Stage(), settings, settingsError)).get(30, TimeUnit.SECONDS);
    }

    /** Shuts down a window from {@link #openWindow} (nothing when none was opened), waiting at most {@code seconds}. */
    public static void shutdown(MainWindow window, int seconds) throws Exception {
        if (window != null) {
            WaitForAsyncUtils.asyncFx(window::shutdown).get(seconds, TimeUnit.SECONDS);
        }
    }

    /** The text of the label found by {@code query} (e.g. {@code "#status"}), read on the FX thread; "" while there is none. */
    public static String text(FxRobot robot, String query) {
        return onFx(() -> robot.lookup(query).tryQuery().map(n -> ((Label) n).getText()).orElse(""));
    }
}
