package org.adminconsole.service.inspect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a hostile statement could have changed, read as the database's admin: a checksum of every row of every
 * table of the console's schema, and the catalog (tables, users and roles with their rights and settings, aliases and
 * functions, sequences with their current values, schemas, large objects, prepared transactions, and locks or open
 * transactions the reader still holds). Two equal fingerprints mean nothing changed. Per part, so that a difference
 * says where.
 */
final class DatabaseFingerprint {

    private DatabaseFingerprint() {
    }

    static Map<String, String> of(Connection admin, boolean h2, String schema, String reader) throws SQLException {
        Map<String, String> parts = new LinkedHashMap<>();
        List<String> tables = new ArrayList<>();
        try (Statement st = admin.createStatement()) {
            String tableSql = h2
                    ? "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '" + schema + "' AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1"
                    : "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema
                            + "' AND c.relkind IN ('r','p','S') ORDER BY 1";
            try (ResultSet rs = st.executeQuery(tableSql)) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (h2) {
                for (String t : tables) {
                    parts.put("rows of " + t, digest(st, "SELECT * FROM \"" + schema + "\".\"" + t + "\""));
                }
                for (Map.Entry<String, String> e : h2Catalog(schema).entrySet()) {
                    parts.put(e.getKey(), digest(st, e.getValue()));
                }
                return parts;
            }
            // PostgreSQL: every part digested by the server, in one round trip (sequences are relations: their
            // current value is their row)
            Map<String, String> queries = new LinkedHashMap<>();
            for (String t : tables) {
                queries.put("rows of " + t, "SELECT * FROM \"" + schema + "\".\"" + t + "\"");
            }
            queries.putAll(pgCatalog(schema, reader));
            StringBuilder sql = new StringBuilder();
            for (Map.Entry<String, String> e : queries.entrySet()) {
                if (sql.length() > 0) {
                    sql.append(" UNION ALL ");
                }
                sql.append("SELECT '").append(e.getKey().replace("'", "''")).append("', (SELECT count(*) || ':' || md5(coalesce("
                        + "string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM (").append(e.getValue()).append(") x)");
            }
            try (ResultSet rs = st.executeQuery(sql.toString())) {
                while (rs.next()) {
                    parts.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return parts;
    }

    private static Map<String, String> h2Catalog(String schema) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tables", "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA'");
        m.put("columns", "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA'");
        m.put("users", "SELECT USER_NAME, IS_ADMIN FROM INFORMATION_SCHEMA.USERS");
        m.put("roles", "SELECT ROLE_NAME FROM INFORMATION_SCHEMA.ROLES");
        m.put("rights", "SELECT GRANTEE, GRANTEETYPE, GRANTEDROLE, RIGHTS, TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.RIGHTS");
        m.put("aliases", "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE, EXTERNAL_NAME FROM INFORMATION_SCHEMA.ROUTINES");
        m.put("sequences", "SELECT SEQUENCE_SCHEMA, SEQUENCE_NAME, BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES");
        m.put("schemas", "SELECT SCHEMA_NAME, SCHEMA_OWNER FROM INFORMATION_SCHEMA.SCHEMATA");
        m.put("triggers", "SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE FROM INFORMATION_SCHEMA.TRIGGERS");
        m.put("constants and domains", "SELECT CONSTANT_NAME FROM INFORMATION_SCHEMA.CONSTANTS UNION ALL SELECT DOMAIN_NAME FROM INFORMATION_SCHEMA.DOMAINS");
        m.put("settings", "SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME NOT LIKE 'info.%'");
        m.put("locks", "SELECT TABLE_SCHEMA, TABLE_NAME, LOCK_TYPE FROM INFORMATION_SCHEMA.LOCKS");
        return m;
    }

    private static Map<String, String> pgCatalog(String schema, String reader) {
        String quotedReader = "'" + reader.replace("'", "''") + "'";
        Map<String, String> m = new LinkedHashMap<>();
        m.put("relations", "SELECT n.nspname, c.relname, c.relkind, c.relacl::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname IN ('" + schema + "', 'public')");
        m.put("columns", "SELECT c.relname, a.attname, a.atttypid, a.attacl::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "' AND a.attnum > 0");
        m.put("roles", "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls,"
                + " rolconnlimit FROM pg_roles WHERE rolname NOT LIKE 'acx\\_%'");
        // pg_auth_members and pg_db_role_setting are cluster-wide: ReaderConnectionsTest, in another test JVM, grants
        // and alters roles of its own (acx_…) at the same time, so those are left out as in "roles" above
        m.put("role memberships", "SELECT roleid::regrole::text, member::regrole::text FROM pg_auth_members"
                + " WHERE roleid::regrole::text NOT LIKE 'acx\\_%' AND member::regrole::text NOT LIKE 'acx\\_%'");
        m.put("role settings", "SELECT setdatabase, setrole::regrole::text, setconfig::text FROM pg_db_role_setting"
                + " WHERE setrole = 0 OR setrole::regrole::text NOT LIKE 'acx\\_%'");
        m.put("functions", "SELECT p.oid::regprocedure::text, p.prosecdef, p.proacl::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname IN ('" + schema + "', 'public')");
        m.put("function rights", "SELECT p.oid::regprocedure::text, p.proacl::text FROM pg_proc p WHERE p.proname LIKE 'lo\\_%'"
                + " OR p.proname LIKE 'pg\\_read%' OR p.proname IN ('pg_ls_dir', 'pg_terminate_backend')");
        m.put("schemas", "SELECT nspname, nspacl::text FROM pg_namespace WHERE nspname NOT LIKE 't\\_%' AND nspname NOT LIKE 'pg\\_temp%'"
                + " AND nspname NOT LIKE 'pg\\_toast\\_temp%'");
        m.put("large objects", "SELECT oid, lomowner FROM pg_largeobject_metadata");
        m.put("extensions", "SELECT extname FROM pg_extension");
        m.put("database", "SELECT datname, datacl::text FROM pg_database WHERE datname = current_database()");
        m.put("prepared transactions", "SELECT gid FROM pg_prepared_xacts");
        m.put("the reader's locks and transactions", "SELECT l.locktype, l.mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE a.usename = " + quotedReader + " AND a.datname = current_database() AND l.locktype IN ('advisory', 'relation', 'tuple', 'transactionid')"
                + " UNION ALL SELECT 'session', state FROM pg_stat_activity WHERE usename = " + quotedReader
                + " AND datname = current_database()"
                + " AND state LIKE 'idle in transaction%'");
        return m;
    }

    /** A SHA-256 of the query's rows in a stable order (rows sorted as text). */
    private static String digest(Statement st, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    sb.append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v)).append('\u0001');
                }
                rows.add(sb.toString());
            }
        }
        rows.sort(null);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String r : rows) {
                md.update(r.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return rows.size() + ":" + HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
