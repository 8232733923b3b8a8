package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 3: a case-insensitive, indexable username for the Users search (prefix over email or username).
 * {@code username_key = lower(username)} as a generated column with an index, because H2 has no expression
 * indexes. The DDL differs per database (PostgreSQL needs STORED, and {@code varchar_pattern_ops} so that
 * {@code LIKE 'prefix%'} can use the index under any collation), hence a Java migration in one location
 * instead of per-vendor SQL folders (Flyway scans db/migration recursively).
 */
public class V31__User_search_keys extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        try (Statement st = c.createStatement()) {
            if (postgres) {
                st.execute("ALTER TABLE users ADD COLUMN username_key VARCHAR(64) GENERATED ALWAYS AS (LOWER(username)) STORED");
                st.execute("CREATE INDEX ix_users_username_key ON users (username_key varchar_pattern_ops, id)");
                st.execute("CREATE INDEX ix_users_email_key_pattern ON users (email_key varchar_pattern_ops, id)");
            } else {
                st.execute("ALTER TABLE users ADD COLUMN username_key VARCHAR(64) GENERATED ALWAYS AS (LOWER(username))");
                st.execute("CREATE INDEX ix_users_username_key ON users (username_key, id)");
            }
        }
    }
}
