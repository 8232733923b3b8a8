package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an H2 user can really do, read from {@code INFORMATION_SCHEMA} as an admin (a non-admin sees no rights at all):
 * ADMIN, rights beyond SELECT, roles, schemas it owns, and write rights of PUBLIC (which every user has).
 */
final class H2Rights {

    private H2Rights() {
    }

    /** Gives {@code user} SELECT on every schema it has no SELECT on yet (no write when nothing is missing). */
    static void grantSchemas(Connection admin, String user) throws SQLException {
        Set<String> granted = new HashSet<>();
        try (PreparedStatement ps = admin.prepareStatement("SELECT TABLE_SCHEMA FROM INFORMATION_SCHEMA.RIGHTS WHERE GRANTEE = ?"
                + " AND RIGHTS = 'SELECT' AND (TABLE_NAME IS NULL OR TABLE_NAME = '')")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    granted.add(rs.getString(1));
                }
            }
        }
        List<String> schemas = new ArrayList<>();
        try (Statement st = admin.createStatement();
             ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME <> 'INFORMATION_SCHEMA'")) {
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
        }
        try (Statement st = admin.createStatement()) {
            for (String s : schemas) {
                if (!granted.contains(s)) {
                    st.execute("GRANT SELECT ON SCHEMA \"" + s.replace("\"", "\"\"") + "\" TO " + user);
                }
            }
        }
    }

    /** Everything the user (upper case) can do beyond SELECT, in words; empty when it can only read. */
    static List<String> problems(Connection admin, String user) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement("SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    problems.add("does not exist");
                    return problems;
                }
                if (rs.getBoolean(1)) {
                    problems.add("has ADMIN rights");
                }
            }
        }
        problems.addAll(rights(admin, user, ""));
        try (PreparedStatement ps = admin.prepareStatement("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_OWNER = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    problems.add("owns schema " + rs.getString(1));
                }
            }
        }
        problems.addAll(publicProblems(admin));
        return problems;
    }

    static List<String> publicProblems(Connection admin) throws SQLException {
        return rights(admin, "PUBLIC", "PUBLIC ");
    }

    private static List<String> rights(Connection admin, String grantee, String prefix) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement("SELECT GRANTEDROLE, RIGHTS, TABLE_SCHEMA, TABLE_NAME"
                + " FROM INFORMATION_SCHEMA.RIGHTS WHERE GRANTEE = ?")) {
            ps.setString(1, grantee);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String role = rs.getString(1);
                    String rights = rs.getString(2);
                    String object = rs.getString(3) + (rs.getString(4) == null || rs.getString(4).isEmpty() ? "" : "." + rs.getString(4));
                    if (role != null) {
                        problems.add(prefix + "has the role " + role);
                    } else if (rights != null && !rights.strip().equalsIgnoreCase("SELECT")) {
                        problems.add(prefix + "has " + rights + " on " + object);
                    }
                }
            }
        }
        return problems;
    }
}
