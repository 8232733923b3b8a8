package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.adminconsole.persistence.Dialect;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 15 item 2: the three database roles of the console and their rights on this schema. Each includes the one
 * before it (role membership on both databases):
 * <ul>
 *   <li>{@code adminconsole_viewer}: SELECT on every table of the schema (and on tables created later by the same
 *       owner: PostgreSQL default privileges, H2 a schema-wide right); writes only its own sign-in row
 *       ({@code console_logins}: on PostgreSQL through the SECURITY DEFINER function
 *       {@code adminconsole_signed_in()}, on H2, which has no such functions, by a right on that table);</li>
 *   <li>{@code adminconsole_operator}: INSERT and UPDATE of users, departments, their links (and DELETE of links), the
 *       audit tables and the table versions, the sequences; no DELETE of users or departments, no {@code app_meta}
 *       (demo data);</li>
 *   <li>{@code adminconsole_admin}: every right on every table and sequence of the schema.</li>
 * </ul>
 * Idempotent: PostgreSQL roles belong to the whole cluster and every console schema (every test class) runs this in
 * the same cluster, maybe at the same time, so roles are created if they do not exist yet (a concurrent creation is
 * fine) and the rights are granted per schema. Creating the roles needs CREATEROLE (or a superuser who ran
 * {@code db/roles/console-roles.sql} first).
 */
public class V111__Console_roles extends BaseJavaMigration {

    public static final List<String> ROLES = List.of("adminconsole_viewer", "adminconsole_operator", "adminconsole_admin");
    static final String OPERATOR_WRITES = "users, departments, user_departments, audit_log, audit_changes, table_versions";

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
        try (Statement st = c.createStatement()) {
            for (String role : ROLES) {
                st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN"
                        + " CREATE ROLE " + role + " NOLOGIN; END IF;"
                        + " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
            }
            for (int i = 1; i < ROLES.size(); i++) {
                String member = ROLES.get(i);
                String of = ROLES.get(i - 1);
                st.execute("DO $$ BEGIN IF NOT pg_has_role('" + member + "', '" + of + "', 'MEMBER') THEN"
                        + " GRANT " + of + " TO " + member + "; END IF;"
                        + " EXCEPTION WHEN OTHERS THEN NULL; END $$");
                try (ResultSet rs = st.executeQuery("SELECT pg_has_role('" + member + "', '" + of + "', 'MEMBER')")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw new SQLException(member + " could not be made a member of " + of);
                    }
                }
            }
            String schema;
            try (ResultSet rs = st.executeQuery("SELECT current_schema()")) {
                rs.next();
                schema = quotePg(rs.getString(1));
            }
            st.execute("GRANT USAGE ON SCHEMA " + schema + " TO adminconsole_viewer");
            st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO adminconsole_viewer");
            // reading a sequence (not advancing it): Hibernate's schema validation sees only sequences the login may use
            st.execute("GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO adminconsole_viewer");
            st.execute("GRANT SELECT, INSERT, UPDATE ON " + OPERATOR_WRITES + " TO adminconsole_operator");
            st.execute("GRANT DELETE ON user_departments TO adminconsole_operator");
            st.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO adminconsole_operator");
            st.execute("GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA " + schema + " TO adminconsole_admin");
            st.execute("GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA " + schema + " TO adminconsole_admin");
            st.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT SELECT ON TABLES TO adminconsole_viewer");
            st.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT SELECT ON SEQUENCES TO adminconsole_viewer");
            st.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT ALL PRIVILEGES ON TABLES TO adminconsole_admin");
            st.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT ALL PRIVILEGES ON SEQUENCES TO adminconsole_admin");
            // the one write of every role: its own sign-in (session_user, never a name passed in)
            st.execute("CREATE OR REPLACE FUNCTION adminconsole_signed_in() RETURNS void LANGUAGE sql SECURITY DEFINER"
                    + " SET search_path = " + schema + " AS $$"
                    + " INSERT INTO console_logins (login, last_sign_in, sign_ins) VALUES (session_user, LOCALTIMESTAMP, 1)"
                    + " ON CONFLICT (login) DO UPDATE SET last_sign_in = LOCALTIMESTAMP,"
                    + " sign_ins = console_logins.sign_ins + 1 $$");
            st.execute("REVOKE ALL ON FUNCTION adminconsole_signed_in() FROM PUBLIC");
            st.execute("GRANT EXECUTE ON FUNCTION adminconsole_signed_in() TO adminconsole_viewer");
        }
    }

    private static void h2(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String role : ROLES) {
                st.execute("CREATE ROLE IF NOT EXISTS " + role);
            }
            for (int i = 1; i < ROLES.size(); i++) {
                if (!h2Granted(c, ROLES.get(i), ROLES.get(i - 1))) {
                    st.execute("GRANT " + ROLES.get(i - 1) + " TO " + ROLES.get(i));
                }
            }
            String schema;
            try (ResultSet rs = st.executeQuery("SELECT CURRENT_SCHEMA")) {
                rs.next();
                schema = "\"" + rs.getString(1).replace("\"", "\"\"") + "\"";
            }
            st.execute("GRANT SELECT ON SCHEMA " + schema + " TO adminconsole_viewer");
            st.execute("GRANT INSERT, UPDATE ON console_logins TO adminconsole_viewer");
            // a disabled login keeps no role, yet its sign-in must be told it is disabled (not "no role")
            st.execute("GRANT SELECT ON console_logins TO PUBLIC");
            st.execute("GRANT SELECT, INSERT, UPDATE ON " + OPERATOR_WRITES + ", user_search_grams TO adminconsole_operator");
            st.execute("GRANT DELETE ON user_departments, user_search_grams TO adminconsole_operator");
            st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA " + schema + " TO adminconsole_admin");
        }
    }

    private static boolean h2Granted(Connection c, String grantee, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM INFORMATION_SCHEMA.RIGHTS WHERE GRANTEE = ? AND GRANTEDROLE = ?")) {
            ps.setString(1, grantee.toUpperCase(Locale.ROOT));
            ps.setString(2, role.toUpperCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String quotePg(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
