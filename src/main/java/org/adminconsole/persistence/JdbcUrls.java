package org.adminconsole.persistence;

import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.adminconsole.config.DbUrls;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;

/**
 * The JDBC URL and driver properties every connection of the console uses: the pool, the health probe, the
 * change listener and the SQL console's reader. One place, because H2 refuses a second URL form for a file that
 * is open in the same process (90020), and because every connection needs the same deadlines.
 *
 * <ul>
 *   <li><b>Embedded H2</b>: the {@code retry:} file system, so that an interrupt (which should never happen, see
 *       {@code TaskHandle}) makes H2 retry its read instead of closing the whole database; {@code WRITE_DELAY=0}
 *       in safe mode.</li>
 *   <li><b>H2 server</b> ({@code tcp:}, {@code ssl:}): {@code WRITE_DELAY=0} in safe mode is sent to the server
 *       (checked after connecting, see {@code Durability}); {@code NETWORK_TIMEOUT} bounds every wait for a reply.</li>
 *   <li><b>PostgreSQL</b>: connect, login and socket timeouts, TCP keep-alive, a short cancel timeout, the
 *       application name (who is connected, in {@code pg_stat_activity}) and multi-row batched inserts.</li>
 * </ul>
 */
public final class JdbcUrls {

    private static final String[] H2_FILE_SYSTEMS = {"mem:", "tcp:", "ssl:", "retry:", "async:", "nio:", "nioMapped:",
            "nioMemFS:", "nioMemLZF:", "memFS:", "memLZF:", "zip:", "split:", "file:retry:", "file:async:", "file:nio:"};

    private JdbcUrls() {
    }

    /** The URL of the console's own login (the owner): durability settings included. */
    public static String url(Settings s) {
        return url(s, true);
    }

    /**
     * {@code setDurability} false: without WRITE_DELAY, for a login that may not set it on an H2 server (only an admin
     * may); the console then reports the server's own setting (see {@code Durability}).
     */
    static String url(Settings s, boolean setDurability) {
        String url = baseUrl(s);
        if (setDurability && s.isH2() && !url.toUpperCase(Locale.ROOT).contains("WRITE_DELAY=") && !url.startsWith("jdbc:h2:mem:")) {
            // "safe": every reported commit is on disk; H2 otherwise keeps up to 500 ms of commits in memory. On a
            // server URL this runs SET WRITE_DELAY on the server (admin rights needed; checked after connecting).
            url += ";WRITE_DELAY=" + (s.durableCommits() ? "0" : "500");
        }
        return url;
    }

    /** The URL a sign-in is checked with: the console's own, without settings only an H2 admin may set. */
    public static String signInUrl(Settings s) {
        return url(s, false);
    }

    /**
     * The URL for a login without admin rights (the SQL console's reader): the same database and file system,
     * without settings only an admin may set, never creating a database.
     */
    public static String readerUrl(Settings s) {
        String url = baseUrl(s);
        if (!s.isH2()) {
            return url;
        }
        String[] parts = url.split(";");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            String key = p.contains("=") ? p.substring(0, p.indexOf('=')).trim().toUpperCase(Locale.ROOT) : p.toUpperCase(Locale.ROOT);
            if (key.equals("AUTO_SERVER") || key.equals("AUTO_SERVER_PORT") || key.equals("NETWORK_TIMEOUT")) {
                sb.append(';').append(p);
            }
        }
        return sb.append(";IFEXISTS=TRUE").toString();
    }

    private static String baseUrl(Settings s) {
        String url = s.dbUrl();
        if (s.isH2()) {
            if (isEmbeddedFile(url)) {
                url = withRetryFileSystem(url);
            }
            if (DbUrls.isH2Server(url) && !url.toUpperCase(Locale.ROOT).contains("NETWORK_TIMEOUT=")) {
                url += ";NETWORK_TIMEOUT=" + networkTimeout(s).toMillis();
            }
        }
        return url;
    }

    /** A file database opened in this process (plain or AUTO_SERVER), not a server, memory or special file system. */
    static boolean isEmbeddedFile(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = url.substring("jdbc:h2:".length());
        for (String fs : H2_FILE_SYSTEMS) {
            if (rest.startsWith(fs)) {
                return false;
            }
        }
        return true;
    }

    private static String withRetryFileSystem(String url) {
        String rest = url.substring("jdbc:h2:".length());
        if (rest.startsWith("file:")) {
            return "jdbc:h2:file:retry:" + rest.substring("file:".length());
        }
        return "jdbc:h2:retry:" + rest;
    }

    /**
     * How long the console waits for any reply from a database server: a little more than an operator action's
     * deadline, so the statement timeout fires first and a frozen server is given up soon after.
     */
    public static Duration networkTimeout(Settings s) {
        Duration d = s.get(Keys.TX_DEFAULT_TIMEOUT);
        return d.plus(d.multipliedBy(3).dividedBy(100)).plusMillis(50);
    }

    /** Driver properties for a login: PostgreSQL deadlines and keep-alive (H2 takes its settings in the URL). */
    public static Properties properties(Settings s, String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password == null ? "" : password);
        if (s.isPostgres()) {
            long connectSeconds = Math.max(1, (s.get(Keys.POOL_CONNECTION_TIMEOUT).toMillis() + 999) / 1000);
            p.setProperty("connectTimeout", String.valueOf(connectSeconds));
            p.setProperty("loginTimeout", String.valueOf(connectSeconds));
            p.setProperty("socketTimeout", String.valueOf(Math.max(1, (networkTimeout(s).toMillis() + 999) / 1000)));
            p.setProperty("tcpKeepAlive", "true");
            p.setProperty("cancelSignalTimeout", String.valueOf(connectSeconds));
            p.setProperty("ApplicationName", applicationName(s));
            // a JDBC batch of INSERTs goes to the server as multi-row INSERTs (128 rows a statement at most) instead of
            // one statement per row: Hibernate's batched entity inserts and the demo generator's batches. Batched
            // inserts then report SUCCESS_NO_INFO (-2) per row, which Hibernate accepts for inserts.
            p.setProperty("reWriteBatchedInserts", "true");
            // statements are timed by the server (see Dialect.POSTGRES); operations with another deadline SET LOCAL it
            p.setProperty("options", "-c statement_timeout=" + s.get(Keys.TX_DEFAULT_TIMEOUT).toMillis());
        }
        return p;
    }

    /** How the console's connections appear to DBAs (PostgreSQL {@code application_name}). */
    public static String applicationName(Settings s) {
        String name = "Admin Console (" + s.operator() + ")";
        return name.length() > 63 ? name.substring(0, 63) : name;
    }
}
