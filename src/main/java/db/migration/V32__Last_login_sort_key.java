package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.adminconsole.persistence.Dialect;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 3: sorting users by last login (nulls = never = oldest) with an index. Keyset pagination needs a
 * non-null sort key, so {@code last_login_key = COALESCE(last_login, 1970-01-01)} as a generated column with
 * an index on (last_login_key, id); it replaces V30's index on the nullable column. Per-database DDL
 * (PostgreSQL needs STORED), hence Java.
 */
public class V32__Last_login_sort_key extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        Dialect dialect = Dialect.of(c);
        String expr = "COALESCE(last_login, TIMESTAMP '1970-01-01 00:00:00')";
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE users ADD COLUMN last_login_key TIMESTAMP GENERATED ALWAYS AS (" + expr + ")"
                    + dialect.generatedColumnStorage());
            st.execute("CREATE INDEX ix_users_last_login_key ON users (last_login_key, id)");
            st.execute("DROP INDEX ix_users_last_login");
        }
    }
}
