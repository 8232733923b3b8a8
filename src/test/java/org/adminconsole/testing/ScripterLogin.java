package org.adminconsole.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.JdbcUrls;

/**
 * A database login other than the console's, as psql or a script would use: H2 user SCRIPTER, PostgreSQL role
 * admin_console_scripter with rights on the user tables (and table_versions, which every writer of a watched table
 * bumps) but none on audit_log. Its writes are "external" for the audit trail.
 */
public final class ScripterLogin {

    private ScripterLogin() {
    }

    public static String name(Settings s) {
        return s.isH2() ? "SCRIPTER" : "admin_console_scripter";
    }

    public static void prepare(Settings s) throws SQLException {
        try (Connection c = TestDatabases.connect(s); Statement st = c.createStatement()) {
            if (s.isH2()) {
                st.execute("CREATE USER IF NOT EXISTS SCRIPTER PASSWORD 'scripter' ADMIN");
                return;
            }
            String schema;
            try (ResultSet rs = st.executeQuery("SELECT current_schema()")) {
                rs.next();
                schema = rs.getString(1);
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'admin_console_scripter') THEN"
                            + " CREATE ROLE admin_console_scripter LOGIN; END IF; END $$");
                    break;
                } catch (SQLException e) {
                    if (attempt > 5) {
                        throw e;
                    }
                }
            }
            st.execute("GRANT USAGE ON SCHEMA " + schema + " TO admin_console_scripter");
            st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON users, user_departments, departments TO admin_console_scripter");
            st.execute("GRANT SELECT, UPDATE ON table_versions TO admin_console_scripter");
            st.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + schema + " TO admin_console_scripter");
        }
    }

    public static Connection connect(Settings s) throws SQLException {
        return DriverManager.getConnection(JdbcUrls.url(s), JdbcUrls.properties(s, name(s), s.isH2() ? "scripter" : ""));
    }

    /** One statement in auto-commit mode, as psql runs it; returns the update count. */
    public static int update(Settings s, String sql, Object... params) throws SQLException {
        try (Connection c = connect(s); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }
}
