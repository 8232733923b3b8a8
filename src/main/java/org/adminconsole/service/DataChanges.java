package org.adminconsole.service;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.adminconsole.cache.CoherenceService;
import org.adminconsole.persistence.Database;
import org.adminconsole.persistence.DatabaseHealth;
import org.adminconsole.persistence.OperationListener;
import org.adminconsole.persistence.OperationRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What views need to stay true: which tables changed (this console's own commits, other consoles' commits seen by
 * the coherence check) and whether the database is reachable. Views subscribe and reload what they show; the
 * notifications come on background threads (views move to the FX thread and coalesce themselves).
 */
public final class DataChanges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataChanges.class);

    /** A view that follows the data. Every method has a default. */
    public interface Subscriber {
        /** Committed changes of these tables (by this console or another). */
        default void tablesChanged(Set<String> tables) {
        }

        /** The connection was lost; the console reconnects by itself. */
        default void connectionLost(String reason) {
        }

        /** The database is back; everything shown may be stale (caches were emptied). */
        default void reconnected(Duration downtime) {
        }
    }

    private final Database database;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final OperationListener own = OperationListener.onFinished(this::onOperation);
    private final DatabaseHealth.Listener health = new DatabaseHealth.Listener() {
        @Override
        public void lost(String reason) {
            each(s -> s.connectionLost(reason));
        }

        @Override
        public void recovered(Duration downtime) {
            each(s -> s.reconnected(downtime));
        }
    };

    public DataChanges(Database database, CoherenceService coherence) {
        this.database = database;
        database.transactions().addListener(own);
        database.health().addListener(health);
        coherence.addChangeListener(tables -> each(s -> s.tablesChanged(tables)));
    }

    /** Subscribes; the returned runnable unsubscribes. */
    public Runnable subscribe(Subscriber s) {
        subscribers.add(s);
        return () -> subscribers.remove(s);
    }

    /** What the operator should know about this database from the start (e.g. commits a server may lose). */
    public List<String> warnings() {
        return database.warnings();
    }

    /** Whether the database is reachable right now (false while the console reconnects). */
    public boolean databaseUp() {
        return database.health().isUp();
    }

    private void onOperation(OperationRecord rec) {
        if (rec.outcome() == OperationRecord.Outcome.COMMITTED && !rec.tables().isEmpty()) {
            Set<String> tables = rec.tables();
            each(s -> s.tablesChanged(tables));
        }
    }

    private void each(java.util.function.Consumer<Subscriber> call) {
        for (Subscriber s : subscribers) {
            try {
                call.accept(s);
            } catch (RuntimeException e) {
                LOG.error("A data change subscriber failed", e);
            }
        }
    }

    @Override
    public void close() {
        database.transactions().removeListener(own);
        database.health().removeListener(health);
        subscribers.clear();
    }
}
