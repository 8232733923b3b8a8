package org.adminconsole.config;

import java.time.Duration;
import java.util.List;

/**
 * Every setting of the console, declared once: key, default, range and description. The README's settings
 * table is checked against this list ({@code SettingsReadmeTest}); {@link #readmeTable()} prints it.
 */
public final class Keys {

    private Keys() {
    }

    // ---- database -------------------------------------------------------------------------------------------
    public static final Setting<String> DATA_DIR = Setting.path("data.dir",
            "where the H2 file, settings, logs and SQL history live (default: the per-user data folder)");
    public static final Setting<String> DB_URL = Setting.text("db.url", "",
            "an H2 (`jdbc:h2:...`) or PostgreSQL (`jdbc:postgresql://host:port/db`) JDBC URL",
            "JDBC URL (default: the H2 file `<data folder>/console`)", DbUrls::problem);
    public static final Setting<String> DB_USER = Setting.text("db.user", "sa", "database login of the console");
    public static final Setting<String> DB_PASSWORD = Setting.secret("db.password",
            "its password; `${env:NAME}` reads an environment variable, `${file:PATH}` the first line of a file");
    public static final Setting<Integer> DB_SEED_USERS = Setting.integer("db.seed.users", 10_000, 0, 10_000_000,
            "demo users generated on the very first start (0 = none)");
    public static final Setting<String> DB_DURABILITY = Setting.choice("db.durability", "safe",
            "`safe`: every reported commit is on disk (H2 `WRITE_DELAY=0`, also set on a server the console connects to)",
            "safe", "every commit on disk", "fast", "H2 may lose the last 0.5 s on a crash");

    // ---- pool -----------------------------------------------------------------------------------------------
    public static final Setting<Integer> POOL_MAX_SIZE = Setting.integer("pool.maxSize", 4, 1, 64, "most pooled connections");
    public static final Setting<Duration> POOL_CONNECTION_TIMEOUT = Setting.millis("pool.connectionTimeoutMs", 5_000, 250, 600_000,
            "longest wait to open a connection (TCP connect and login) or to get one from the pool");
    public static final Setting<Integer> POOL_MIN_IDLE = Setting.integer("pool.minIdle", 1, 0, 64,
            "pooled connections kept open while idle");
    public static final Setting<Duration> POOL_IDLE_TIMEOUT = Setting.millis("pool.idleTimeoutMs", 600_000, 10_000, 86_400_000,
            "an idle connection above `pool.minIdle` is closed after this");
    public static final Setting<Duration> POOL_MAX_LIFETIME = Setting.millis("pool.maxLifetimeMs", 1_800_000, 30_000, 86_400_000,
            "a connection is replaced after this");
    public static final Setting<Duration> POOL_KEEPALIVE = Setting.millis("pool.keepaliveMs", 60_000, 30_000, 86_400_000,
            "idle connections are checked this often, so a dropped one is found before an operation needs it");

    // ---- operations -----------------------------------------------------------------------------------------
    public static final Setting<Duration> TX_DEFAULT_TIMEOUT = Setting.seconds("tx.defaultTimeoutSeconds", 15, 1, 86_400,
            "deadline of an operator action (page, save, lookup): its statements are cancelled and its connection given up after this");
    public static final Setting<Duration> TX_LONG_TIMEOUT = Setting.seconds("tx.longTimeoutSeconds", 900, 1, 86_400,
            "deadline of long work that declares it: exports, bulk actions, exact counts, demo data");
    public static final Setting<String> OPERATOR = Setting.text("operator", "",
            "name written to `created_by`/`updated_by` and the audit log (default: the OS user name)");

    // ---- SQL monitor ----------------------------------------------------------------------------------------
    public static final Setting<Duration> SQL_SLOW_THRESHOLD = Setting.millis("sql.slowThresholdMs", 200, 0, 3_600_000,
            "statements slower than this are logged at WARN and highlighted (changeable at run time)");
    public static final Setting<Integer> SQL_LOG_CAPACITY = Setting.integer("sql.logCapacity", 5_000, 10, 1_000_000,
            "statements kept in the SQL monitor's ring buffer");

    // ---- SQL console ----------------------------------------------------------------------------------------
    public static final Setting<String> SQL_USER = Setting.text("sql.user", "",
            "login of the SQL console and Explain: a role that can only read (PostgreSQL: required, see Security; H2: empty = the console's own `ADMINCONSOLE_READER`)");
    public static final Setting<String> SQL_PASSWORD = Setting.secret("sql.password",
            "its password (`${env:NAME}` and `${file:PATH}` work here too)");
    public static final Setting<Duration> SQL_STATEMENT_TIMEOUT = Setting.seconds("sql.statementTimeoutSeconds", 30, 1, 3_600,
            "a SQL console query or EXPLAIN is stopped by the database after this");
    public static final Setting<Duration> SQL_IDLE_CLOSE = Setting.seconds("sql.idleCloseSeconds", 120, 1, 3_600,
            "an open SQL console result not fetched from for this long is closed (no transaction or lock is held longer)");
    public static final Setting<Integer> SQL_MAX_ROWS = Setting.integer("sql.maxRows", 10_000, 100, 1_000_000,
            "most rows a SQL console result shows (500 per fetch)");

    // ---- exports --------------------------------------------------------------------------------------------
    public static final Setting<Boolean> EXPORT_NEUTRALISE_FORMULAS = Setting.flag("export.neutraliseFormulas", true,
            "CSV export: a text value starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so that a"
                    + " spreadsheet shows it instead of running it as a formula (see Security)");

    // ---- caches ---------------------------------------------------------------------------------------------
    public static final Setting<Long> L2_ENTITY_MAX = Setting.whole("cache.l2.entityMaxEntries", 20_000, 10, 10_000_000,
            "entries per second-level entity region");
    public static final Setting<Long> L2_QUERY_MAX = Setting.whole("cache.l2.queryMaxEntries", 2_000, 10, 10_000_000,
            "entries of the query-results region");
    public static final Setting<Duration> L2_TTL = Setting.seconds("cache.l2.ttlSeconds", 600, 1, 86_400 * 30L,
            "time to live of second-level entries");
    public static final Setting<Long> USER_CACHE_MAX = Setting.whole("cache.user.maxEntries", 10_000, 10, 10_000_000,
            "users kept by the explicit user cache");
    public static final Setting<Duration> USER_CACHE_TTL = Setting.seconds("cache.user.ttlSeconds", 300, 1, 86_400 * 30L,
            "time to live of a user cache entry");
    public static final Setting<Duration> USER_CACHE_ABSENT_TTL = Setting.seconds("cache.user.absentTtlSeconds", 10, 0, 3_600,
            "a user looked up and not found is remembered this long, so repeated look-ups of a missing id or email run no query (0 = never); creating the user or changing an email forgets it at once");
    public static final Setting<Duration> CACHE_CHECK_INTERVAL = Setting.millis("cache.check.intervalMs", 1_000, 50, 3_600_000,
            "how often the console checks the table versions for changes made elsewhere");
    public static final Setting<Boolean> CACHE_CHECK_NOTIFY = Setting.flag("cache.check.notify", true,
            "PostgreSQL: also LISTEN for change notifications (near-instant); `false` polls only");

    // ---- monitoring -----------------------------------------------------------------------------------------
    public static final Setting<Integer> MONITOR_STATEMENT_WARN = Setting.integer("monitor.statementWarnThreshold", 50, 1, 1_000_000,
            "an operation issuing more statements is flagged in the Operations view");
    public static final Setting<Integer> MONITOR_N_PLUS_ONE = Setting.integer("monitor.nPlusOneThreshold", 5, 2, 1_000_000,
            "the same SELECT run with this many different keys in one operation is flagged as N+1");
    public static final Setting<Duration> MONITOR_CONNECTION_WAIT = Setting.millis("monitor.connectionWaitWarnMs", 50, 0, 600_000,
            "an operation that waited this long for a pooled connection is flagged");
    public static final Setting<Integer> MONITOR_OPERATION_LOG = Setting.integer("monitor.operationLogCapacity", 2_000, 10, 1_000_000,
            "operations kept in the Operations view");

    /** All settings, in the README's order. */
    public static final List<Setting<?>> ALL = List.of(DATA_DIR, DB_URL, DB_USER, DB_PASSWORD, DB_SEED_USERS, DB_DURABILITY,
            POOL_MAX_SIZE, POOL_CONNECTION_TIMEOUT, POOL_MIN_IDLE, POOL_IDLE_TIMEOUT, POOL_MAX_LIFETIME, POOL_KEEPALIVE,
            TX_DEFAULT_TIMEOUT, TX_LONG_TIMEOUT, OPERATOR, SQL_SLOW_THRESHOLD, SQL_LOG_CAPACITY, SQL_USER, SQL_PASSWORD,
            SQL_STATEMENT_TIMEOUT, SQL_IDLE_CLOSE, SQL_MAX_ROWS, EXPORT_NEUTRALISE_FORMULAS,
            L2_ENTITY_MAX, L2_QUERY_MAX, L2_TTL, USER_CACHE_MAX, USER_CACHE_TTL, USER_CACHE_ABSENT_TTL, CACHE_CHECK_INTERVAL, CACHE_CHECK_NOTIFY,
            MONITOR_STATEMENT_WARN, MONITOR_N_PLUS_ONE, MONITOR_CONNECTION_WAIT, MONITOR_OPERATION_LOG);

    public static Setting<?> byKey(String key) {
        for (Setting<?> s : ALL) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** The README's settings table (markdown), generated from the declarations. */
    public static String readmeTable() {
        StringBuilder sb = new StringBuilder("| key | default | accepted | meaning |\n|---|---|---|---|\n");
        for (Setting<?> s : ALL) {
            sb.append("| `").append(s.key()).append("` | ")
                    .append(s.defaultValue().isEmpty() ? "" : "`" + s.defaultValue() + "`").append(" | ")
                    .append(s.rule().replace("|", "\\|")).append(" | ")
                    .append(s.description().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        System.out.print(readmeTable());
    }
}
