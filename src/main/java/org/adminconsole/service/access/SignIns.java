package org.adminconsole.service.access;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.adminconsole.config.DbUrls;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.Database;
import org.adminconsole.persistence.JdbcUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in: whether this database needs a sign-in at all, checking a login and password against it (one plain
 * connection, closed again) and reading the login's role from the database's own catalog.
 *
 * <p>A shared database (PostgreSQL, an H2 server, an H2 file with {@code AUTO_SERVER}) asks who is signing in, unless
 * {@code db.password} is configured (a service login, automation). The embedded H2 file of one operator opens as its
 * owner, without a dialog.
 *
 * <p>The role: the database's owner (PostgreSQL superuser or owner of the console's schema, H2 user with ADMIN) is
 * admin; otherwise the highest of the console roles the login holds ({@link Role#dbRole()}). A login holding none is
 * refused.
 */
public final class SignIns {

    private static final Logger LOG = LoggerFactory.getLogger(SignIns.class);
    /** The last login signed in on this data folder (never the password), to prefill the dialog. */
    static final String LAST_LOGIN_FILE = "last-login";

    private SignIns() {
    }

    /** Whether opening these settings starts with the sign-in dialog. */
    public static boolean needsSignIn(Settings s) {
        String url = s.dbUrl();
        boolean shared = DbUrls.isPostgres(url) || DbUrls.isH2Server(url) || DbUrls.isH2AutoServer(url);
        return shared && s.origin(Keys.DB_PASSWORD.key()).equals("default");
    }

    /** The settings of a console signed in as {@code login}: the pool connects as it, the audit trail names it. */
    public static Settings as(Settings s, String login, String password) {
        return s.with(Map.of(Keys.DB_USER.key(), login, Keys.DB_PASSWORD.key(), password, Keys.OPERATOR.key(), login));
    }

    /**
     * Checks the login and password against the database and reads the role. Throws {@link SignInException} with one
     * sentence for a wrong password, a disabled login, a login without a console role, or an unreachable database.
     */
    public static SignedIn check(Settings s, String login, String password) {
        if (login == null || login.isBlank()) {
            throw new SignInException(SignInException.Kind.EMPTY, "Type your login.", null);
        }
        String name = login.strip();
        Settings as = as(s, name, password == null ? "" : password);
        try (Connection c = DriverManager.getConnection(JdbcUrls.signInUrl(as), JdbcUrls.properties(as, name, as.dbPassword()))) {
            if (disabled(c)) {
                throw disabledLogin(name);
            }
            Role role = detect(c);
            if (role == null) {
                throw new SignInException(SignInException.Kind.NO_ROLE, "The login " + name + " has no Admin Console role"
                        + " (viewer, operator or admin). Ask an admin to give it one.", null);
            }
            return new SignedIn(name, role);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String message = String.valueOf(e.getMessage());
            if (message.contains("not permitted to log in")) {
                throw disabledLogin(name);
            }
            if (state.equals("28P01") || state.equals("28000") || e.getErrorCode() == 28000) {
                throw new SignInException(SignInException.Kind.WRONG_PASSWORD, "Wrong login or password. Try again.", e);
            }
            throw new SignInException(SignInException.Kind.UNAVAILABLE, Database.explain(e, as).getMessage(), e);
        }
    }

    private static SignInException disabledLogin(String name) {
        return new SignInException(SignInException.Kind.DISABLED,
                "The login " + name + " is disabled. Ask an admin to enable it again.", null);
    }

    /** Whether an admin disabled this login (the console's own record; H2 has no disabled logins of its own). */
    static boolean disabled(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT disabled FROM console_logins WHERE login = " + currentUser(c))) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            return false; // no such table yet (a database before V110): nothing was disabled
        }
    }

    private static String currentUser(Connection c) throws SQLException {
        return isPostgres(c) ? "session_user" : "CURRENT_USER";
    }

    private static boolean isPostgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }

    /** The role of the connection's login as the database grants it, or null when it holds no console role. */
    public static Role detect(Connection c) throws SQLException {
        if (isPostgres(c)) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
                            + " OR COALESCE((SELECT pg_has_role(current_user, nspowner, 'USAGE') FROM pg_namespace"
                            + " WHERE nspname = current_schema()), false),"
                            + " (SELECT string_agg(rolname, ',') FROM pg_roles WHERE rolname IN ('adminconsole_viewer',"
                            + " 'adminconsole_operator', 'adminconsole_admin') AND pg_has_role(current_user, oid, 'USAGE'))")) {
                rs.next();
                return rs.getBoolean(1) ? Role.ADMIN : highest(rs.getString(2));
            }
        }
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = CURRENT_USER")) {
                if (rs.next() && rs.getBoolean(1)) {
                    return Role.ADMIN;
                }
            }
        }
        // H2 shows a user without ADMIN nothing of its roles (INFORMATION_SCHEMA.RIGHTS is empty for it): its rights are
        // tried instead, with statements that change no row, on tables without triggers
        if (allowed(c, "DELETE FROM app_meta WHERE 1 = 0")) {
            return Role.ADMIN;
        }
        if (allowed(c, "UPDATE audit_changes SET seq = seq WHERE 1 = 0")) {
            return Role.OPERATOR;
        }
        return allowed(c, "SELECT 1 FROM app_meta WHERE 1 = 0") ? Role.VIEWER : null;
    }

    private static boolean allowed(Connection c, String probe) {
        try (Statement st = c.createStatement()) {
            st.execute(probe);
            return true;
        } catch (SQLException e) {
            return false; // 90096 not enough rights (or no such table yet)
        }
    }

    private static Role highest(String roles) {
        Role best = null;
        if (roles != null) {
            for (String r : roles.split(",")) {
                Role role = Role.parse(r);
                if (role != null && (best == null || role.includes(best))) {
                    best = role;
                }
            }
        }
        return best;
    }

    /** Writes the login's sign-in (time, count) to {@code console_logins}; a failure is logged, never fatal. */
    public static void recordSignIn(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            if (isPostgres(c)) {
                st.execute("SELECT adminconsole_signed_in()");
            } else if (st.executeUpdate("UPDATE console_logins SET last_sign_in = LOCALTIMESTAMP, sign_ins = sign_ins + 1"
                    + " WHERE login = CURRENT_USER") == 0) {
                st.executeUpdate("INSERT INTO console_logins (login, last_sign_in, sign_ins) VALUES (CURRENT_USER, LOCALTIMESTAMP, 1)");
            }
        } catch (SQLException e) {
            LOG.warn("Recording the sign-in failed: {}", e.getMessage());
        }
    }

    /** The login signed in last on this data folder, for the dialog (empty when none). */
    public static String lastLogin(Settings s) {
        Path f = s.dataDir().resolve(LAST_LOGIN_FILE);
        try {
            return Files.isRegularFile(f) ? Files.readString(f).strip() : "";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /** Remembers the login (never the password) for the next sign-in's dialog. */
    public static void rememberLogin(Settings s, String login) {
        try {
            Settings.writePrivate(s.dataDir().resolve(LAST_LOGIN_FILE), login + "\n");
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debug("Remembering the login failed: {}", e.toString());
        }
    }

    /**
     * Who the opened database's pool is signed in as (at start and after a new sign-in): the operator name of these
     * settings and the role the database gives the pool's login. Records the sign-in. Throws {@link SignInException}
     * when the login holds no console role (never assumes one).
     */
    public static SignedIn signedIn(Settings s, DataSource ds) {
        Role role;
        try (Connection c = ds.getConnection()) {
            if (disabled(c)) {
                throw disabledLogin(s.dbUser());
            }
            role = detect(c);
        } catch (SQLException e) {
            throw new SignInException(SignInException.Kind.UNAVAILABLE,
                    "The console could not read the role of login " + s.dbUser() + ": " + e.getMessage(), e);
        }
        if (role == null) {
            throw new SignInException(SignInException.Kind.NO_ROLE, "The login " + s.dbUser() + " has no Admin Console role"
                    + " (viewer, operator or admin). Ask an admin to give it one.", null);
        }
        recordSignIn(ds);
        return new SignedIn(s.operator(), role);
    }
}
