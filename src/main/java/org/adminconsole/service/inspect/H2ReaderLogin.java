package org.adminconsole.service.inspect;

import java.io.StringReader;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.Database;
import org.h2.util.ScriptReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 reader: by default the built-in user {@value #MANAGED}, which the console creates and manages itself (SELECT
 * on every schema, nothing else, a fresh random password per process); or the login named by {@code sql.user}.
 *
 * <p>Before every connection its real rights are read from {@code INFORMATION_SCHEMA} as the console's own (admin)
 * login: a managed user with more than SELECT (ADMIN, another right, a role, a schema of its own) is dropped and
 * created again; a configured one is refused. Rights granted to PUBLIC apply to every user, so any write right of
 * PUBLIC is refused too.
 *
 * <p>What H2 rights do not cover (SELECT … FOR UPDATE, sequences, aliases, which run Java code with no rights check)
 * is refused by {@link QueryGate} and {@link #deniedFunctions}.
 */
final class H2ReaderLogin implements ReaderLogin {

    private static final Logger LOG = LoggerFactory.getLogger(H2ReaderLogin.class);
    static final String MANAGED = "ADMINCONSOLE_READER";

    private final Database database;
    private final Settings settings;
    /** The managed user's password as set by this process (null until set). */
    private String password;

    H2ReaderLogin(Database database) {
        this.database = database;
        this.settings = database.settings();
    }

    @Override
    public String name() {
        String configured = settings.get(Keys.SQL_USER).strip();
        return configured.isEmpty() ? MANAGED : configured;
    }

    @Override
    public java.time.Duration statementTimeout(java.time.Duration requested) {
        if (!org.adminconsole.config.DbUrls.isH2Server(settings.dbUrl())) {
            return requested;
        }
        java.time.Duration network = org.adminconsole.persistence.JdbcUrls.networkTimeout(settings).minusSeconds(1);
        return requested.compareTo(network) <= 0 ? requested : java.time.Duration.ofSeconds(Math.max(1, network.toSeconds()));
    }

    @Override
    public synchronized Connection connect() throws SQLException, ReaderRefusedException {
        String configured = settings.get(Keys.SQL_USER).strip();
        if (!configured.isEmpty()) {
            if (configured.equalsIgnoreCase(settings.dbUser())) {
                throw new ReaderRefusedException("sql.user '" + configured + "' is the console's own login (db.user), which"
                        + " can change everything. Leave sql.user empty on H2 (the console then manages its own read-only user "
                        + MANAGED + ") or name a user with SELECT rights only.");
            }
            try (Connection admin = adminConnection()) {
                List<String> problems = H2Rights.problems(admin, configured.toUpperCase(Locale.ROOT));
                if (!problems.isEmpty()) {
                    throw new ReaderRefusedException("The H2 user '" + configured + "' (sql.user) can do more than read: "
                            + String.join("; ", problems) + ". Give it SELECT only, or leave sql.user empty so that the console"
                            + " manages its own read-only user.");
                }
            }
            return database.openDirect(configured, settings.get(Keys.SQL_PASSWORD), true);
        }
        if (!consoleLoginIsAdmin()) {
            // a shared H2 signed in as a login without ADMIN cannot manage the reader; a viewer's own login can only read
            // (its database role), so the SQL console runs as that login
            if (viewerLogin()) {
                return database.openDirect(settings.dbUser(), settings.dbPassword(), true);
            }
            throw new ReaderRefusedException("On a shared H2 database the SQL console runs for admins (who manage its"
                    + " read-only user " + MANAGED + ") and viewers (whose login can only read). Sign in as one of them, or"
                    + " set sql.user to an H2 user with SELECT rights only.");
        }
        try (Connection admin = adminConnection()) {
            ensureManaged(admin, false);
        }
        try {
            return database.openDirect(MANAGED, password, true);
        } catch (SQLException e) {
            if (e.getErrorCode() != 28000) {
                throw e;
            }
            // another console sharing this database (AUTO_SERVER) gave the user a new password: set ours again
            try (Connection admin = adminConnection()) {
                ensureManaged(admin, true);
            }
            return database.openDirect(MANAGED, password, true);
        }
    }

    private boolean consoleLoginIsAdmin() throws SQLException {
        try (Connection c = database.unmonitoredDataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = CURRENT_USER")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private boolean viewerLogin() throws SQLException {
        try (Connection c = database.unmonitoredDataSource().getConnection()) {
            return org.adminconsole.service.access.SignIns.detect(c) == org.adminconsole.service.access.Role.VIEWER;
        }
    }

    private Connection adminConnection() throws SQLException, ReaderRefusedException {
        Connection c = database.unmonitoredDataSource().getConnection();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = CURRENT_USER")) {
            if (!rs.next() || !rs.getBoolean(1)) {
                throw new ReaderRefusedException("The SQL console needs admin rights for db.user '" + settings.dbUser()
                        + "' on H2, to check and manage its read-only user " + MANAGED + ".");
            }
            return c;
        } catch (SQLException | ReaderRefusedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Checks the managed user's rights and (re)creates it, gives it a password and SELECT on every schema. */
    private void ensureManaged(Connection admin, boolean newPassword) throws SQLException, ReaderRefusedException {
        boolean exists;
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = ?")) {
            ps.setString(1, MANAGED);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        if (exists) {
            List<String> problems = H2Rights.problems(admin, MANAGED);
            if (problems.stream().anyMatch(p -> p.startsWith("owns"))) {
                throw new ReaderRefusedException("The H2 user " + MANAGED + " " + String.join("; ", problems)
                        + ": the console cannot re-create it. Drop that schema or give it another owner.");
            }
            if (problems.stream().anyMatch(p -> p.startsWith("PUBLIC"))) {
                throw new ReaderRefusedException("Every H2 user can write here: " + String.join("; ", problems)
                        + ". Revoke those rights from PUBLIC; until then the SQL console does not run.");
            }
            if (!problems.isEmpty()) {
                LOG.warn("The H2 user {} could do more than read ({}): dropped and created again with SELECT only.",
                        MANAGED, String.join("; ", problems));
                try (Statement st = admin.createStatement()) {
                    st.execute("DROP USER " + MANAGED);
                }
                exists = false;
            }
        } else {
            List<String> publicProblems = H2Rights.publicProblems(admin);
            if (!publicProblems.isEmpty()) {
                throw new ReaderRefusedException("Every H2 user can write here: " + String.join("; ", publicProblems)
                        + ". Revoke those rights from PUBLIC; until then the SQL console does not run.");
            }
        }
        if (!exists) {
            String pw = randomPassword();
            try (PreparedStatement ps = admin.prepareStatement("CREATE USER " + MANAGED + " PASSWORD ?")) {
                ps.setString(1, pw); // a parameter: the password never appears in SQL text, errors or H2's trace file
                ps.execute();
            }
            password = pw;
        } else if (password == null || newPassword) {
            String pw = randomPassword();
            try (PreparedStatement ps = admin.prepareStatement("ALTER USER " + MANAGED + " SET PASSWORD ?")) {
                ps.setString(1, pw);
                ps.execute();
            }
            password = pw;
        }
        H2Rights.grantSchemas(admin, MANAGED);
    }

    @Override
    public int statementCount(Connection c, String sql) {
        return count(sql);
    }

    /** H2's own count of the statements in {@code sql}. */
    static int count(String sql) {
        // H2's own script splitter: its quotes, $$ strings and comments (including //)
        ScriptReader reader = new ScriptReader(new StringReader(sql));
        reader.setSkipRemarks(true);
        int n = 0;
        try {
            for (String s = reader.readStatement(); s != null; s = reader.readStatement()) {
                if (!s.isBlank()) {
                    n++;
                }
            }
        } finally {
            try {
                reader.close();
            } catch (RuntimeException ignored) {
                // a StringReader holds nothing
            }
        }
        return n;
    }

    /** H2 aliases (user-defined functions) run Java code with no rights check: refused by name. */
    @Override
    public Set<String> deniedFunctions(Connection c) throws SQLException {
        return aliases(c);
    }

    /** The names of the database's aliases and user routines (upper case), which the console refuses to call. */
    static Set<String> aliases(Connection c) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT ROUTINE_NAME FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_SCHEMA <> 'INFORMATION_SCHEMA'")) {
            while (rs.next()) {
                names.add(rs.getString(1).toUpperCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static String randomPassword() {
        SecureRandom r = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** For tests: the managed user's current password (never shown or logged). */
    synchronized String passwordForTests() {
        return password;
    }
}
