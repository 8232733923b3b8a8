package org.adminconsole.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.adminconsole.config.DbUrls;

/**
 * Every difference between H2 and PostgreSQL that the console's own code needs, in one place. Code elsewhere
 * asks the dialect instead of testing "is this PostgreSQL?".
 */
public enum Dialect {

    H2 {
        @Override public String vendorFolder() { return "h2"; }
        @Override public boolean deliversNotifications() { return false; }
        @Override public boolean honoursNetworkTimeout() { return false; }
        @Override public boolean honoursReadOnlyConnections() { return false; }
        @Override public String writtenProbeSql() { return "CALL TRANSACTION_ID()"; }
        @Override public String transactionIdSql() { return null; }
        @Override public String transactionStatusSql() { return null; }

        @Override
        public String rowEstimateSql() {
            return "SELECT ROW_COUNT_ESTIMATE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
        }

        @Override public String storedName(String unquoted) { return unquoted.toUpperCase(java.util.Locale.ROOT); }
        @Override public String generatedColumnStorage() { return ""; }
        @Override public String prefixPatternOps() { return ""; }

        @Override
        public String idMatchesEitherPrefix(String alias, String table, String first, String second) {
            // Used only for a common prefix (more than UserSql's 2,000 candidates, which are read by id): the rows are
            // read in sort order and each is checked by itself, so a page reads about 51 N / C rows (at most 25,000
            // at 1,000,000 users). Subqueries are no good here: H2 re-evaluates an IN over a UNION row by row (98 s for
            // "c" on 200,000 users), and reuses the result of an IN over one range only while the table is unchanged,
            // so with other operators saving it ran the subquery again for nearly every row (15 s a page at 100,000
            // users under LoadBench, 0.2 s alone)
            return "(" + alias + "." + first + " LIKE ? ESCAPE '!' OR " + alias + "." + second + " LIKE ? ESCAPE '!')";
        }
        // no trigram index: the console keeps its own window table (V90, UserSearchGrams)
        @Override public boolean keepsSearchGrams() { return true; }
        @Override public String customPlansSql() { return null; }
        @Override public String explainAnalyzePrefix() { return "EXPLAIN ANALYZE "; }

        @Override
        public void streamResults(Connection c, boolean on) throws SQLException {
            // H2 otherwise builds the whole result (spilling to temporary files) before returning the first row
            try (Statement st = c.createStatement()) {
                st.execute("SET LAZY_QUERY_EXECUTION " + (on ? "TRUE" : "FALSE"));
            }
        }

        @Override
        boolean isConnectionLost(SQLException e) {
            return CONNECTION_LOST_H2.contains(e.getErrorCode());
        }

        @Override public boolean timesOutStatementsInDriver() { return true; }
        @Override public String statementTimeoutSql(long millis) { return null; }

        @Override
        public String nextValuesSql(String sequence, int count) {
            return "SELECT NEXT VALUE FOR " + sequence + " FROM SYSTEM_RANGE(1, " + count + ")";
        }

        @Override public String lockWaitSql(long millis) { return "SET LOCK_TIMEOUT " + millis; }
        @Override public String currentLockWaitSql() { return "CALL LOCK_TIMEOUT()"; }

        @Override
        boolean isRetryable(SQLException e) {
            return e.getErrorCode() == 40001 || "40001".equals(e.getSQLState());
        }
    },

    POSTGRES {
        @Override public String vendorFolder() { return "postgresql"; }
        @Override public boolean deliversNotifications() { return true; }
        @Override public boolean honoursNetworkTimeout() { return true; }
        @Override public boolean honoursReadOnlyConnections() { return true; }
        @Override public String writtenProbeSql() { return "SELECT txid_current_if_assigned()"; }
        @Override public String transactionIdSql() { return "SELECT txid_current()"; }
        @Override public String transactionStatusSql() { return "SELECT txid_status(?)"; }

        @Override
        public String rowEstimateSql() {
            return "SELECT CAST(c.reltuples AS BIGINT) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname = ?";
        }

        @Override public String storedName(String unquoted) { return unquoted.toLowerCase(java.util.Locale.ROOT); }
        @Override public String generatedColumnStorage() { return " STORED"; }
        // so that LIKE 'prefix%' can use a B-tree index under any collation
        @Override public String prefixPatternOps() { return " varchar_pattern_ops"; }

        @Override
        public String idMatchesEitherPrefix(String alias, String table, String first, String second) {
            // a semi-join on the UNION of two index range scans: 0.3-24 ms on 100,000 users, where two INs joined
            // by OR become a full scan with hashed sub-plans (27-50 ms for a rare prefix, growing with the table)
            return alias + ".id IN (SELECT p1.id FROM " + table + " p1 WHERE p1." + first + " LIKE ? ESCAPE '!'"
                    + " UNION SELECT p2.id FROM " + table + " p2 WHERE p2." + second + " LIKE ? ESCAPE '!')";
        }
        // pg_trgm GIN indexes serve LIKE '%text%' by themselves (V90)
        @Override public boolean keepsSearchGrams() { return false; }
        // after five executions of a prepared statement PostgreSQL may switch to a generic plan, which cannot see the
        // LIKE pattern: for '%1234%' on 100,000 users it walked the email index checking every row (212-283 ms)
        // instead of the trigram bitmap OR of the custom plan (3-18 ms), measured with PREPARE/EXPLAIN EXECUTE
        @Override public String customPlansSql() { return "SET LOCAL plan_cache_mode = force_custom_plan"; }
        @Override public String explainAnalyzePrefix() { return "EXPLAIN (ANALYZE, BUFFERS) "; }

        @Override
        public void streamResults(Connection c, boolean on) {
            // pgjdbc streams with a fetch size on a connection in a transaction (autocommit off): nothing to switch
        }

        /**
         * pgjdbc's statement timeout cancels through a second connection, and the timed-out statement waits for that
         * cancel to finish: on a frozen network that adds the cancel's own timeout. The server's statement_timeout has
         * no such wait, so PostgreSQL statements are timed by the server (connection default, SET LOCAL per operation).
         */
        @Override public boolean timesOutStatementsInDriver() { return false; }

        @Override
        public String statementTimeoutSql(long millis) {
            return "SET LOCAL statement_timeout = " + Math.max(1, millis);
        }

        @Override
        public String nextValuesSql(String sequence, int count) {
            return "SELECT nextval('" + sequence + "') FROM generate_series(1, " + count + ")";
        }

        @Override public String lockWaitSql(long millis) { return "SET LOCAL lock_timeout = " + millis; }
        @Override public String currentLockWaitSql() { return null; }

        @Override
        boolean isConnectionLost(SQLException e) {
            String s = e.getSQLState();
            return s != null && (s.startsWith("08") || s.equals("57P01") || s.equals("57P02") || s.equals("57P03"));
        }

        @Override
        boolean isRetryable(SQLException e) {
            return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
        }
    };

    /**
     * H2 error codes that mean the connection or the database behind it is gone: 90067 connection broken,
     * 90098 database closed (after an I/O or out-of-memory error, or an interrupt), 90121 database closed at VM
     * shutdown, 90028 I/O exception, 90030 file corrupted while reading, 90108 out of memory, 90135 the database
     * is in exclusive mode.
     */
    static final Set<Integer> CONNECTION_LOST_H2 = Set.of(90067, 90098, 90121, 90028, 90030, 90108, 90135);

    public static Dialect of(String url) {
        return DbUrls.isPostgres(url) ? POSTGRES : H2;
    }

    /** The dialect of an open connection (for code that has no settings, such as Java migrations). */
    public static Dialect of(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres") ? POSTGRES : H2;
    }

    /**
     * The database's own row-count estimate of a table, or -1 when it has none (a view, a table never analyzed).
     * With a {@code schema}, both names are as the catalog stores them (from metadata); with {@code schema} null the
     * table is in the connection's current schema and named as written in SQL, unquoted.
     */
    public long rowEstimate(Connection c, String schema, String table) throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement(rowEstimateSql())) {
            ps.setString(1, schema == null ? c.getSchema() : schema);
            ps.setString(2, schema == null ? storedName(table) : table);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return -1;
                }
                double v = rs.getDouble(1);
                return rs.wasNull() || v < 0 ? -1 : Math.round(v);
            }
        }
    }

    /** The folder under {@code db/vendor} with this database's migrations. */
    public abstract String vendorFolder();

    /** Whether a committed change can be pushed to other consoles (PostgreSQL LISTEN/NOTIFY), besides polling. */
    public abstract boolean deliversNotifications();

    /**
     * Whether {@code Connection.setNetworkTimeout} bounds each wait for a reply, so an operation's deadline can reach
     * the socket. H2 ignores it; its server connections are bounded by the URL's {@code NETWORK_TIMEOUT} instead.
     */
    public abstract boolean honoursNetworkTimeout();

    /** Whether {@code Connection.setReadOnly(true)} makes the database refuse writes (PostgreSQL: BEGIN READ ONLY). */
    public abstract boolean honoursReadOnlyConnections();

    /** Returns non-null once the current transaction has written something. */
    public abstract String writtenProbeSql();

    /** The current transaction's id, for checking later whether it committed (null: not supported). */
    public abstract String transactionIdSql();

    /** 'committed', 'aborted' or 'in progress' for a transaction id (null: not supported). */
    public abstract String transactionStatusSql();

    /** Row estimate of a table from the statistics: parameters schema, table. */
    public abstract String rowEstimateSql();


    /** How the catalog stores an unquoted identifier (H2 upper case, PostgreSQL lower case). */
    public abstract String storedName(String unquoted);

    /** What follows {@code GENERATED ALWAYS AS (...)} for a stored generated column (PostgreSQL requires STORED). */
    public abstract String generatedColumnStorage();

    /** The operator class, with a leading space, that lets an index serve {@code LIKE 'prefix%'}; empty if none needed. */
    public abstract String prefixPatternOps();

    /**
     * A condition "row {@code alias} has column {@code first} or {@code second} starting with a prefix", written so
     * that each column's index serves its half; two parameters (the same LIKE pattern, escaped with '!').
     */
    public abstract String idMatchesEitherPrefix(String alias, String table, String first, String second);

    /**
     * Whether the search inside email and username looks its candidates up in the console's own window table
     * {@code user_search_grams} (H2, see {@link UserSearchGrams}); otherwise the database's own index serves
     * {@code LIKE '%text%'} (PostgreSQL, pg_trgm).
     */
    public abstract boolean keepsSearchGrams();

    /**
     * Makes the rest of the current transaction plan every statement for its parameter values (a search inside fields
     * depends on its pattern's selectivity); null where plans are always made for the values.
     */
    public abstract String customPlansSql();

    /** EXPLAIN that runs the statement and reports timings. */
    public abstract String explainAnalyzePrefix();

    /** Makes large results stream row by row on this connection (and back). */
    public abstract void streamResults(Connection c, boolean on) throws SQLException;

    abstract boolean isConnectionLost(SQLException e);

    /** Whether statements are timed by JDBC's {@code setQueryTimeout} (else by the server, see {@link #statementTimeoutSql}). */
    public abstract boolean timesOutStatementsInDriver();

    /** Sets the statement timeout for the rest of the current transaction, or null where the driver times statements. */
    public abstract String statementTimeoutSql(long millis);

    /** {@code count} next values of a sequence, one per row. */
    public abstract String nextValuesSql(String sequence, int count);

    /** How long a statement waits for a row lock (H2: for the session, so read it first and set it back; PostgreSQL: for the transaction). */
    public abstract String lockWaitSql(long millis);

    /** The session's current lock wait, to set it back afterwards; null where {@link #lockWaitSql} ends with the transaction. */
    public abstract String currentLockWaitSql();

    /** A deadlock or serialization failure: the same work may succeed when tried again. */
    abstract boolean isRetryable(SQLException e);
}
