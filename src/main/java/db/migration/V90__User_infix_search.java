package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.UserSearchGrams;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 16: the Users search finds text inside email and username, served by an index on both databases.
 * <ul>
 *   <li>PostgreSQL: {@code pg_trgm} GIN indexes on {@code email_key} and {@code username_key}, which serve
 *       {@code LIKE '%text%'}. The extension is created in schema {@code public} (else the current schema) when it is
 *       not there yet, so that a console's schema being dropped never takes it away from the others. Where the
 *       extension cannot be created (not installed on the server, or no right to create it), the migration logs why
 *       and goes on without the indexes: the search still works, by scanning. Creating the indexes later is enough
 *       to make it fast (see README, Users search).</li>
 *   <li>H2 (no trigram index): the table {@code user_search_grams}, filled here for the existing users and kept by a
 *       row trigger for every writer ({@link UserSearchGrams}).</li>
 * </ul>
 * A Java migration because both the DDL and the fill differ per database and the fill is computed in Java.
 */
public class V90__User_infix_search extends BaseJavaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(V90__User_infix_search.class);

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        if (Dialect.of(c) == Dialect.POSTGRES) {
            postgres(c);
        } else {
            h2(c);
        }
    }

    private static void postgres(Connection c) throws SQLException {
        String schema = trigramSchema(c);
        if (schema == null) {
            return;
        }
        String ops = quote(schema) + ".gin_trgm_ops";
        try (Statement st = c.createStatement()) {
            st.execute("CREATE INDEX ix_users_email_key_trgm ON users USING gin (email_key " + ops + ")");
            st.execute("CREATE INDEX ix_users_username_key_trgm ON users USING gin (username_key " + ops + ")");
        }
    }

    /** The schema holding pg_trgm, created if need be; null (logged) when it cannot be had. */
    static String trigramSchema(Connection c) throws SQLException {
        String have = extensionSchema(c);
        if (have != null) {
            return have;
        }
        SQLException last = null;
        for (String target : new String[] {"public", null}) {
            Savepoint sp = c.setSavepoint();
            try (Statement st = c.createStatement()) {
                st.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm" + (target == null ? "" : " SCHEMA " + target));
                c.releaseSavepoint(sp);
                return extensionSchema(c);
            } catch (SQLException e) {
                c.rollback(sp);
                last = e;
                have = extensionSchema(c); // another console may have created it at the same moment
                if (have != null) {
                    return have;
                }
            }
        }
        LOG.warn("The PostgreSQL extension pg_trgm could not be created ({}): the Users search inside email and username"
                + " works without an index (it scans the users table). To make it fast, have a superuser run"
                + " CREATE EXTENSION pg_trgm and create the indexes named in the README (Users search).",
                last == null ? "unknown reason" : last.getMessage());
        return null;
    }

    private static String extensionSchema(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT n.nspname FROM pg_extension e"
                + " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static void h2(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE user_search_grams (gram VARCHAR(" + UserSearchGrams.WINDOW + ") NOT NULL,"
                    + " user_id BIGINT NOT NULL, PRIMARY KEY (gram, user_id))");
        }
        // the users there already (a new database has none; the trigger takes every later write)
        try (Statement read = c.createStatement(); ResultSet rs = read.executeQuery("SELECT id, email_key, username FROM users");
             PreparedStatement insert = c.prepareStatement(UserSearchGrams.INSERT)) {
            while (rs.next()) {
                UserSearchGrams.write(insert, rs.getLong(1), UserSearchGrams.windows(rs.getString(2), rs.getString(3)));
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TRIGGER users_search_grams AFTER INSERT, UPDATE, DELETE ON users FOR EACH ROW"
                    + " CALL \"" + UserSearchGrams.class.getName() + "\"");
        }
    }
}
