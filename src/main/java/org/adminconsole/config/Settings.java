package org.adminconsole.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * All configuration of the console, immutable once loaded. The settings themselves are declared in
 * {@link Keys}; read a value with {@link #get(Setting)}.
 *
 * <p>Sources, later ones win: built-in defaults, the settings file ({@code console.properties} in the
 * data folder, or the file named by {@code --config=...}; see {@link SettingsFile}), system properties
 * prefixed with {@code console.} (e.g. {@code -Dconsole.db.url=...}), and command-line arguments
 * {@code --db.url=...}. Every value is validated up front; a wrong one yields a {@link SettingsException}
 * naming the key, the value (never a password), where it came from and what is accepted.
 */
public final class Settings {

    public static final String SYSTEM_PREFIX = "console.";
    public static final String FILE_NAME = "console.properties";

    private final Map<String, String> raw;
    private final Map<String, String> origins;
    private final Map<Setting<?>, Object> values = new HashMap<>();

    private Settings(Map<String, String> raw, Map<String, String> origins) {
        this.raw = Collections.unmodifiableMap(raw);
        this.origins = Collections.unmodifiableMap(origins);
        for (Setting<?> s : Keys.ALL) {
            values.put(s, parse(s));
        }
        if (get(Keys.POOL_MIN_IDLE) > get(Keys.POOL_MAX_SIZE)) {
            throw bad(Keys.POOL_MIN_IDLE, "must not exceed pool.maxSize (" + get(Keys.POOL_MAX_SIZE) + ")");
        }
    }

    /** Defaults plus the given overrides (used by tests and tools). */
    public static Settings of(Map<String, String> overrides) {
        Map<String, String> v = defaults();
        Map<String, String> o = new LinkedHashMap<>();
        overrides.forEach((k, val) -> put(v, o, k, val, "code"));
        return new Settings(v, o);
    }

    /** Loads the full chain: defaults, file, system properties, command-line named parameters. */
    public static Settings load(Map<String, String> commandLine) {
        Map<String, String> v = defaults();
        Map<String, String> o = new LinkedHashMap<>();
        Map<String, String> sys = new LinkedHashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(SYSTEM_PREFIX) && !name.equals("console.config")) {
                sys.put(name.substring(SYSTEM_PREFIX.length()), System.getProperty(name));
            }
        }
        String dataDirOverride = commandLine.getOrDefault("data.dir", sys.get("data.dir"));
        Path dataDir = dataDirOverride != null && !dataDirOverride.isBlank() ? pathOf(dataDirOverride, "data.dir") : defaultDataDir();
        String explicit = commandLine.getOrDefault("config", System.getProperty("console.config"));
        Path file = explicit != null ? pathOf(explicit, "config") : dataDir.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            SettingsFile.read(file).forEach((k, val) -> put(v, o, k, val, file.toString()));
        } else if (explicit != null) {
            throw new SettingsException("The settings file " + file + " (named by --config) does not exist.");
        }
        sys.forEach((k, val) -> put(v, o, k, val, "system property " + SYSTEM_PREFIX + k));
        commandLine.forEach((k, val) -> {
            if (!k.equals("config")) {
                put(v, o, k, val, "command line --" + k);
            }
        });
        return new Settings(v, o);
    }

    private static Path pathOf(String p, String key) {
        try {
            return Path.of(p.trim());
        } catch (java.nio.file.InvalidPathException e) {
            throw new SettingsException("Setting " + key + " = '" + p + "' is invalid: it must be a folder path (" + e.getReason() + ").");
        }
    }

    private static Map<String, String> defaults() {
        Map<String, String> v = new LinkedHashMap<>();
        for (Setting<?> s : Keys.ALL) {
            v.put(s.key(), s.defaultValue());
        }
        return v;
    }

    private static void put(Map<String, String> v, Map<String, String> o, String key, String value, String origin) {
        if (Keys.byKey(key) == null) {
            TreeSet<String> known = new TreeSet<>();
            Keys.ALL.forEach(s -> known.add(s.key()));
            throw new SettingsException("Unknown setting '" + key + "' (from " + origin + "). Known settings: "
                    + String.join(", ", known) + ".");
        }
        v.put(key, value == null ? "" : value);
        o.put(key, origin);
    }

    private Object parse(Setting<?> s) {
        String text = raw.get(s.key());
        if (s.secret()) {
            text = Secrets.resolve(s, text, origin(s.key()));
        }
        try {
            return s.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad(s, e.getMessage());
        }
    }

    private SettingsException bad(Setting<?> s, String rule) {
        String shown = s.secret() ? "****" : raw.get(s.key());
        return new SettingsException("Setting " + s.key() + " = '" + shown + "' (from " + origin(s.key()) + ") is invalid: "
                + s.key() + " " + rule + ".");
    }

    /** The value of a declared setting. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> s) {
        Object v = values.get(s);
        if (v == null && !values.containsKey(s)) {
            throw new IllegalArgumentException("Not a declared setting: " + s.key());
        }
        return (T) v;
    }

    /** Where a value came from: "default", a file, a system property, the command line or "code". */
    public String origin(String key) {
        return origins.getOrDefault(key, "default");
    }

    /** A copy with some values replaced (validated again). */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(raw);
        Map<String, String> o = new LinkedHashMap<>(origins);
        overrides.forEach((k, val) -> put(v, o, k, val, "code"));
        return new Settings(v, o);
    }

    /** The per-user data folder: XDG on Linux, Application Support on macOS, APPDATA on Windows. */
    public static Path defaultDataDir() {
        String os = System.getProperty("os.name", "").toLowerCase();
        String home = System.getProperty("user.home");
        if (os.contains("win") && System.getenv("APPDATA") != null) {
            return Path.of(System.getenv("APPDATA"), "AdminConsole");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "AdminConsole");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share")).resolve("admin-console");
    }

    public Path dataDir() {
        String d = get(Keys.DATA_DIR);
        return d.isBlank() ? defaultDataDir() : Path.of(d);
    }

    public String dbUrl() {
        String u = get(Keys.DB_URL);
        if (!u.isBlank()) {
            return u;
        }
        return "jdbc:h2:file:" + dataDir().resolve("console").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The URL as shown to operators and written to logs: any password in it replaced. */
    public String displayUrl() {
        return DbUrls.redact(dbUrl());
    }

    public boolean isH2() { return DbUrls.isH2(dbUrl()); }
    public boolean isPostgres() { return DbUrls.isPostgres(dbUrl()); }
    public String dbUser() { return get(Keys.DB_USER); }
    public String dbPassword() { return get(Keys.DB_PASSWORD); }
    public boolean durableCommits() { return get(Keys.DB_DURABILITY).equals("safe"); }

    /** The operator recorded in audit fields: the configured one, else the OS user name. */
    public String operator() {
        String o = get(Keys.OPERATOR);
        return o.isBlank() ? System.getProperty("user.name", "unknown") : o;
    }

    /** Replaces every configured password (and URL password parameters) in {@code text} with ****. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = DbUrls.redact(text);
        for (Setting<?> s : Keys.ALL) {
            if (s.secret()) {
                String secret = (String) values.get(s);
                if (secret != null && secret.length() >= 3) {
                    out = out.replace(secret, "****");
                }
            }
        }
        return out;
    }

    /** Writes {@code text} as a file readable by its owner only (POSIX 0600), creating the folder 0700. */
    public static void writePrivate(Path file, String text) throws IOException {
        FilePermissions.createPrivateDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        FilePermissions.ownerOnly(file);
    }
}
