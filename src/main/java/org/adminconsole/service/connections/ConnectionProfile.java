package org.adminconsole.service.connections;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.adminconsole.service.ValidationException;

/**
 * A saved connection profile: a database the console can open for inspection besides its own. Never holds a password:
 * only where to get it ({@link PasswordSource}: asked at connect, an environment variable, a password file).
 *
 * @param file     H2 file: the database file ({@code name.mv.db}, or its name without the extension)
 * @param database H2 server: the database path on the server; PostgreSQL: the database name
 * @param passwordRef the environment variable's name or the password file's path (unused otherwise)
 */
public record ConnectionProfile(String name, Kind kind, String file, String host, int port, String database, String user,
                                PasswordSource passwordSource, String passwordRef) {

    public enum Kind {
        H2_FILE("H2 file", 0), H2_SERVER("H2 server", 9092), POSTGRES("PostgreSQL", 5432);

        private final String label;
        private final int defaultPort;

        Kind(String label, int defaultPort) {
            this.label = label;
            this.defaultPort = defaultPort;
        }

        public int defaultPort() {
            return defaultPort;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public enum PasswordSource {
        ASK("Ask when connecting"), ENV("Environment variable"), FILE("Password file"), NONE("No password");

        private final String label;

        PasswordSource(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Field names of {@link ValidationException#fieldErrors()} (the dialog shows each message under its field). */
    public static final String NAME = "name", FILE = "file", HOST = "host", PORT = "port", DATABASE = "database", USER = "user",
            PASSWORD = "password";

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._:\\-\\[\\]]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Characters that would add settings to a JDBC URL (H2 {@code ;INIT=…}, pgjdbc {@code ?socketFactory=…}). */
    private static final Pattern URL_SYNTAX = Pattern.compile("[;?&#=\\\\\\u0000-\\u001f]");

    public ConnectionProfile {
        name = name == null ? "" : name.strip();
        file = file == null ? "" : file.strip();
        host = host == null ? "" : host.strip();
        database = database == null ? "" : database.strip();
        user = user == null ? "" : user.strip();
        passwordRef = passwordRef == null ? "" : passwordRef.strip();
        if (kind == null) {
            kind = Kind.H2_FILE;
        }
        if (passwordSource == null) {
            passwordSource = PasswordSource.ASK;
        }
    }

    /** The H2 file's database name as H2's URL wants it (the path without {@code .mv.db}). */
    public Path h2Base() {
        String f = file.endsWith(".mv.db") ? file.substring(0, file.length() - ".mv.db".length()) : file;
        return Path.of(f).toAbsolutePath().normalize();
    }

    /** Where the profile points, for lists and titles (never a password). */
    public String describe() {
        return switch (kind) {
            case H2_FILE -> "H2 file " + file;
            case H2_SERVER -> "H2 server " + host + ":" + port + "/" + database;
            case POSTGRES -> "PostgreSQL " + host + ":" + port + "/" + database;
        };
    }

    /**
     * Checks every field (the port as typed, {@code portText}, because "abc" never becomes a number); throws a
     * {@link ValidationException} with a message per bad field. {@code otherNames}: the names of the other profiles.
     */
    public static ConnectionProfile validated(ConnectionProfile p, String portText, java.util.Collection<String> otherNames) {
        Map<String, String> errors = new LinkedHashMap<>();
        int port = p.port();
        if (p.name().isEmpty()) {
            errors.put(NAME, "Give the profile a name.");
        } else if (p.name().length() > 60) {
            errors.put(NAME, "At most 60 characters.");
        } else if (otherNames.stream().anyMatch(n -> n.equalsIgnoreCase(p.name()))) {
            errors.put(NAME, "A profile named '" + p.name() + "' exists already.");
        }
        if (p.kind() == Kind.H2_FILE) {
            checkH2File(p, errors);
        } else {
            if (p.host().isEmpty()) {
                errors.put(HOST, "Enter the server's host name or address.");
            } else if (!HOST_NAME.matcher(p.host()).matches()) {
                errors.put(HOST, "Not a host name: use letters, digits, '.', '-' (or an IP address).");
            }
            String text = portText == null ? String.valueOf(p.port()) : portText.strip();
            try {
                port = Integer.parseInt(text);
                if (port < 1 || port > 65535) {
                    errors.put(PORT, "The port must be between 1 and 65535 (got " + port + ").");
                }
            } catch (NumberFormatException e) {
                errors.put(PORT, text.isEmpty() ? "Enter the port (PostgreSQL: 5432, H2 server: 9092)."
                        : "'" + text + "' is not a port number (1-65535).");
            }
            if (p.database().isEmpty()) {
                errors.put(DATABASE, p.kind() == Kind.POSTGRES ? "Enter the database name." : "Enter the database path on the server.");
            } else if (URL_SYNTAX.matcher(p.database()).find()) {
                errors.put(DATABASE, "The name may not contain ; ? & # = or \\ (they would change the connection's settings).");
            }
        }
        if (p.user().isEmpty()) {
            errors.put(USER, "Enter the login name.");
        } else if (URL_SYNTAX.matcher(p.user()).find()) {
            errors.put(USER, "The login may not contain ; ? & # = or \\.");
        }
        switch (p.passwordSource()) {
            case ENV -> {
                if (!ENV_NAME.matcher(p.passwordRef()).matches()) {
                    errors.put(PASSWORD, p.passwordRef().isEmpty() ? "Enter the environment variable's name."
                            : "'" + p.passwordRef() + "' is not an environment variable name (letters, digits, _).");
                }
            }
            case FILE -> {
                String problem = pathProblem(p.passwordRef(), "password file");
                if (problem != null) {
                    errors.put(PASSWORD, problem);
                }
            }
            default -> {
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new ConnectionProfile(p.name(), p.kind(), p.file(), p.host(), p.kind() == Kind.H2_FILE ? 0 : port, p.database(),
                p.user(), p.passwordSource(), p.passwordSource() == PasswordSource.ENV || p.passwordSource() == PasswordSource.FILE
                ? p.passwordRef() : "");
    }

    private static void checkH2File(ConnectionProfile p, Map<String, String> errors) {
        if (p.file().isEmpty()) {
            errors.put(FILE, "Choose the H2 database file (name.mv.db).");
            return;
        }
        if (p.file().indexOf(';') >= 0 || p.file().chars().anyMatch(ch -> ch < 0x20)) {
            errors.put(FILE, "The path may not contain ';' (it would change the connection's settings).");
            return;
        }
        String problem = pathProblem(p.file(), "file");
        if (problem != null) {
            errors.put(FILE, problem);
            return;
        }
        Path db = Path.of(p.h2Base() + ".mv.db");
        if (!Files.isRegularFile(db)) {
            errors.put(FILE, "No H2 database at " + db + " (an H2 database is a file ending in .mv.db).");
        }
    }

    private static String pathProblem(String path, String what) {
        if (path.isEmpty()) {
            return "Enter the " + what + "'s path.";
        }
        try {
            Path p = Path.of(path);
            if (!p.isAbsolute()) {
                return "Give the full path of the " + what + " (it starts with /).";
            }
            if (what.equals("password file") && !Files.isReadable(p)) {
                return "No readable password file at " + p + ".";
            }
            return null;
        } catch (InvalidPathException e) {
            return "Not a valid path: " + e.getReason() + ".";
        }
    }

    /** The name as a key, for lookups that ignore case. */
    public String key() {
        return name.toLowerCase(Locale.ROOT);
    }
}
