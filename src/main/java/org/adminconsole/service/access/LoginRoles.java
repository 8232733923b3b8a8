package org.adminconsole.service.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.Transactions;

/**
 * The role of the console's database login, read from the database: the highest of the three console roles it is a
 * member of (directly or through another role). A login that is a member of none is the console's owner as before
 * issue 15 (ADMIN) when it may read users' emails (PostgreSQL: the column right), else a VIEWER. A PostgreSQL superuser
 * and an H2 admin are ADMIN.
 */
public final class LoginRoles {

    private LoginRoles() {
    }

    public static SignedIn read(Transactions tx, Dialect dialect) {
        return tx.read("access.role", s -> s.doReturningWork(c -> dialect == Dialect.POSTGRES ? postgres(c) : h2(c)));
    }

    private static SignedIn postgres(Connection c) throws SQLException {
        String login;
        boolean owner;
        Set<String> member = new HashSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user, r.rolsuper, has_column_privilege('users', 'email', 'SELECT')"
                     + " FROM pg_roles r WHERE r.rolname = current_user")) {
            rs.next();
            login = rs.getString(1);
            if (rs.getBoolean(2)) {
                return new SignedIn(login, Role.ADMIN); // a superuser is a member of every role
            }
            owner = rs.getBoolean(3);
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT r.rolname FROM pg_roles r WHERE r.rolname IN ('adminconsole_viewer',"
                     + " 'adminconsole_operator', 'adminconsole_admin') AND pg_has_role(current_user, r.oid, 'MEMBER')")) {
            while (rs.next()) {
                member.add(rs.getString(1));
            }
        }
        return new SignedIn(login, highest(member, owner));
    }

    private static SignedIn h2(Connection c) throws SQLException {
        String login;
        boolean admin;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT CURRENT_USER, (SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = CURRENT_USER)")) {
            rs.next();
            login = rs.getString(1);
            admin = rs.getBoolean(2);
        }
        if (admin) {
            return new SignedIn(login, Role.ADMIN);
        }
        // roles granted to the login, and to those roles, and so on
        Set<String> member = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(login);
        try (PreparedStatement ps = c.prepareStatement("SELECT GRANTEDROLE FROM INFORMATION_SCHEMA.RIGHTS"
                + " WHERE GRANTEE = ? AND GRANTEDROLE IS NOT NULL")) {
            while (!todo.isEmpty()) {
                ps.setString(1, todo.pop());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String role = rs.getString(1);
                        if (member.add(role.toLowerCase(Locale.ROOT))) {
                            todo.add(role);
                        }
                    }
                }
            }
        }
        return new SignedIn(login, highest(member, admin));
    }

    static Role highest(Set<String> member, boolean owner) {
        for (Role r : new Role[] {Role.ADMIN, Role.OPERATOR, Role.VIEWER}) {
            if (member.contains(r.dbRole())) {
                return r;
            }
        }
        return owner ? Role.ADMIN : Role.VIEWER;
    }
}
