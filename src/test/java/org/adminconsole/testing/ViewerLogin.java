package org.adminconsole.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.JdbcUrls;

/**
 * A database login that is a member of {@code adminconsole_viewer} (issue 15), created by a test on the console's
 * database after it migrated: H2 user {@code VIEWER_n} (password {@code viewer}), PostgreSQL role
 * {@code ac_viewer_<pid>_<n>} (LOGIN PASSWORD 'viewer' IN ROLE adminconsole_viewer). {@link #settings} connects a console as
 * that login (db.user/db.password), so its role is read from the database as VIEWER.
 */
public final class ViewerLogin {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Settings admin;
    private final String login;

    private ViewerLogin(Settings admin, String login) {
        this.admin = admin;
        this.login = login;
    }

    /** Creates the login on the database of {@code admin} (the console's own settings, an admin login). */
    public static ViewerLogin create(Settings admin) throws SQLException {
        int n = COUNTER.incrementAndGet();
        String login = admin.isH2() ? "VIEWER_" + n : "ac_viewer_" + ProcessHandle.current().pid() + "_" + n;
        try (Connection c = TestDatabases.connect(admin); Statement st = c.createStatement()) {
            if (admin.isH2()) {
                st.execute("CREATE USER IF NOT EXISTS " + login + " PASSWORD 'viewer'");
                st.execute("GRANT ADMINCONSOLE_VIEWER TO " + login);
            } else {
                st.execute("DROP ROLE IF EXISTS " + login);
                // a password: the test server may ask console logins for one on 127.0.0.1 (.ci/run)
                st.execute("CREATE ROLE " + login + " LOGIN PASSWORD 'viewer' IN ROLE adminconsole_viewer");
            }
        }
        return new ViewerLogin(admin, login);
    }

    public String login() {
        return login;
    }

    /** The console's settings with this login (the same database and data folder). */
    public Settings settings() {
        return admin.with(Map.of("db.user", login, "db.password", "viewer", "operator", login.toLowerCase()));
    }

    /** A plain JDBC connection as this login (no admin-only URL settings). */
    public Connection connect() throws SQLException {
        Settings s = settings();
        return DriverManager.getConnection(JdbcUrls.readerUrl(s), JdbcUrls.properties(s, login, s.dbPassword()));
    }

    /** Drops the login (PostgreSQL: roles outlive the test schema). */
    public void drop() {
        try (Connection c = TestDatabases.connect(admin); Statement st = c.createStatement()) {
            st.execute(admin.isH2() ? "DROP USER IF EXISTS " + login : "DROP ROLE IF EXISTS " + login);
        } catch (SQLException e) {
            // best effort: a later run drops it before creating it again
        }
    }
}
