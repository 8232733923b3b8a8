package org.adminconsole;

import java.util.LinkedHashMap;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.config.SettingsException;
import org.adminconsole.persistence.DatabaseStartupException;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.support.TaskHandle;

/**
 * Plain main class, so the console starts from the classpath without the JavaFX launcher checks.
 * {@code --generate-users=N} runs headless instead: opens the database (same settings as the window), generates
 * N demo users with progress on standard output, and exits (status 0 on success, 1 on failure, 2 on bad input).
 */
public final class Launcher {

    static final String GENERATE = "generate-users";

    private Launcher() {
    }

    /** H2's system property for the address its servers (AUTO_SERVER included) listen on. */
    static final String H2_BIND_ADDRESS = "h2.bindAddress";

    public static void main(String[] args) {
        bindH2ToLoopback();
        Map<String, String> named = named(args);
        prepareLogFolder(named);
        initLoggingInBackground();
        if (named.containsKey(GENERATE)) {
            System.exit(generate(named));
        }
        EarlyOpen.begin(named); // the database opens while the JavaFX toolkit starts
        javafx.application.Application.launch(App.class, args);
    }

    /**
     * The log file lives in {@code <data folder>/logs} (readable by its owner only); logback reads the folder from a
     * system property, so it is set before anything logs. A settings problem is reported later by the window, where
     * the operator sees it; the logs then go to the default data folder.
     */
    static void prepareLogFolder(Map<String, String> named) {
        java.nio.file.Path dataDir;
        try {
            dataDir = Settings.load(named).dataDir();
        } catch (RuntimeException e) {
            dataDir = Settings.defaultDataDir();
        }
        java.nio.file.Path logs = dataDir.resolve("logs");
        try {
            org.adminconsole.config.FilePermissions.createPrivateDirectories(dataDir);
            org.adminconsole.config.FilePermissions.createPrivateDirectories(logs);
        } catch (java.io.IOException | RuntimeException e) {
            // logback reports a folder it cannot write to; the console still starts
        }
        if (System.getProperty("adminconsole.log.dir") == null) {
            System.setProperty("adminconsole.log.dir", logs.toString());
        }
    }

    /**
     * Logback sets itself up (some 250 classes) on the first logger asked for; asked here on a thread of its own, that
     * half second runs beside the database's opening and the toolkit's start instead of before them (a logger asked
     * for meanwhile is a stand-in whose lines logback writes once it is ready: SLF4J's substitute loggers).
     */
    static void initLoggingInBackground() {
        Thread t = new Thread(org.slf4j.LoggerFactory::getILoggerFactory, "logging-setup");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Makes H2's AUTO_SERVER (and any H2 server this process starts) listen on 127.0.0.1 instead of every interface,
     * unless {@code -Dh2.bindAddress=...} says otherwise. H2 reads the property once, when its first connection is
     * made, so this runs before anything else.
     */
    static void bindH2ToLoopback() {
        String configured = System.getProperty(H2_BIND_ADDRESS);
        if (configured == null || configured.isBlank()) {
            System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
        }
    }

    static Map<String, String> named(String[] args) {
        Map<String, String> named = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                named.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        return named;
    }

    /** Headless generation; returns the process exit status. */
    static int generate(Map<String, String> named) {
        Map<String, String> settingsArgs = new LinkedHashMap<>(named);
        String raw = settingsArgs.remove(GENERATE);
        long count;
        try {
            count = Long.parseLong(raw.trim().replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1 || count > 10_000_000) {
            System.err.println("--" + GENERATE + "=" + raw + " is invalid: give a whole number of users between 1 and 10000000.");
            return 2;
        }
        Settings settings;
        try {
            settings = Settings.load(settingsArgs);
        } catch (SettingsException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        System.out.println("Opening " + settings.displayUrl() + " …");
        long total = count;
        try (AppContext ctx = AppContext.start(settings)) {
            long t0 = System.nanoTime();
            long[] lastPrint = {0};
            TaskHandle task = new TaskHandle("generate-users");
            task.setListener(new TaskHandle.Listener() {
                @Override
                public void progress(long done, long all) {
                    long now = System.nanoTime();
                    if (done == all || now - lastPrint[0] > 1_000_000_000L) {
                        lastPrint[0] = now;
                        System.out.printf("Generated %,d of %,d users (%d%%), %.1f s%n", done, all, done * 100 / all, (now - t0) / 1e9);
                    }
                }

                @Override
                public void message(String text) {
                    System.out.println(text);
                }
            });
            long n = task.run(() -> ctx.get(DemoDataService.class).generate(total));
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("Done: %,d users in %.1f s (%,.0f users/s)%n", n, secs, n / secs);
            return 0;
        } catch (DatabaseStartupException e) {
            System.err.println("The database could not be opened: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("Generating users failed: " + org.adminconsole.service.OperatorMessages.forOperator(e));
            org.slf4j.LoggerFactory.getLogger(Launcher.class).error("Generating users failed", e);
            return 1;
        }
    }
}
