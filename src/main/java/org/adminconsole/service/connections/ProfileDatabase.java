package org.adminconsole.service.connections;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.inspect.PostgresReaderLogin;

/**
 * The connections of one opened profile, read-only by construction: every physical connection is checked before it is
 * used, and refused when it could write.
 * <ul>
 *   <li>H2 file: opened with {@code ACCESS_MODE_DATA=r} (the database itself refuses every change, whatever the
 *       login's rights) and {@code IFEXISTS=TRUE} (a missing file is never created); {@code READONLY()} must say so.
 *       Never {@code AUTO_SERVER}: a file another process holds is refused with a message.</li>
 *   <li>H2 server: the server opened the database already, so the login must be a non-admin user whose rights are
 *       SELECT only (an admin such as {@code SA} is refused: create a reader, see README).</li>
 *   <li>PostgreSQL: the checks of the console's own reader (no superuser or other attribute, no role, no right beyond
 *       SELECT, no CREATE or TEMP, owns nothing, no server-file or large-object functions, …), and each session
 *       {@code default_transaction_read_only=on} with statement, lock and idle-in-transaction timeouts.</li>
 * </ul>
 * On top of that each operation runs in a read-only transaction that is rolled back, and the SQL console's gate
 * ({@code QueryGate}) applies to a profile as to the console's database.
 */
public final class ProfileDatabase implements AutoCloseable {

    /** Most bytes pgjdbc may buffer for one fetch (as for the console's reader). */
    private static final String MAX_RESULT_BUFFER = "64M";

    private final ConnectionProfile profile;
    private final Dialect dialect;
    private final HikariDataSource pool;
    private final String serverVersion;

    private ProfileDatabase(ConnectionProfile profile, Dialect dialect, HikariDataSource pool, String serverVersion) {
        this.profile = profile;
        this.dialect = dialect;
        this.pool = pool;
        this.serverVersion = serverVersion;
    }

    /**
     * Connects once and checks the connection can only read (a {@link ValidationException} on the field to fix
     * otherwise), then builds the profile's small pool of such connections.
     */
    public static ProfileDatabase open(ConnectionProfile profile, String password, Duration statementTimeout) {
        Connector connector = new Connector(profile, password, statementTimeout);
        String version;
        try (Connection c = connector.getConnection()) {
            version = c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            throw connector.explain(e);
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setDataSource(connector);
        cfg.setPoolName("profile-" + profile.name().replaceAll("[^A-Za-z0-9_-]", "_"));
        cfg.setMaximumPoolSize(3);
        cfg.setMinimumIdle(1); // keeps an H2 file open between operations (H2 closes it with its last connection)
        cfg.setIdleTimeout(Duration.ofMinutes(2).toMillis());
        cfg.setConnectionTimeout(Duration.ofSeconds(15).toMillis());
        cfg.setInitializationFailTimeout(-1);
        cfg.setAutoCommit(false);
        cfg.setReadOnly(true);
        return new ProfileDatabase(profile, connector.dialect(), new HikariDataSource(cfg), version);
    }

    public ConnectionProfile profile() {
        return profile;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The read-only connections (each checked when created). */
    public DataSource connections() {
        return pool;
    }

    public String serverVersion() {
        return serverVersion;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Opens and checks one physical connection of the profile; the pool's {@link DataSource}. */
    static final class Connector implements DataSource {
        private final ConnectionProfile p;
        private final String password;
        private final Duration timeout;

        Connector(ConnectionProfile p, String password, Duration timeout) {
            this.p = p;
            this.password = password == null ? "" : password;
            this.timeout = timeout;
        }

        Dialect dialect() {
            return p.kind() == ConnectionProfile.Kind.POSTGRES ? Dialect.POSTGRES : Dialect.H2;
        }

        String url() {
            long ms = timeout.toMillis();
            return switch (p.kind()) {
                case H2_FILE -> "jdbc:h2:file:" + p.h2Base() + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE;QUERY_TIMEOUT=" + ms;
                case H2_SERVER -> "jdbc:h2:tcp://" + p.host() + ":" + p.port() + "/" + p.database() + ";IFEXISTS=TRUE;QUERY_TIMEOUT=" + ms;
                case POSTGRES -> "jdbc:postgresql://" + p.host() + ":" + p.port() + "/" + p.database();
            };
        }

        Properties properties() {
            Properties props = new Properties();
            props.setProperty("user", p.user());
            props.setProperty("password", password);
            if (p.kind() == ConnectionProfile.Kind.POSTGRES) {
                long ms = timeout.toMillis();
                props.setProperty("connectTimeout", "10");
                props.setProperty("loginTimeout", "10");
                props.setProperty("socketTimeout", String.valueOf((ms + ms / 20 + 2_000 + 999) / 1000));
                props.setProperty("tcpKeepAlive", "true");
                props.setProperty("ApplicationName", "Admin Console (profile " + p.name() + ")");
                props.setProperty("maxResultBuffer", MAX_RESULT_BUFFER);
                props.setProperty("options", "-c default_transaction_read_only=on -c statement_timeout=" + ms
                        + " -c lock_timeout=2000 -c idle_in_transaction_session_timeout=300000");
            }
            return props;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = DriverManager.getConnection(url(), properties());
            try {
                check(c);
                return c;
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        }

        private void check(Connection c) throws SQLException {
            List<String> problems = switch (p.kind()) {
                case H2_FILE -> readOnlyH2(c) ? List.of() : List.of("the H2 database is not open read-only (is it open in this"
                        + " console already? close that first)");
                case H2_SERVER -> readOnlyH2(c) ? List.of() : h2ServerProblems(c);
                case POSTGRES -> postgresProblems(c);
            };
            if (!problems.isEmpty()) {
                throw new WritableLoginException("The login '" + p.user() + "' can do more than read: " + String.join("; ", problems)
                        + ". " + howTo());
            }
        }

        private String howTo() {
            return switch (p.kind()) {
                case POSTGRES -> "A profile opens only with a login that can only read: create one with db/roles/reader.sql"
                        + " (README, Security) and use it in this profile.";
                case H2_SERVER -> "A profile on an H2 server opens only with a user that can only read: as an admin, CREATE USER"
                        + " viewer PASSWORD '…'; GRANT SELECT ON SCHEMA PUBLIC TO viewer; and use it in this profile.";
                case H2_FILE -> "";
            };
        }

        private static boolean readOnlyH2(Connection c) throws SQLException {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT READONLY()")) {
                return rs.next() && rs.getBoolean(1);
            }
        }

        private static List<String> h2ServerProblems(Connection c) throws SQLException {
            List<String> problems = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = CURRENT_USER")) {
                if (!rs.next() || rs.getBoolean(1)) {
                    problems.add("it is an H2 admin");
                    return problems;
                }
            }
            // a non-admin sees no rows of INFORMATION_SCHEMA.RIGHTS, but its table privileges (and PUBLIC's) in
            // TABLE_PRIVILEGES; rights granted on a whole schema show in neither (README: grant schema-wide SELECT only)
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT PRIVILEGE_TYPE, TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLE_PRIVILEGES"
                         + " WHERE GRANTEE IN (CURRENT_USER, 'PUBLIC') AND PRIVILEGE_TYPE <> 'SELECT'")) {
                while (rs.next() && problems.size() < 10) {
                    problems.add("has " + rs.getString(1) + " on " + rs.getString(2) + "." + rs.getString(3));
                }
            }
            return problems;
        }

        private static List<String> postgresProblems(Connection c) throws SQLException {
            List<String> problems = new ArrayList<>(PostgresReaderLogin.profileProblems(c));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW default_transaction_read_only")) {
                if (!rs.next() || !rs.getString(1).equalsIgnoreCase("on")) {
                    problems.add("the session is not read-only by default");
                }
            }
            return problems;
        }

        /** A connection failure as a message on the field the operator can fix. */
        ValidationException explain(SQLException e) {
            String m = firstLine(e.getMessage()).replace(password.isEmpty() ? "\u0000" : password, "****");
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            int code = e.getErrorCode();
            if (e instanceof WritableLoginException) {
                return new ValidationException(p.kind() == ConnectionProfile.Kind.H2_FILE ? ConnectionProfile.FILE : ConnectionProfile.USER, m);
            }
            if (state.startsWith("28") || code == 28000) {
                return new ValidationException(ConnectionProfile.PASSWORD, "Login refused for '" + p.user()
                        + "': wrong user name or password (" + m + ").");
            }
            if (state.equals("3D000")) {
                return new ValidationException(ConnectionProfile.DATABASE, "No database '" + p.database() + "' on this server (" + m + ").");
            }
            if (code == 90146 || code == 90013) {
                return new ValidationException(p.kind() == ConnectionProfile.Kind.H2_FILE ? ConnectionProfile.FILE : ConnectionProfile.DATABASE,
                        "No such H2 database (" + m + ").");
            }
            if (code == 90020) {
                return new ValidationException(ConnectionProfile.FILE, "The file is in use by another program (H2 lets one process"
                        + " open a file): close it there, or start an H2 server on it and use an H2 server profile.");
            }
            if (state.startsWith("08") || code == 90067 || code == 90028) {
                return new ValidationException(ConnectionProfile.HOST, "Cannot reach " + p.host() + ":" + p.port() + " (" + m + ").");
            }
            String field = p.kind() == ConnectionProfile.Kind.H2_FILE ? ConnectionProfile.FILE : ConnectionProfile.HOST;
            return new ValidationException(field, "Cannot open the database: " + m);
        }

        private static String firstLine(String m) {
            if (m == null) {
                return "";
            }
            int nl = m.indexOf('\n');
            return (nl > 0 ? m.substring(0, nl) : m).strip();
        }

        @Override
        public Connection getConnection(String username, String pw) throws SQLException {
            throw new SQLFeatureNotSupportedException("the profile's login is fixed");
        }

        @Override public PrintWriter getLogWriter() { return null; }
        @Override public void setLogWriter(PrintWriter out) { }
        @Override public void setLoginTimeout(int seconds) { }
        @Override public int getLoginTimeout() { return 0; }
        @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }
        @Override public <T> T unwrap(Class<T> iface) throws SQLException { throw new SQLException("not a wrapper"); }
        @Override public boolean isWrapperFor(Class<?> iface) { return false; }
    }

    /** The login could write: refused. */
    static final class WritableLoginException extends SQLException {
        WritableLoginException(String message) {
            super(message, "42501");
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
