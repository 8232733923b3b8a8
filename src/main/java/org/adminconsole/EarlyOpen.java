package org.adminconsole;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.adminconsole.config.Settings;
import org.adminconsole.support.TaskHandle;
import org.slf4j.LoggerFactory;

/**
 * The database opens from {@code main}, before the JavaFX toolkit starts, so that the toolkit's start, the first
 * frame and the database (pool, migrations, Hibernate) run side by side instead of one after the other. The window
 * then {@link #await awaits} the opening in a background task, which from then on carries its progress messages (the
 * first start's migration and seeding counts) to the status bar. Settings that do not load leave nothing started:
 * the window reports them as before.
 */
final class EarlyOpen implements TaskHandle.Listener {

    private static volatile EarlyOpen started;

    private final Settings settings;
    private final CompletableFuture<AppContext> context = new CompletableFuture<>();
    private final TaskHandle handle = new TaskHandle("Opening database");
    /** Hibernate is built once the window's first data is shown (at most 5 s after it could start). */
    private final org.adminconsole.support.DeferredStart hibernateBuild = AppContext.hibernateBuildAfterFirstData();
    private volatile TaskHandle forwardTo;
    private volatile String lastMessage;
    private volatile long done = -1;
    private volatile long total;

    private EarlyOpen(Settings settings) {
        this.settings = settings;
    }

    /** Starts opening the database named by these arguments on a thread of its own. */
    static void begin(Map<String, String> named) {
        Settings settings;
        try {
            settings = Settings.load(named);
        } catch (RuntimeException e) {
            return; // the window says what is wrong with the settings
        }
        if (org.adminconsole.service.access.SignIns.needsSignIn(settings)) {
            return; // a shared database opens after the sign-in, as the login signed in
        }
        EarlyOpen open = new EarlyOpen(settings);
        open.handle.setListener(open);
        Thread t = new Thread(() -> {
            try {
                open.context.complete(open.handle.run(() -> AppContext.startBeforeHibernate(settings, open.hibernateBuild)));
            } catch (Throwable e) {
                open.context.completeExceptionally(e);
            }
        }, "database-open");
        t.setDaemon(true);
        t.start();
        started = open;
    }

    /** The opening begun by {@code main} for these settings (same data folder and URL), once; null if none. */
    static EarlyOpen take(Settings settings) {
        EarlyOpen open = started;
        if (open == null || settings == null || !open.settings.dbUrl().equals(settings.dbUrl())
                || !open.settings.dataDir().equals(settings.dataDir())) {
            return null;
        }
        started = null;
        return open;
    }

    /**
     * Waits for the database (in a background task: never on the FX thread) and forwards the opening's progress to the
     * task's own handle from now on. Throws what opening threw.
     */
    AppContext await() throws Exception {
        TaskHandle task = TaskHandle.current();
        forwardTo = task;
        String m = lastMessage;
        if (m != null) {
            task.message(m);
        }
        if (done >= 0) {
            task.progress(done, total);
        }
        try {
            return context.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** The window shows its first data: Hibernate's build may take the cores now. */
    void firstDataShown() {
        hibernateBuild.release();
    }

    /** The window closed before it took the database: close it once it is open. */
    void abandon() {
        context.thenAccept(ctx -> {
            try {
                ctx.close();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(EarlyOpen.class).warn("Closing the database failed", e);
            }
        });
    }

    @Override
    public void progress(long done, long total) {
        this.done = done;
        this.total = total;
        TaskHandle t = forwardTo;
        if (t != null) {
            t.progress(done, total);
        }
    }

    @Override
    public void message(String text) {
        lastMessage = text;
        TaskHandle t = forwardTo;
        if (t != null) {
            t.message(text);
        }
    }
}
