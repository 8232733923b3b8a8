package db.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.adminconsole.persistence.Database;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * H2 moves a table's Java triggers to the copy an {@code ALTER TABLE … ADD COLUMN} builds, and each keeps that copy's
 * name until the database closes (V63). Every migration that alters {@code users} must re-create its triggers; V130
 * (the over-quota column) first did not, and a write from outside the console no longer bumped the users' table
 * version, so no console saw it (found by FiguresFollowFxTest). Here, in the same opening of the database as the
 * migrations, as on every first start: a plain JDBC write to users fires all three triggers.
 */
class H2UsersTriggersTest {

    @Test
    void inTheOpeningThatMigratedAnOutsideWriteToUsersFiresEveryTrigger() throws Exception {
        try (Database db = Database.open(TestDatabases.h2(TestDatabases.tempDir("h2-users-triggers"), Map.of()));
             Connection c = db.unmonitoredDataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            long before = usersVersion(st);
            st.executeUpdate("INSERT INTO users (email, email_key, username, role, active, quota, usage_amount, created_at,"
                    + " updated_at, created_by, updated_by, version) VALUES ('Outside.Writer@Example.org', 'outside.writer@example.org',"
                    + " 'outsider', 'USER', TRUE, 10, 20, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'psql', 'psql', 0)");
            long id = single(st, "SELECT id FROM users WHERE email_key = 'outside.writer@example.org'");
            // the table version (TableVersionTrigger): every console's caches learn of the write
            assertThat(usersVersion(st)).as("users' table version").isGreaterThan(before);
            // the external-write audit (ExternalAuditTrigger), with the fields it read by their names
            assertThat(single(st, "SELECT COUNT(*) FROM audit_log WHERE entity_id = " + id + " AND source = 'external'")).isEqualTo(1);
            assertThat(single(st, "SELECT COUNT(*) FROM audit_changes c JOIN audit_log l ON l.id = c.audit_id WHERE l.entity_id = " + id
                    + " AND c.field = 'email' AND c.new_value = 'Outside.Writer@Example.org'")).isEqualTo(1);
            // the search windows (UserSearchGrams): the new user is found inside its email
            assertThat(single(st, "SELECT COUNT(*) FROM user_search_grams WHERE user_id = " + id + " AND gram LIKE 'writer%'")).isPositive();
            // and the generated column V130 added follows the row
            assertThat(single(st, "SELECT COUNT(*) FROM users WHERE id = " + id + " AND over_quota")).isEqualTo(1);
            long afterInsert = usersVersion(st);
            st.executeUpdate("UPDATE users SET usage_amount = 0 WHERE id = " + id);
            assertThat(usersVersion(st)).isGreaterThan(afterInsert);
            assertThat(single(st, "SELECT COUNT(*) FROM users WHERE id = " + id + " AND over_quota")).isZero();
        }
    }

    private static long usersVersion(Statement st) throws SQLException {
        return single(st, "SELECT version FROM table_versions WHERE table_name = 'users'");
    }

    private static long single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
