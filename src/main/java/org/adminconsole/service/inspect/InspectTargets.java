package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.adminconsole.persistence.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which database Schema &amp; data and SQL inspect: the console's own, or one opened connection profile at a time. The
 * inspection services are built once over this holder (it is their {@link InspectSource}, and the SQL console's
 * reader connections come from {@link #readers()}); each operation takes the target current when it starts, so an
 * operation never mixes two databases. Switching closes the previous profile (its pool; a result still open on it
 * fails with a clear message). User administration never uses this: it stays on the console's database.
 */
public final class InspectTargets implements InspectSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InspectTargets.class);

    /** One database to inspect: its name for the operator, where it reads from, its SQL console connections. */
    public record Target(String label, boolean console, InspectSource source, ReaderConnections readers, AutoCloseable resources) {
    }

    private final Target console;
    private volatile Target current;
    private final List<Consumer<Target>> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> beforeSwitch = new CopyOnWriteArrayList<>();

    public InspectTargets(InspectSource consoleSource, ReaderConnections consoleReaders) {
        this.console = new Target("Console database", true, consoleSource, consoleReaders, () -> { });
        this.current = console;
    }

    public Target current() {
        return current;
    }

    public Target console() {
        return console;
    }

    public ReaderConnections readers() {
        return current.readers();
    }

    /**
     * Makes {@code target} the inspected database (null: the console's own) and closes the profile inspected before.
     * Listeners run on the calling thread.
     */
    public void switchTo(Target target) {
        Target next = target == null ? console : target;
        beforeSwitch.forEach(Runnable::run);
        Target previous;
        synchronized (this) {
            previous = current;
            current = next;
        }
        if (previous != next && !previous.console()) {
            closeQuietly(previous);
        }
        listeners.forEach(l -> l.accept(next));
    }

    /** Run before every switch, while the previous target is still open (the SQL console closes its results). */
    public void beforeSwitch(Runnable hook) {
        beforeSwitch.add(hook);
    }

    /** Called with the new target after every switch. */
    public void onSwitch(Consumer<Target> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Target> listener) {
        listeners.remove(listener);
    }

    @Override
    public <T> T read(String name, Duration timeout, Work<T> work) {
        return current.source().read(name, timeout, work);
    }

    @Override
    public Duration longTimeout() {
        return current.source().longTimeout();
    }

    @Override
    public Connection metadataConnection() throws SQLException {
        return current.source().metadataConnection();
    }

    @Override
    public Dialect dialect() {
        return current.source().dialect();
    }

    private static void closeQuietly(Target t) {
        try {
            t.resources().close();
        } catch (Exception e) {
            LOG.warn("Closing the connections of {} failed", t.label(), e);
        }
    }

    @Override
    public void close() {
        Target t = current;
        current = console;
        if (!t.console()) {
            closeQuietly(t);
        }
    }
}
