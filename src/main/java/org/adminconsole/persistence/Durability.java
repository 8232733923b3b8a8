package org.adminconsole.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.adminconsole.config.DbUrls;
import org.adminconsole.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console promises about saved data, checked where the database file is written, and the size of that
 * file kept in check.
 *
 * <ul>
 *   <li><b>Safe commits</b>: with {@code db.durability=safe} every reported commit is on disk. For an embedded file
 *       the console opens it with {@code WRITE_DELAY=0}; for an H2 server (one the console started with
 *       {@code AUTO_SERVER}, or a {@code tcp:} server started by someone else) the same setting is sent to the
 *       server, which applies it to the whole database. After connecting the console reads the server's value back
 *       and reports a server that still delays commits.</li>
 *   <li><b>Compact file</b>: H2 appends rewritten pages and frees the old ones only later; a file of generated and
 *       bulk-edited users can hold mostly dead space. On close, an embedded file less than half full is rewritten
 *       ({@code SHUTDOWN COMPACT}).</li>
 * </ul>
 */
final class Durability {

    private static final Logger LOG = LoggerFactory.getLogger(Durability.class);
    /** Below this share of live data the file is compacted on close. */
    static final int COMPACT_BELOW_FILL_PERCENT = 50;

    private Durability() {
    }

    /** A warning for the operator when safe commits cannot be promised on this database, else empty. */
    static Optional<String> check(Connection c, Settings s) throws SQLException {
        if (!s.isH2() || !s.durableCommits() || s.dbUrl().startsWith("jdbc:h2:mem:")) {
            return Optional.empty();
        }
        long delay = -1;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            while (rs.next()) {
                delay = Math.max(delay, Long.parseLong(rs.getString(1).trim()));
            }
        }
        if (delay > 0) {
            String where = DbUrls.isH2Server(s.dbUrl()) ? "The H2 server" : "The database";
            return Optional.of(where + " keeps up to " + delay + " ms of commits in memory (WRITE_DELAY=" + delay
                    + "): a crash of the server can lose saves the console reported. Run SET WRITE_DELAY 0 as an admin of "
                    + "the server, or start it with WRITE_DELAY=0.");
        }
        return Optional.empty();
    }

    /**
     * Compacts an embedded H2 file that is less than half full, after every other connection of the console has
     * closed. Never for a server, and never while other consoles use an AUTO_SERVER file (SHUTDOWN COMPACT would
     * close their sessions).
     */
    static void compactOnClose(Settings s) {
        String url = s.dbUrl();
        if (!s.isH2() || !JdbcUrls.isEmbeddedFile(url)) {
            return;
        }
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(JdbcUrls.url(s) + ";IFEXISTS=TRUE",
                JdbcUrls.properties(s, s.dbUser(), s.dbPassword())); Statement st = c.createStatement()) {
            int fill = fillRate(st);
            if (fill < 0 || fill >= COMPACT_BELOW_FILL_PERCENT || otherSessions(st) > 0) {
                return;
            }
            long before = setting(st, "info.FILE_SIZE");
            st.execute("SHUTDOWN COMPACT");
            LOG.info("Compacted the database file on close ({}% live data, {} MB before) in {} ms", fill, before / 1_000_000,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (SQLException e) {
            if (e.getErrorCode() == 90040) {
                LOG.debug("Not compacting on close: login {} has no H2 admin rights (a signed-in operator)", s.dbUser());
                return;
            }
            LOG.warn("Compacting the database file on close failed: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("Compacting the database file on close failed: {}", e.toString());
        }
    }

    /** The share of live data in the file, in percent (-1 when unknown). */
    static int fillRate(Statement st) throws SQLException {
        return (int) setting(st, "info.CHUNKS_FILL_RATE");
    }

    private static long otherSessions(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) - 1 FROM INFORMATION_SCHEMA.SESSIONS")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static long setting(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '" + name + "'")) {
            if (rs.next()) {
                String v = rs.getString(1).replace("%", "").trim();
                try {
                    return (long) Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            return -1;
        }
    }
}
