package org.adminconsole.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * For the startup benchmark ({@code StartupBench}): with {@code -Dadminconsole.startupReport=<file>} the console
 * appends one line {@code <event> <epoch milliseconds>} to that file for each startup milestone, stamped at the
 * JavaFX pulse that renders it: {@code frame} (the first frame of the window), {@code dashboard} (the Dashboard shows
 * its figures), {@code users} (the Users table holds its first page). With
 * {@code -Dadminconsole.startupReport.exit=true} the console then closes itself the usual way. Without the property
 * nothing is installed. FX thread only.
 */
public final class StartupReport {

    public static final String PROPERTY = "adminconsole.startupReport";
    public static final String EXIT_PROPERTY = "adminconsole.startupReport.exit";

    private final Path file;
    private final Map<String, BooleanSupplier> pending;
    private final Runnable exit;

    private StartupReport(Path file, Map<String, BooleanSupplier> pending, Runnable exit) {
        this.file = file;
        this.pending = pending;
        this.exit = exit;
    }

    /**
     * Watches the milestones (name, condition checked at every pulse) when the property is set; {@code frame} is always
     * the first. {@code exit} runs once every milestone has been reported (when asked for).
     */
    public static void install(Map<String, BooleanSupplier> milestones, Runnable exit) {
        String target = System.getProperty(PROPERTY);
        if (target == null || target.isBlank()) {
            return;
        }
        Map<String, BooleanSupplier> pending = new LinkedHashMap<>();
        pending.put("frame", () -> true);
        pending.putAll(milestones);
        new StartupReport(Path.of(target), pending, Boolean.getBoolean(EXIT_PROPERTY) ? exit : null).start();
    }

    private void start() {
        // an animation timer runs at every pulse (and keeps pulses coming while something is still pending)
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                long at = System.currentTimeMillis();
                pending.entrySet().removeIf(e -> {
                    if (e.getValue().getAsBoolean()) {
                        write(e.getKey(), at);
                        return true;
                    }
                    return false;
                });
                if (pending.isEmpty()) {
                    stop();
                    if (exit != null) {
                        Platform.runLater(exit);
                    }
                }
            }
        }.start();
    }

    private void write(String event, long epochMillis) {
        try {
            Files.writeString(file, event + " " + epochMillis + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(StartupReport.class).warn("Cannot write the startup report {}: {}", file, e.toString());
        }
    }
}
