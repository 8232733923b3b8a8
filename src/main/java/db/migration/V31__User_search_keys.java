package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.adminconsole.persistence.Dialect;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 3: a case-insensitive, indexable username for the Users search (prefix over email or username).
 * {@code username_key = lower(username)} as a generated column with an index, because H2 has no expression
 * indexes. The DDL differs per database (PostgreSQL needs STORED, and {@code varchar_pattern_ops} so that
 * {@code LIKE 'prefix%'} can use the index under any collation); the {@link Dialect} says how. It stays a Java
 * migration because databases in use have already applied it as one (Flyway checks the migration type).
 */
public class V31__User_search_keys extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        Dialect d = Dialect.of(c);
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE users ADD COLUMN username_key VARCHAR(64) GENERATED ALWAYS AS (LOWER(username))"
                    + d.generatedColumnStorage());
            st.execute("CREATE INDEX ix_users_username_key ON users (username_key" + d.prefixPatternOps() + ", id)");
            if (!d.prefixPatternOps().isEmpty()) {
                // the plain email_key index (V30) cannot serve LIKE 'prefix%' under a non-C collation
                st.execute("CREATE INDEX ix_users_email_key_pattern ON users (email_key" + d.prefixPatternOps() + ", id)");
            }
        }
    }
}
