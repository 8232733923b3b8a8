package org.adminconsole.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * All configuration of the console, immutable once loaded.
 *
 * <p>Sources, later ones win: built-in defaults, the properties file ({@code console.properties} in the
 * data folder, or the file named by {@code console.config}), system properties prefixed with
 * {@code console.} (e.g. {@code -Dconsole.db.url=...}), and command-line arguments {@code --db.url=...}.
 * Every value is validated up front; a wrong one yields a {@link SettingsException} naming the key,
 * the bad value, where it came from and what is accepted.
 */
public final class Settings {

    public static final String SYSTEM_PREFIX = "console.";

    /** Every known key with its default ("" means none). Unknown keys are rejected (typo protection). */
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    static {
        DEFAULTS.put("data.dir", "");
        DEFAULTS.put("db.url", "");
        DEFAULTS.put("db.user", "sa");
        DEFAULTS.put("db.password", "");
        DEFAULTS.put("db.seed.users", "10000");
        DEFAULTS.put("db.durability", "safe");
        DEFAULTS.put("pool.maxSize", "4");
        DEFAULTS.put("pool.minIdle", "1");
        DEFAULTS.put("pool.connectionTimeoutMs", "5000");
        DEFAULTS.put("pool.idleTimeoutMs", "600000");
        DEFAULTS.put("pool.maxLifetimeMs", "1800000");
        DEFAULTS.put("sql.slowThresholdMs", "200");
        DEFAULTS.put("sql.logCapacity", "5000");
        DEFAULTS.put("tx.defaultTimeoutSeconds", "0");
        DEFAULTS.put("cache.l2.entityMaxEntries", "20000");
        DEFAULTS.put("cache.l2.queryMaxEntries", "2000");
        DEFAULTS.put("cache.l2.ttlSeconds", "600");
        DEFAULTS.put("cache.user.maxEntries", "10000");
        DEFAULTS.put("cache.user.ttlSeconds", "300");
        DEFAULTS.put("cache.check.intervalMs", "1000");
        DEFAULTS.put("cache.check.notify", "true");
        DEFAULTS.put("operator", "");
        DEFAULTS.put("monitor.statementWarnThreshold", "50");
        DEFAULTS.put("monitor.nPlusOneThreshold", "5");
        DEFAULTS.put("monitor.connectionWaitWarnMs", "50");
        DEFAULTS.put("monitor.operationLogCapacity", "2000");
    }

    private final Map<String, String> values;
    private final Map<String, String> origins;

    private Settings(Map<String, String> values, Map<String, String> origins) {
        this.values = Collections.unmodifiableMap(values);
        this.origins = Collections.unmodifiableMap(origins);
        validate();
    }

    /** Defaults plus the given overrides (used by tests and tools). */
    public static Settings of(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> o = new LinkedHashMap<>();
        overrides.forEach((k, val) -> put(v, o, k, val, "code"));
        return new Settings(v, o);
    }

    /** Loads the full chain: defaults, file, system properties, command-line named parameters. */
    public static Settings load(Map<String, String> commandLine) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> o = new LinkedHashMap<>();
        Map<String, String> sys = new LinkedHashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(SYSTEM_PREFIX) && !name.equals("console.config")) {
                sys.put(name.substring(SYSTEM_PREFIX.length()), System.getProperty(name));
            }
        }
        String dataDirOverride = commandLine.getOrDefault("data.dir", sys.get("data.dir"));
        Path dataDir = dataDirOverride != null && !dataDirOverride.isBlank()
                ? Path.of(dataDirOverride) : defaultDataDir();
        String explicit = commandLine.getOrDefault("config", System.getProperty("console.config"));
        Path file = explicit != null ? Path.of(explicit) : dataDir.resolve("console.properties");
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new SettingsException("Cannot read the settings file " + file + ": " + e.getMessage());
            }
            for (String k : p.stringPropertyNames()) {
                put(v, o, k, p.getProperty(k).trim(), file.toString());
            }
        } else if (explicit != null) {
            throw new SettingsException("The settings file " + file + " (named by console.config) does not exist.");
        }
        sys.forEach((k, val) -> put(v, o, k, val, "system property " + SYSTEM_PREFIX + k));
        commandLine.forEach((k, val) -> {
            if (!k.equals("config")) {
                put(v, o, k, val, "command line --" + k);
            }
        });
        return new Settings(v, o);
    }

    private static void put(Map<String, String> v, Map<String, String> o, String key, String value, String origin) {
        if (!DEFAULTS.containsKey(key)) {
            throw new SettingsException("Unknown setting '" + key + "' (from " + origin + "). Known settings: "
                    + String.join(", ", new TreeSet<>(DEFAULTS.keySet())) + ".");
        }
        v.put(key, value == null ? "" : value);
        o.put(key, origin);
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

    private void validate() {
        intIn("pool.maxSize", 1, 64);
        intIn("pool.minIdle", 0, 64);
        if (poolMinIdle() > poolMaxSize()) {
            throw bad("pool.minIdle", "must not exceed pool.maxSize (" + poolMaxSize() + ")");
        }
        longIn("pool.connectionTimeoutMs", 250, 600_000);
        longIn("pool.idleTimeoutMs", 10_000, 86_400_000);
        longIn("pool.maxLifetimeMs", 30_000, 86_400_000);
        longIn("sql.slowThresholdMs", 0, 3_600_000);
        intIn("sql.logCapacity", 10, 1_000_000);
        intIn("tx.defaultTimeoutSeconds", 0, 86_400);
        intIn("db.seed.users", 0, 10_000_000);
        longIn("cache.l2.entityMaxEntries", 10, 10_000_000);
        longIn("cache.l2.queryMaxEntries", 10, 10_000_000);
        longIn("cache.l2.ttlSeconds", 1, 86_400 * 30L);
        longIn("cache.user.maxEntries", 10, 10_000_000);
        longIn("cache.user.ttlSeconds", 1, 86_400 * 30L);
        longIn("cache.check.intervalMs", 50, 3_600_000);
        intIn("monitor.statementWarnThreshold", 1, 1_000_000);
        intIn("monitor.nPlusOneThreshold", 2, 1_000_000);
        longIn("monitor.connectionWaitWarnMs", 0, 600_000);
        intIn("monitor.operationLogCapacity", 10, 1_000_000);
        if (!Set.of("true", "false").contains(raw("cache.check.notify"))) {
            throw bad("cache.check.notify", "must be 'true' (PostgreSQL: LISTEN for changes, near-instant) or 'false' (polling only)");
        }
        String d = raw("db.durability");
        if (!Set.of("safe", "fast").contains(d)) {
            throw bad("db.durability", "must be 'safe' (every commit on disk) or 'fast' (H2 may lose the last 0.5 s on a crash)");
        }
        String url = dbUrl();
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw bad("db.url", "must be an H2 (jdbc:h2:...) or PostgreSQL (jdbc:postgresql://host:port/db) JDBC URL");
        }
    }

    private SettingsException bad(String key, String rule) {
        return new SettingsException("Setting " + key + " = '" + raw(key) + "' (from " + origin(key) + ") is invalid: "
                + key + " " + rule + ".");
    }

    private int intIn(String key, int min, int max) {
        return (int) longIn(key, min, max);
    }

    private long longIn(String key, long min, long max) {
        long n;
        try {
            n = Long.parseLong(raw(key).trim());
        } catch (NumberFormatException e) {
            throw bad(key, "must be a whole number between " + min + " and " + max);
        }
        if (n < min || n > max) {
            throw bad(key, "must be between " + min + " and " + max);
        }
        return n;
    }

    public String raw(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("No such setting: " + key);
        }
        return v;
    }

    public String origin(String key) {
        return origins.getOrDefault(key, "default");
    }

    /** A copy with some values replaced (validated again). */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(values);
        Map<String, String> o = new LinkedHashMap<>(origins);
        overrides.forEach((k, val) -> put(v, o, k, val, "code"));
        return new Settings(v, o);
    }

    public Map<String, String> asMap() {
        return values;
    }

    public Path dataDir() {
        String d = raw("data.dir");
        return d.isBlank() ? defaultDataDir() : Path.of(d);
    }

    public String dbUrl() {
        String u = raw("db.url");
        if (!u.isBlank()) {
            return u;
        }
        return "jdbc:h2:file:" + dataDir().resolve("console").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    public boolean isH2() { return dbUrl().startsWith("jdbc:h2:"); }
    public boolean isPostgres() { return dbUrl().startsWith("jdbc:postgresql:"); }
    public String dbUser() { return raw("db.user"); }
    public String dbPassword() { return raw("db.password"); }
    public int seedUsers() { return intIn("db.seed.users", 0, 10_000_000); }
    public boolean durableCommits() { return raw("db.durability").equals("safe"); }
    public int poolMaxSize() { return intIn("pool.maxSize", 1, 64); }
    public int poolMinIdle() { return intIn("pool.minIdle", 0, 64); }
    public long poolConnectionTimeoutMs() { return Long.parseLong(raw("pool.connectionTimeoutMs")); }
    public long poolIdleTimeoutMs() { return Long.parseLong(raw("pool.idleTimeoutMs")); }
    public long poolMaxLifetimeMs() { return Long.parseLong(raw("pool.maxLifetimeMs")); }
    public Duration slowThreshold() { return Duration.ofMillis(Long.parseLong(raw("sql.slowThresholdMs"))); }
    public int sqlLogCapacity() { return Integer.parseInt(raw("sql.logCapacity")); }
    public int defaultTxTimeoutSeconds() { return Integer.parseInt(raw("tx.defaultTimeoutSeconds")); }
    public long l2EntityMaxEntries() { return Long.parseLong(raw("cache.l2.entityMaxEntries")); }
    public long l2QueryMaxEntries() { return Long.parseLong(raw("cache.l2.queryMaxEntries")); }
    public Duration l2Ttl() { return Duration.ofSeconds(Long.parseLong(raw("cache.l2.ttlSeconds"))); }
    public long userCacheMaxEntries() { return Long.parseLong(raw("cache.user.maxEntries")); }
    public Duration userCacheTtl() { return Duration.ofSeconds(Long.parseLong(raw("cache.user.ttlSeconds"))); }
    public Duration cacheCheckInterval() { return Duration.ofMillis(Long.parseLong(raw("cache.check.intervalMs"))); }
    /** PostgreSQL only: listen for change notifications besides polling. */
    public boolean cacheCheckNotify() { return raw("cache.check.notify").equals("true"); }

    public int monitorStatementWarnThreshold() { return Integer.parseInt(raw("monitor.statementWarnThreshold")); }
    public int monitorNPlusOneThreshold() { return Integer.parseInt(raw("monitor.nPlusOneThreshold")); }
    public Duration monitorConnectionWaitWarn() { return Duration.ofMillis(Long.parseLong(raw("monitor.connectionWaitWarnMs"))); }
    public int monitorOperationLogCapacity() { return Integer.parseInt(raw("monitor.operationLogCapacity")); }

    /** The operator recorded in audit fields: the configured one, else the OS user name. */
    public String operator() {
        String o = raw("operator");
        return o.isBlank() ? System.getProperty("user.name", "unknown") : o;
    }
}
