package org.adminconsole.persistence;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.adminconsole.config.Settings;
import org.flywaydb.core.api.FlywayException;
import org.hibernate.tool.schema.spi.SchemaManagementException;

/** Turns whatever went wrong while opening the database into one message an operator can act on. */
final class StartupErrors {

    private StartupErrors() {
    }

    /** The operator's message; never contains a password (configured ones and URL parameters are redacted). */
    static DatabaseStartupException translate(Throwable failure, Settings s) {
        DatabaseStartupException e = failure instanceof DatabaseStartupException d ? d : describe(failure, s);
        return new DatabaseStartupException(e.reason(), s.redact(e.getMessage()), failure);
    }

    private static DatabaseStartupException describe(Throwable failure, Settings s) {
        String url = s.displayUrl();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                int code = sql.getErrorCode();
                if (s.isH2() && (code == 90020 || String.valueOf(sql.getMessage()).contains("already in use"))) {
                    return new DatabaseStartupException(DatabaseStartupException.Reason.LOCKED,
                            "The database file is in use by another Admin Console (or another program): " + h2File(url)
                                    + ". Close the other console, or let several consoles share it: add ;AUTO_SERVER=TRUE to db.url"
                                    + " in every console (see README, 'Several consoles on one database').", failure);
                }
                if (state.equals("28P01") || state.equals("28000") || code == 28000) {
                    return new DatabaseStartupException(DatabaseStartupException.Reason.AUTHENTICATION,
                            "The database rejected user '" + s.dbUser() + "' (wrong user name or password) at " + url
                                    + ". Fix db.user / db.password (" + s.origin("db.password") + ").", failure);
                }
                if (state.equals("3D000")) {
                    return new DatabaseStartupException(DatabaseStartupException.Reason.NO_SUCH_DATABASE,
                            "The database named in db.url does not exist: " + url + ". Create it or fix db.url.", failure);
                }
                if (state.startsWith("08") || code == 90067 || code == 90046) {
                    return new DatabaseStartupException(DatabaseStartupException.Reason.UNREACHABLE,
                            "Cannot reach the database at " + url + ": " + firstLine(sql.getMessage())
                                    + ". Check that the server is running and that db.url (" + s.origin("db.url") + ") is right.", failure);
                }
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return new DatabaseStartupException(DatabaseStartupException.Reason.UNREACHABLE,
                        "Cannot reach the database at " + url + ": " + t.getMessage()
                                + ". Check that the server is running and that db.url is right.", failure);
            }
            if (t instanceof FlywayException) {
                return new DatabaseStartupException(DatabaseStartupException.Reason.MIGRATION,
                        "The database schema could not be migrated: " + firstLine(t.getMessage())
                                + ". The database was left as it was; see the log for details.", failure);
            }
            if (t instanceof SchemaManagementException) {
                return new DatabaseStartupException(DatabaseStartupException.Reason.SCHEMA,
                        "The database schema does not match this version of the console: " + firstLine(t.getMessage()), failure);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new DatabaseStartupException(DatabaseStartupException.Reason.OTHER,
                "The database at " + url + " could not be opened: " + firstLine(String.valueOf(root.getMessage())), failure);
    }

    private static String h2File(String url) {
        String rest = url.substring("jdbc:h2:".length());
        int semi = rest.indexOf(';');
        rest = semi >= 0 ? rest.substring(0, semi) : rest;
        return (rest.startsWith("file:") ? rest.substring(5) : rest) + ".mv.db";
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        String line = (nl >= 0 ? m.substring(0, nl) : m).trim();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }
}
