package org.adminconsole.service.connections;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.adminconsole.persistence.monitor.SqlMonitor;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.inspect.InspectTargets;
import org.adminconsole.service.inspect.ProfileSource;
import org.adminconsole.service.inspect.ReaderConnections;

/**
 * Tests and opens connection profiles for inspection. The password is resolved at connect (asked, an environment
 * variable, the first line of a password file) and kept only by the open pool; it never reaches a file, a message or the
 * log. An opened profile becomes an {@link InspectTargets.Target}: Schema &amp; data and SQL then read through its
 * read-only connections with the SQL console's gate and limits ({@link ProfileDatabase}).
 */
public final class ProfileConnections {

    private final ProfileStore store;
    private final Duration statementTimeout;
    private final Duration longTimeout;
    private final SqlMonitor monitor;
    private final UnaryOperator<String> env;

    public ProfileConnections(ProfileStore store, Duration statementTimeout, Duration longTimeout, SqlMonitor monitor,
                              UnaryOperator<String> env) {
        this.store = store;
        this.statementTimeout = statementTimeout;
        this.longTimeout = longTimeout;
        this.monitor = monitor;
        this.env = env;
    }

    public ProfileStore store() {
        return store;
    }

    /** Whether opening {@code p} needs a password typed by the operator. */
    public static boolean asksPassword(ConnectionProfile p) {
        return p.passwordSource() == ConnectionProfile.PasswordSource.ASK;
    }

    /** The password of {@code p}: {@code asked} (ASK), the environment variable, or the password file's first line. */
    public String password(ConnectionProfile p, String asked) {
        return switch (p.passwordSource()) {
            case ASK -> asked == null ? "" : asked;
            case NONE -> "";
            case ENV -> {
                String v = env.apply(p.passwordRef());
                if (v == null) {
                    throw new ValidationException(ConnectionProfile.PASSWORD, "The environment variable " + p.passwordRef()
                            + " is not set in the console's environment.");
                }
                yield v;
            }
            case FILE -> {
                try {
                    String text = Files.readString(Path.of(p.passwordRef()), StandardCharsets.UTF_8);
                    int nl = text.indexOf('\n');
                    yield (nl >= 0 ? text.substring(0, nl) : text).replace("\r", "");
                } catch (IOException | RuntimeException e) {
                    throw new ValidationException(ConnectionProfile.PASSWORD, "Cannot read the password file " + p.passwordRef()
                            + " (" + e.getClass().getSimpleName() + ").");
                }
            }
        };
    }

    /** Connects once, checks the login can only read, disconnects: what the operator reads after *Test*. */
    public String test(ConnectionProfile p, String asked) {
        ConnectionProfile ok = ConnectionProfile.validated(p, null, java.util.List.of());
        try (ProfileDatabase db = ProfileDatabase.open(ok, password(ok, asked), statementTimeout)) {
            return "Connected to " + db.serverVersion() + " as '" + ok.user() + "', read-only." + adminNote(db);
        }
    }

    /**
     * An H2 file opened with an admin login: the file cannot change, but H2 lets an admin call its file functions; only
     * the console's gate stops those (README, connection profiles).
     */
    private static String adminNote(ProfileDatabase db) {
        if (db.profile().kind() != ConnectionProfile.Kind.H2_FILE) {
            return "";
        }
        try (java.sql.Connection c = db.connections().getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = CURRENT_USER")) {
            return rs.next() && rs.getBoolean(1) ? " '" + db.profile().user() + "' is an H2 admin: the file cannot change, but file"
                    + " functions (CSVWRITE, SCRIPT TO…) are stopped only by the console's gate; a user with SELECT only is safer." : "";
        } catch (java.sql.SQLException e) {
            return "";
        }
    }

    /** Opens {@code p} for inspection (its pool stays open until the target is switched away from or closed). */
    public InspectTargets.Target open(ConnectionProfile p, String asked) {
        ConnectionProfile ok = ConnectionProfile.validated(p, null, java.util.List.of());
        String password = password(ok, asked);
        ProfileDatabase db = ProfileDatabase.open(ok, password, statementTimeout);
        ReaderConnections.Redactor redactor = text -> text == null || password.length() < 3 ? text : text.replace(password, "****");
        ReaderConnections readers = ReaderConnections.forProfile(ok.name(), ok.user(), db.connections(), db.dialect(),
                statementTimeout, redactor, monitor);
        ProfileSource source = new ProfileSource(db.connections(), db.dialect(), statementTimeout, longTimeout);
        return new InspectTargets.Target(ok.name() + " (" + ok.describe() + ")", false, source, readers, db);
    }
}
