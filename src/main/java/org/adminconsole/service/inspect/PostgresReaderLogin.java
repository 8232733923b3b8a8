package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.Database;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Parser;
import org.postgresql.jdbc.PreferQueryMode;

/**
 * The PostgreSQL reader: the login named by {@code sql.user}, created once by the database owner with
 * {@code db/roles/reader.sql}. The console never falls back to its own login.
 *
 * <p>Every connection first checks, as the reader, what the role can really do ({@link #CHECKS}: each query must
 * return no rows): no superuser or other role attributes, no membership in any role (that covers the owner and
 * {@code pg_read_server_files}, {@code pg_write_server_files}, {@code pg_execute_server_program},
 * {@code pg_signal_backend}), no table or column right other than SELECT, no sequence rights, no CREATE anywhere, no
 * temporary tables, owns nothing, no server file or large-object functions, no dblink or foreign servers, no
 * SECURITY DEFINER function it could call, and the role's session defaults read-only with statement, lock and
 * idle-in-transaction timeouts.
 *
 * <p>Statements are counted with pgjdbc's own splitter (what the driver will send), with the connection's
 * {@code standard_conforming_strings}; results are bounded by the driver's {@code maxResultBuffer}.
 */
public final class PostgresReaderLogin implements ReaderLogin {

    /** Most bytes the driver may buffer for one fetch of a result (a huge value fails cleanly instead of filling the heap). */
    static final String MAX_RESULT_BUFFER = "64M";

    static final String HOW_TO = "Create the read-only login once with db/roles/reader.sql (see README, Security) and set"
            + " sql.user and sql.password. The console never runs console SQL as its own login.";

    /** Each check returns the offending items; none may return a row. */
    static final Map<String, String> CHECKS = checks();

    private static Map<String, String> checks() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("role attributes", "SELECT rolname || ': ' || concat_ws(' ', CASE WHEN rolsuper THEN 'SUPERUSER' END,"
                + " CASE WHEN rolcreaterole THEN 'CREATEROLE' END, CASE WHEN rolcreatedb THEN 'CREATEDB' END,"
                + " CASE WHEN rolreplication THEN 'REPLICATION' END, CASE WHEN rolbypassrls THEN 'BYPASSRLS' END)"
                + " FROM pg_roles WHERE rolname IN (current_user, session_user)"
                + " AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)");
        m.put("member of", "SELECT r.rolname FROM pg_roles r WHERE r.rolname <> current_user AND pg_has_role(current_user, r.oid, 'MEMBER')");
        m.put("rights beyond SELECT on", "WITH ns AS MATERIALIZED (SELECT oid, nspname FROM pg_namespace WHERE has_schema_privilege(oid, 'USAGE'))"
                + " SELECT ns.nspname || '.' || c.relname || ' (' || p || ')' FROM pg_class c JOIN ns ON ns.oid = c.relnamespace"
                + " CROSS JOIN unnest(ARRAY['INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) p"
                + " WHERE c.relkind IN ('r','p','v','m','f') AND c.oid <> 'pg_catalog.pg_settings'::regclass"
                + " AND (has_table_privilege(c.oid, p) OR (p IN ('INSERT','UPDATE','REFERENCES') AND has_any_column_privilege(c.oid, p)))");
        m.put("sequence rights on", "WITH ns AS MATERIALIZED (SELECT oid, nspname FROM pg_namespace WHERE has_schema_privilege(oid, 'USAGE'))"
                + " SELECT ns.nspname || '.' || c.relname || ' (' || p || ')' FROM pg_class c JOIN ns ON ns.oid = c.relnamespace"
                + " CROSS JOIN unnest(ARRAY['USAGE','UPDATE']) p WHERE c.relkind = 'S' AND has_sequence_privilege(c.oid, p)");
        m.put("CREATE on schema", "SELECT nspname FROM pg_namespace WHERE has_schema_privilege(oid, 'CREATE')");
        m.put("database rights", "SELECT p FROM unnest(ARRAY['CREATE','TEMP']) p WHERE has_database_privilege(current_database(), p)");
        m.put("owns", "WITH me AS (SELECT oid FROM pg_roles WHERE rolname = current_user)"
                + " SELECT 'database ' || datname FROM pg_database, me WHERE datname = current_database() AND datdba = me.oid"
                + " UNION ALL SELECT 'schema ' || nspname FROM pg_namespace, me WHERE nspowner = me.oid"
                + " UNION ALL SELECT relnamespace::regnamespace::text || '.' || relname FROM pg_class WHERE relowner = (SELECT oid FROM me)"
                + " UNION ALL SELECT 'large object ' || oid FROM pg_largeobject_metadata WHERE lomowner = (SELECT oid FROM me)");
        m.put("can call", "SELECT f FROM unnest(ARRAY['pg_read_file(text)','pg_read_binary_file(text)','pg_ls_dir(text)',"
                + "'lo_import(text)','lo_export(oid,text)','lo_create(oid)','lo_creat(integer)','lo_from_bytea(oid,bytea)',"
                + "'lo_put(oid,bigint,bytea)']) f WHERE has_function_privilege(f::regprocedure, 'EXECUTE')");
        m.put("can reach other servers through", "SELECT 'extension ' || extname FROM pg_extension WHERE extname IN ('dblink','postgres_fdw','file_fdw','adminpack')"
                + " UNION ALL SELECT 'server ' || srvname FROM pg_foreign_server WHERE has_server_privilege(oid, 'USAGE')");
        m.put("can call SECURITY DEFINER functions", "SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'"
                + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog','information_schema') AND has_function_privilege(p.oid, 'EXECUTE')");
        // the role's own defaults (pg_db_role_setting), not the session's: the console sets statement_timeout itself
        m.put("session defaults missing (ALTER ROLE … SET)", "WITH cfg AS (SELECT split_part(c, '=', 1) AS name,"
                + " lower(substr(c, strpos(c, '=') + 1)) AS value FROM pg_db_role_setting s, unnest(s.setconfig) c"
                + " WHERE s.setrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
                + " AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database())))"
                + " SELECT 'default_transaction_read_only = on' WHERE NOT EXISTS (SELECT 1 FROM cfg"
                + " WHERE name = 'default_transaction_read_only' AND value IN ('on', 'true', 'yes', '1'))"
                + " UNION ALL SELECT w FROM unnest(ARRAY['statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout']) w"
                + " WHERE NOT EXISTS (SELECT 1 FROM cfg WHERE name = w AND value !~ '^0+(ms|s|min|h|d)?$')"
                + " UNION ALL SELECT 'standard_conforming_strings = on' FROM pg_settings WHERE name = 'standard_conforming_strings'"
                + " AND setting <> 'on'");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** All checks in one round trip: (check, item) rows. */
    private static final String ALL_CHECKS = String.join(" UNION ALL ", CHECKS.entrySet().stream()
            .map(e -> "SELECT '" + e.getKey() + "', v::text FROM (" + e.getValue() + ") AS check_rows(v)").toList());

    private final Database database;
    private final Settings settings;
    private volatile java.time.Duration statementTimeout = java.time.Duration.ofSeconds(30);

    PostgresReaderLogin(Database database) {
        this.database = database;
        this.settings = database.settings();
    }

    @Override
    public String name() {
        return settings.get(Keys.SQL_USER).strip();
    }

    /**
     * PostgreSQL times the reader's statements itself (as the console's own connections, see {@code Dialect}): the
     * session's statement_timeout is the console's, and the socket waits a little longer than that.
     */
    @Override
    public java.time.Duration statementTimeout(java.time.Duration requested) {
        statementTimeout = requested;
        return requested;
    }

    private Map<String, String> driverProperties() {
        long ms = statementTimeout.toMillis();
        return Map.of("maxResultBuffer", MAX_RESULT_BUFFER,
                "options", "-c statement_timeout=" + ms,
                "socketTimeout", String.valueOf((ms + ms / 20 + 2_000 + 999) / 1000));
    }

    @Override
    public Connection connect() throws SQLException, ReaderRefusedException {
        String user = name();
        if (user.isEmpty()) {
            throw new ReaderRefusedException("The SQL console needs a read-only login on PostgreSQL, and sql.user is not set. " + HOW_TO);
        }
        if (user.equals(settings.dbUser())) {
            throw new ReaderRefusedException("sql.user '" + user + "' is the console's own login (db.user), which can change"
                    + " everything. " + HOW_TO);
        }
        Connection c;
        try {
            c = database.openDirect(user, settings.get(Keys.SQL_PASSWORD), true, driverProperties());
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("28") || state.equals("3D000")) {
                throw new ReaderRefusedException("The SQL console cannot log in as sql.user '" + user + "': "
                        + Inspection.firstLine(e.getMessage()) + ". " + HOW_TO);
            }
            throw e;
        }
        try {
            verify(c, user);
            return c;
        } catch (SQLException | ReaderRefusedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static void verify(Connection c, String user) throws SQLException, ReaderRefusedException {
        PGConnection pg = c.unwrap(PGConnection.class);
        if (pg.getPreferQueryMode() == PreferQueryMode.SIMPLE) {
            throw new ReaderRefusedException("db.url sets preferQueryMode=simple, in which the server splits statements itself;"
                    + " the SQL console needs the driver's default (extended) mode.");
        }
        List<String> problems = problems(c, ALL_CHECKS);
        if (!problems.isEmpty()) {
            throw new ReaderRefusedException("sql.user '" + user + "' can do more than read: " + String.join("; ", problems)
                    + ". " + HOW_TO);
        }
    }

    /** The checks of a connection profile's login: all but the role's own session defaults, which the profile sets per session. */
    private static final String PROFILE_CHECKS = String.join(" UNION ALL ", CHECKS.entrySet().stream()
            .filter(e -> !e.getKey().startsWith("session defaults"))
            .map(e -> "SELECT '" + e.getKey() + "', v::text FROM (" + e.getValue() + ") AS check_rows(v)").toList());

    /**
     * What the connection's login can do beyond reading (empty when nothing), checked as for the console's reader
     * except for the role's session defaults: a connection profile sets read-only and its timeouts for each session.
     */
    public static List<String> profileProblems(Connection c) throws SQLException {
        return problems(c, PROFILE_CHECKS);
    }

    private static List<String> problems(Connection c, String checks) throws SQLException {
        Map<String, List<String>> found = new java.util.LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(checks)) {
            while (rs.next()) {
                List<String> items = found.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                if (items.size() < 5) {
                    items.add(rs.getString(2));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        found.forEach((what, items) -> problems.add(what + " " + String.join(", ", items)));
        return problems;
    }

    @Override
    public int statementCount(Connection c, String sql) throws SQLException {
        return count(c, sql);
    }

    /** pgjdbc's own count of the statements in {@code sql} on this connection (its standard_conforming_strings). */
    static int count(Connection c, String sql) throws SQLException {
        boolean scs = c.unwrap(BaseConnection.class).getStandardConformingStrings();
        // what the driver itself does with a query string (CachedQueryCreateAction): JDBC escapes, then its splitter
        String processed = Parser.replaceProcessing(sql, true, scs);
        return Parser.parseJdbcSql(processed, scs, true, true, false, false).size();
    }

    /** PostgreSQL checks EXECUTE rights itself; user-defined functions run with the reader's rights. */
    @Override
    public Set<String> deniedFunctions(Connection c) {
        return Set.of();
    }
}
