package org.adminconsole.service.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.adminconsole.persistence.Database;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.audit.AuditInterceptor;
import org.adminconsole.persistence.audit.AuditWriter;
import org.adminconsole.persistence.audit.ChangeSet;
import org.adminconsole.persistence.audit.EntityChange;
import org.adminconsole.service.RefusedException;
import org.adminconsole.service.ValidationException;

/**
 * Operator management (admins only): the console's logins with their role and last sign-in; creating a login with a
 * role and an initial password, changing its role, resetting its password, disabling and enabling it. Every action
 * is one audited change of the login (table {@code console_logins}, entity {@code Login}) in the audit trail.
 *
 * <p>Logins and passwords cannot be statement parameters in {@code CREATE ROLE}/{@code CREATE USER}: a login must match
 * {@link #LOGIN} (checked before any SQL) and is quoted; a password never appears in SQL text (PostgreSQL: hashed with
 * SCRAM-SHA-256 by the driver, {@code PGConnection.alterUserPassword}; H2: a statement parameter).
 *
 * <p>What the databases enforce: PostgreSQL role membership ({@code adminconsole_*}), {@code NOLOGIN} for a disabled
 * login; an admin login gets CREATEROLE and the console roles WITH ADMIN OPTION, so that it can manage operators
 * itself. H2 has no disabled logins: a disabled login loses its role (it can connect but read nothing) and the
 * console refuses its sign-in; an admin is an H2 ADMIN user (H2 lets only those create users).
 */
public final class Operators {

    /** Lower-case letter first, then lower-case letters, digits or underscores; 2 to 40 characters. */
    public static final Pattern LOGIN = Pattern.compile("[a-z][a-z0-9_]{1,39}");
    public static final int MIN_PASSWORD = 8;
    private static final String ACTION = "Managing operators";

    private final Database database;
    private final DataSource ds;
    private final Access access;
    private final boolean postgres;

    public Operators(Database database, Access access) {
        this.database = database;
        this.ds = database.unmonitoredDataSource(); // DDL with logins; passwords never reach the SQL log anyway
        this.access = access;
        this.postgres = database.dialect() == Dialect.POSTGRES;
    }

    /** Every login holding a console role or known to the console (signed in, disabled), by name. */
    public List<OperatorLogin> list() {
        access.require(Role.ADMIN, ACTION);
        Map<String, OperatorLogin> out = new java.util.TreeMap<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            String roles = postgres
                    ? "SELECT r.rolname, (SELECT string_agg(g.rolname, ',') FROM pg_roles g WHERE g.rolname LIKE 'adminconsole\\_%'"
                    + " AND pg_has_role(r.oid, g.oid, 'USAGE')), NOT r.rolcanlogin FROM pg_roles r WHERE r.rolname NOT LIKE 'adminconsole\\_%'"
                    + " AND EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                    + " WHERE m.member = r.oid AND g.rolname LIKE 'adminconsole\\_%')"
                    : "SELECT GRANTEE, GROUP_CONCAT(GRANTEDROLE), FALSE FROM INFORMATION_SCHEMA.RIGHTS WHERE GRANTEETYPE = 'USER'"
                    + " AND GRANTEDROLE LIKE 'ADMINCONSOLE\\_%' GROUP BY GRANTEE";
            try (ResultSet rs = st.executeQuery(roles)) {
                while (rs.next()) {
                    out.put(rs.getString(1), new OperatorLogin(rs.getString(1), highest(rs.getString(2)), rs.getBoolean(3), null, 0));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT login, disabled, disabled_role, last_sign_in, sign_ins FROM console_logins")) {
                while (rs.next()) {
                    String login = rs.getString(1);
                    OperatorLogin known = out.get(login);
                    Role role = known != null ? known.role() : Role.parse(rs.getString(3));
                    if (role == null && !rs.getBoolean(2) && owner(c, login)) {
                        role = Role.ADMIN; // the database's owner (superuser, H2 ADMIN) signs in as admin
                    }
                    boolean disabled = rs.getBoolean(2) || (known != null && known.disabled());
                    java.sql.Timestamp at = rs.getTimestamp(4);
                    out.put(login, new OperatorLogin(login, role, disabled, at == null ? null : at.toLocalDateTime(), rs.getLong(5)));
                }
            }
        } catch (SQLException e) {
            throw new RefusedException("The logins could not be read: " + e.getMessage());
        }
        return List.copyOf(out.values());
    }

    /** Whether the login is the database's owner: PostgreSQL superuser or owner of the schema, H2 user with ADMIN. */
    private boolean owner(Connection c, String login) throws SQLException {
        String sql = postgres
                ? "SELECT r.rolsuper OR EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = current_schema() AND n.nspowner = r.oid)"
                + " FROM pg_roles r WHERE r.rolname = ?"
                : "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, login);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static Role highest(String csv) {
        Role best = null;
        if (csv != null) {
            for (String r : csv.split(",")) {
                Role role = Role.parse(r);
                if (role != null && (best == null || role.includes(best))) {
                    best = role;
                }
            }
        }
        return best;
    }

    /** Creates a login with its role and initial password. */
    public OperatorLogin create(String login, Role role, String password) {
        access.require(Role.ADMIN, ACTION);
        Map<String, String> errors = new LinkedHashMap<>();
        String name = checkLogin(login, errors);
        checkPassword(password, errors);
        if (role == null) {
            errors.put("role", "Choose a role: viewer, operator or admin.");
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        if (exists(name)) {
            throw new ValidationException("login", "A login named " + name + " exists already.");
        }
        run("operators.create", name, c -> {
            try (Statement st = c.createStatement()) {
                if (postgres) {
                    st.execute("CREATE ROLE " + q(name) + " LOGIN");
                    setPassword(c, name, password);
                } else {
                    try (PreparedStatement ps = c.prepareStatement("CREATE USER " + q(name) + " PASSWORD ?")) {
                        ps.setString(1, password);
                        ps.execute();
                    }
                }
                grantRole(st, name, role);
            }
            upsertRow(c, name, false, null, true);
            return List.of(new EntityChange.FieldChange("login", null, name), new EntityChange.FieldChange("role", null, role.label()));
        }, EntityChange.Action.INSERT);
        return find(name);
    }

    /** Gives the login another role (the previous one is taken away). */
    public OperatorLogin changeRole(String login, Role role) {
        access.require(Role.ADMIN, ACTION);
        String name = existing(login);
        if (role == null) {
            throw new ValidationException("role", "Choose a role: viewer, operator or admin.");
        }
        if (name.equalsIgnoreCase(database.settings().dbUser()) && role != Role.ADMIN) {
            throw new RefusedException("You cannot take the admin role from your own login; another admin can.");
        }
        OperatorLogin before = find(name);
        if (before.disabled()) {
            throw new RefusedException("The login " + name + " is disabled; enable it before changing its role.");
        }
        run("operators.role", name, c -> {
            try (Statement st = c.createStatement()) {
                revokeRoles(st, name);
                grantRole(st, name, role);
            }
            return List.of(new EntityChange.FieldChange("role", before.role() == null ? null : before.role().label(), role.label()));
        }, EntityChange.Action.UPDATE);
        return find(name);
    }

    /** Sets a new password (the old one stops working at once; open sessions stay). */
    public OperatorLogin resetPassword(String login, String password) {
        access.require(Role.ADMIN, ACTION);
        String name = existing(login);
        Map<String, String> errors = new LinkedHashMap<>();
        checkPassword(password, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        run("operators.password", name, c -> {
            if (postgres) {
                setPassword(c, name, password);
            } else {
                try (PreparedStatement ps = c.prepareStatement("ALTER USER " + q(name) + " SET PASSWORD ?")) {
                    ps.setString(1, password);
                    ps.execute();
                }
            }
            return List.of(new EntityChange.FieldChange("password", null, "(reset)"));
        }, EntityChange.Action.UPDATE);
        return find(name);
    }

    /** Disables the login: it can no longer sign in (PostgreSQL NOLOGIN; H2: no role and refused by the console). */
    public OperatorLogin disable(String login) {
        access.require(Role.ADMIN, ACTION);
        String name = existing(login);
        if (name.equalsIgnoreCase(database.settings().dbUser())) {
            throw new RefusedException("You cannot disable your own login; another admin can.");
        }
        OperatorLogin before = find(name);
        if (before.disabled()) {
            return before;
        }
        run("operators.disable", name, c -> {
            try (Statement st = c.createStatement()) {
                if (postgres) {
                    st.execute("ALTER ROLE " + q(name) + " NOLOGIN");
                } else {
                    revokeRoles(st, name);
                }
            }
            upsertRow(c, name, true, before.role(), false);
            return List.of(new EntityChange.FieldChange("disabled", "false", "true"));
        }, EntityChange.Action.UPDATE);
        return find(name);
    }

    /** Enables a disabled login again, with the role it had. */
    public OperatorLogin enable(String login) {
        access.require(Role.ADMIN, ACTION);
        String name = existing(login);
        OperatorLogin before = find(name);
        if (!before.disabled()) {
            return before;
        }
        run("operators.enable", name, c -> {
            try (Statement st = c.createStatement()) {
                if (postgres) {
                    st.execute("ALTER ROLE " + q(name) + " LOGIN");
                } else if (before.role() != null) {
                    grantRole(st, name, before.role());
                }
            }
            upsertRow(c, name, false, null, false);
            return List.of(new EntityChange.FieldChange("disabled", "true", "false"));
        }, EntityChange.Action.UPDATE);
        return find(name);
    }

    /** The login as listed, or a refusal when there is none of that name. */
    public OperatorLogin find(String login) {
        String name = dbName(login);
        return list().stream().filter(o -> o.login().equals(name)).findFirst()
                .orElseThrow(() -> new ValidationException("login", "There is no console login named " + login + "."));
    }

    private String existing(String login) {
        Map<String, String> errors = new LinkedHashMap<>();
        String name = checkLogin(login, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return find(login.strip()).login();
    }

    private String checkLogin(String login, Map<String, String> errors) {
        String l = login == null ? "" : login.strip();
        if (l.isEmpty()) {
            errors.put("login", "Type a login name.");
        } else if (!LOGIN.matcher(l).matches()) {
            errors.put("login", "A login is 2 to 40 characters: lower-case letters, digits and _, starting with a letter.");
        } else if (l.startsWith("pg_") || l.startsWith("adminconsole") || l.equals("public") || l.equals("postgres")
                || l.equals("sa") || l.startsWith("admin_console")) {
            errors.put("login", "The name " + l + " is reserved; choose another.");
        }
        return dbName(l);
    }

    private static void checkPassword(String password, Map<String, String> errors) {
        if (password == null || password.length() < MIN_PASSWORD) {
            errors.put("password", "A password needs at least " + MIN_PASSWORD + " characters.");
        } else if (password.length() > 200) {
            errors.put("password", "A password has at most 200 characters.");
        }
    }

    /** How the database spells the login: H2 user names are upper case. */
    private String dbName(String login) {
        String l = login == null ? "" : login.strip();
        return postgres ? l : l.toUpperCase(Locale.ROOT);
    }

    /** A validated login, quoted (it matched {@link #LOGIN}; quoting is a second fence). */
    private static String q(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private boolean exists(String name) {
        String sql = postgres ? "SELECT 1 FROM pg_roles WHERE rolname = ?" : "SELECT 1 FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new RefusedException("The logins could not be read: " + e.getMessage());
        }
    }

    private void setPassword(Connection c, String name, String password) throws SQLException {
        c.unwrap(org.postgresql.PGConnection.class).alterUserPassword(name, password.toCharArray(), "scram-sha-256");
    }

    private void grantRole(Statement st, String name, Role role) throws SQLException {
        if (postgres) {
            if (role == Role.ADMIN) {
                // an admin manages operators too: CREATEROLE, and the roles it may hand out (PostgreSQL 16 asks for ADMIN OPTION)
                st.execute("GRANT adminconsole_viewer, adminconsole_operator, adminconsole_admin TO " + q(name) + " WITH ADMIN OPTION");
                st.execute("ALTER ROLE " + q(name) + " CREATEROLE");
            } else {
                st.execute("GRANT " + role.dbRole() + " TO " + q(name));
            }
        } else {
            st.execute("GRANT " + role.dbRole() + " TO " + q(name));
            if (role == Role.ADMIN) {
                st.execute("ALTER USER " + q(name) + " ADMIN TRUE"); // only H2 admins may create users
            }
        }
    }

    private void revokeRoles(Statement st, String name) throws SQLException {
        if (postgres) {
            st.execute("REVOKE adminconsole_viewer, adminconsole_operator, adminconsole_admin FROM " + q(name));
            st.execute("ALTER ROLE " + q(name) + " NOCREATEROLE");
        } else {
            for (Role r : Role.values()) {
                try (PreparedStatement ps = st.getConnection().prepareStatement(
                        "SELECT 1 FROM INFORMATION_SCHEMA.RIGHTS WHERE GRANTEE = ? AND GRANTEDROLE = ?")) {
                    ps.setString(1, name);
                    ps.setString(2, r.dbRole().toUpperCase(Locale.ROOT));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                    }
                }
                st.execute("REVOKE " + r.dbRole() + " FROM " + q(name));
            }
            st.execute("ALTER USER " + q(name) + " ADMIN FALSE");
        }
    }

    private void upsertRow(Connection c, String name, boolean disabled, Role disabledRole, boolean created) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE console_logins SET disabled = ?, disabled_role = ? WHERE login = ?")) {
            up.setBoolean(1, disabled);
            up.setString(2, disabledRole == null ? null : disabledRole.label());
            up.setString(3, name);
            if (up.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO console_logins (login, disabled, disabled_role, created_at, created_by)"
                + " VALUES (?, ?, ?, ?, ?)")) {
            ins.setString(1, name);
            ins.setBoolean(2, disabled);
            ins.setString(3, disabledRole == null ? null : disabledRole.label());
            ins.setTimestamp(4, created ? java.sql.Timestamp.valueOf(AuditInterceptor.now()) : null);
            ins.setString(5, created ? access.current().login() : null);
            ins.executeUpdate();
        }
    }

    private interface Work {
        List<EntityChange.FieldChange> run(Connection c) throws SQLException;
    }

    /** Runs the DDL and its audit row in one transaction (PostgreSQL; H2 commits DDL as it runs). */
    private void run(String operation, String name, Work work, EntityChange.Action action) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<EntityChange.FieldChange> fields = work.run(c);
                upsertRowIfMissing(c, name);
                long id;
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM console_logins WHERE login = ?")) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                }
                ChangeSet changes = new ChangeSet();
                changes.record(new EntityChange("Login", "console_logins", id, action, fields));
                AuditWriter.write(c, operation, access.current().login(), changes);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RefusedException(refusal(e));
        }
    }

    private void upsertRowIfMissing(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM console_logins WHERE login = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        upsertRow(c, name, false, null, false);
    }

    private static String refusal(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("42501") || e.getErrorCode() == 90040) {
            return "The database refused: your login may not manage logins (PostgreSQL: it needs CREATEROLE; H2: an admin user).";
        }
        return "The database refused the change: " + e.getMessage();
    }
}
