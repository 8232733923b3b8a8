package org.adminconsole.cache;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL {@code LISTEN} on the channel the table-version trigger notifies (PostgreSQL delivers a
 * {@code NOTIFY} only when the writing transaction commits). Runs on its own daemon thread with its own
 * non-pooled connection (a pooled one would be taken from the operations and recycled under it); on any
 * failure it reconnects with a growing pause and asks for a full check, because notifications sent while it
 * was away are lost. Polling stays on as the fallback.
 */
final class PgChangeListener implements AutoCloseable {

    static final String CHANNEL = "adminconsole_table_versions";
    /** How the listener's connection appears in pg_stat_activity. */
    static final String APPLICATION_NAME = "admin-console change listener";
    private static final Logger LOG = LoggerFactory.getLogger(PgChangeListener.class);

    /** Where to connect: the console's URL and driver properties (deadlines included). */
    record Target(String url, java.util.Properties properties) {
    }

    private final Target target;
    private final TableVersionWatcher watcher;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;
    private boolean reconnecting;
    static final long RETRY_MS = 200;

    PgChangeListener(Target target, TableVersionWatcher watcher) {
        this.target = target;
        this.watcher = watcher;
        this.thread = new Thread(this::run, "cache-pg-listen");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closed) {
            java.util.Properties props = new java.util.Properties();
            props.putAll(target.properties());
            props.setProperty("ApplicationName", APPLICATION_NAME);
            // waiting for notifications is not a stalled reply: no socket timeout, TCP keep-alive instead
            props.setProperty("socketTimeout", "0");
            try (Connection c = DriverManager.getConnection(target.url(), props)) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                String schema;
                try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT current_schema()")) {
                    rs.next();
                    schema = rs.getString(1);
                }
                watcher.setNotifyState("listening");
                if (reconnecting) {
                    LOG.info("PostgreSQL change listener reconnected");
                }
                reconnecting = false;
                watcher.requestCheck(0); // anything committed while we were not listening
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] received = pg.getNotifications(500);
                    int ours = ownSchema(received, schema);
                    if (ours > 0) {
                        watcher.requestCheck(ours);
                    }
                    if (received != null && received.length > ours) {
                        watcher.otherSchemaNotifications(received.length - ours);
                    }
                    if (c.isClosed()) {
                        throw new SQLException("listener connection closed");
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                watcher.setNotifyState("reconnecting (" + e.getMessage() + ")");
                if (!reconnecting) {
                    LOG.warn("PostgreSQL change listener lost its connection ({}); reconnecting, polling continues", e.getMessage());
                }
                reconnecting = true;
                // a short, fixed pause: the listener is back within a second of the server (each try is bounded by the
                // connect timeout, so a dead server costs no more than that)
                sleep(RETRY_MS);
            } finally {
                connection = null;
            }
        }
        watcher.setNotifyState("off");
    }

    /** Notifications about this console's schema ("schema.table"; a bare table name comes from a pre-V72 trigger). */
    static int ownSchema(PGNotification[] received, String schema) {
        int n = 0;
        if (received != null) {
            for (PGNotification p : received) {
                String payload = p.getParameter();
                int dot = payload.indexOf('.');
                if (dot < 0 || payload.substring(0, dot).equals(schema)) {
                    n++;
                }
            }
        }
        return n;
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    /** For tests: drops the connection as a network failure would. */
    void breakConnection() {
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        breakConnection();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
