package org.adminconsole.service.users;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.UserSearchGrams;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.Visibility;

/**
 * SQL pieces of the user queries: filters, sort expressions and keyset conditions, and the departments of a set
 * of users (shared by {@link UserListing} and {@link UserBulk}). Portable H2/PostgreSQL, but for what the {@link Dialect} writes.
 */
final class UserSql {

    static final String COLUMNS = "u.id, u.email, u.username, u.role, u.active, u.quota, u.usage_amount, u.settings, "
            + "u.created_at, u.updated_at, u.created_by, u.updated_by, u.last_login, u.version";

    private UserSql() {
    }

    /** The sort expression of a column (what the keyset compares). */
    static String sortExpression(UserQuery.Sort sort) {
        return switch (sort) {
            case EMAIL -> "u.email_key";
            case USERNAME -> "u.username";
            case ROLE -> "u.role";
            case ACTIVE -> "u.active";
            case DEPARTMENTS -> "u.department_key"; // first department name, indexed (V62)
            case QUOTA -> "u.quota";
            case USAGE -> "u.usage_amount";
            case LAST_LOGIN -> "u.last_login_key"; // COALESCE(last_login, 1970-01-01), indexed (V32)
            case UPDATED -> "u.updated_at";
        };
    }

    /** The index that holds a sort column in page order, (column, id) or a unique column. */
    static String sortIndex(UserQuery.Sort sort) {
        return switch (sort) {
            case EMAIL -> "ix_users_email_key_id";
            case USERNAME -> "ix_users_username_id";
            case ROLE -> "ix_users_role";
            case ACTIVE -> "ix_users_active";
            case DEPARTMENTS -> "ix_users_department_key";
            case QUOTA -> "ix_users_quota";
            case USAGE -> "ix_users_usage";
            case LAST_LOGIN -> "ix_users_last_login_key";
            case UPDATED -> "ix_users_updated";
        };
    }

    /**
     * What follows {@code FROM users u} in a page query. H2 picks the index of an equality filter (role, active) and
     * then sorts every matching row (EXPLAIN: 89,800 rows read and sorted for one page of active users sorted by
     * update time at 100,000 users); it reads a sort index in order only when no condition has an index. So on H2 a
     * page without a search names its sort index: the page is read in order and stops after the page (58 rows read
     * for the same page). The search keeps H2's own plan (its candidates by id, or the sort order checked row by row,
     * see {@link Dialect#idMatchesEitherPrefix}). PostgreSQL weighs LIMIT against the filters itself: nothing added.
     */
    private static String pageIndexHint(UserQuery q, Dialect dialect, Visibility v) {
        // users_masked is a view: no index to name (its email sort key is computed, so that sort reads the whole view)
        return dialect == Dialect.H2 && q.search().isEmpty() && !v.masked() ? " USE INDEX (" + sortIndex(q.sort()) + ")" : "";
    }

    /**
     * {@code FROM … WHERE …} of a statement that reads the matches in sort order: a page and the export. Usually the
     * users read in sort order ({@link #pageIndexHint}). On H2 a department filter with the Departments sort reads the
     * department's links instead, joined to their users and sorted (one department: about 1/8 of the users): the sort
     * key (the user's department names) is correlated with the filter, so walking the sort index read most of the table
     * before the department's users came (3.3 s a page at 100,000 users under LoadBench).
     */
    static String orderedFromWhere(Connection c, UserQuery q, List<Object> params, Dialect dialect, Visibility v) throws SQLException {
        boolean viaLinks = dialect == Dialect.H2 && q.departmentId() != null && q.sort() == UserQuery.Sort.DEPARTMENTS
                && q.search().isEmpty() && !v.masked();
        String from = viaLinks ? unorderedFrom(q, dialect, v) : v.usersTable() + " u" + pageIndexHint(q, dialect, v);
        return from + " WHERE " + where(c, q, params, dialect, v, viaLinks);
    }

    /** Reads the sort key from column {@code sort_key} with the right Java type. */
    static Object readSortKey(ResultSet rs, UserQuery.Sort sort) throws SQLException {
        return switch (sort) {
            case EMAIL, USERNAME, ROLE, DEPARTMENTS -> rs.getString("sort_key");
            case ACTIVE -> rs.getBoolean("sort_key");
            case QUOTA, USAGE -> rs.getBigDecimal("sort_key");
            case LAST_LOGIN, UPDATED -> rs.getObject("sort_key", LocalDateTime.class);
        };
    }

    /**
     * Above this many windows starting with the text (H2), the search walks the sort order checking each row instead
     * of looking the candidates up: the matches are then dense enough that a page is found after a few thousand rows,
     * while collecting every candidate first would cost a pass over all of them. With C candidates among N users a
     * page costs about C lookups one way and 51 N / C row checks the other, even near C = sqrt(51 N): 2,300 at
     * 100,000 users, 7,100 at 1,000,000. Measured at 100,000 users (loaded machine): "lic", 5,000 candidates looked
     * up, took 521 ms a page against 29 ms for "1234" (20 users) and 103 ms for "example.com" (walked).
     */
    static final int GRAM_CANDIDATES_MAX = 2_000;
    /** {@link #GRAM_CANDIDATES_MAX}, lowered by tests to drive the other path on a small database. */
    static volatile int gramCandidatesMax = GRAM_CANDIDATES_MAX;
    /**
     * The same bound for a count or an estimate of a search inside fields (H2): these read every match, so the walk that
     * suits a page (matches early in sort order) is no help to them, and up to this many candidate windows are looked up
     * by id instead of testing every user (LoadBench at 100,000 users: counts of texts such as {@code sybi} or {@code judy}, a few
     * thousand windows, took 0.2-0.5 s each as a scan of users under eight operators). A text with more windows (one
     * found in most users, e.g. {@code example}) is still counted by reading the table, which then costs less.
     */
    static final int INSIDE_COUNT_CANDIDATES_MAX = 20_000;

    /**
     * Filter conditions (after WHERE), appending their parameters. Always returns a condition. {@code c}: on H2 a
     * search inside fields first counts its candidates (at most {@link #GRAM_CANDIDATES_MAX} + 1 index entries).
     */
    static String where(Connection c, UserQuery q, List<Object> params, Dialect dialect) throws SQLException {
        return where(c, q, params, dialect, Visibility.FULL, false);
    }

    /** {@link #where(Connection, UserQuery, List, Dialect, Visibility, boolean)} for a page read in sort order. */
    static String where(Connection c, UserQuery q, List<Object> params, Dialect dialect, Visibility v) throws SQLException {
        return where(c, q, params, dialect, v, false);
    }

    /**
     * The FROM of a statement that reads the matches in no particular order, with {@link #where where(…, true)}. On H2 a
     * department filter starts from the department's links, each joined to its user by primary key (every link is one
     * user, so a count stays exact): 16,667 links instead of 200,000 users each probed for a link. Not as a subquery
     * ({@code u.id IN (SELECT …)}): H2 reuses a subquery's result only while the table is unchanged, so with other
     * operators saving it ran it again row by row (LoadBench: counts past the 15 s deadline).
     */
    static String unorderedFrom(UserQuery q, Dialect dialect, Visibility v) {
        return q.departmentId() != null && dialect == Dialect.H2
                ? "user_departments fd JOIN " + v.usersTable() + " u ON u.id = fd.user_id" : v.usersTable() + " u";
    }

    /**
     * Filter conditions for rows read from {@code v.usersTable()}. A masked search (a viewer's) compares the text with
     * the masked email ({@code users_masked.email_key}) and the username only, never with the real email: a match can
     * show nothing the row does not already show. It uses no search windows (they spell the real emails out; a viewer
     * may not read them) and on H2 no prefix candidates, so it reads the rows in sort order and checks each.
     * {@code unordered}: for a statement that reads the matches in no particular order (a count, an estimate), whose
     * FROM is {@link #unorderedFrom}: on H2 a department filter is then a join from the department's links instead of
     * a probe of every user's links, which a page read in sort order needs.
     */
    static String where(Connection c, UserQuery q, List<Object> params, Dialect dialect, Visibility v, boolean unordered)
            throws SQLException {
        StringBuilder sb = new StringBuilder("1 = 1");
        if (q.search().indexOf('\0') >= 0) {
            sb.append(" AND 1 = 0"); // no email or username holds NUL (and PostgreSQL refuses it in a parameter)
        } else if (q.searchesInside()) {
            sb.append(" AND ").append(inside(c, q.search(), params, dialect, v, unordered ? INSIDE_COUNT_CANDIDATES_MAX : gramCandidatesMax));
        } else if (!q.search().isEmpty()) {
            String prefix = likePrefix(q.search());
            List<Long> few = dialect.keepsSearchGrams() && !v.masked() ? prefixCandidates(c, prefix) : null;
            if (few != null && few.isEmpty()) {
                sb.append(" AND 1 = 0");
            } else if (few != null) {
                // read in sort order, H2 tested row after row until the page was full: 0.6-5.2 s at 1,000,000 users
                // for a rare prefix. Few candidates are read by id instead
                sb.append(" AND u.id IN (").append(placeholders(few.size())).append(")");
                params.addAll(few);
            } else {
                // PostgreSQL: the two index range scans (email_key, and username_key = lower(username), see V31);
                // H2, a common prefix: each row read in sort order checks its own keys (see the dialect)
                sb.append(" AND ").append(dialect.idMatchesEitherPrefix("u", v.usersTable(), "email_key", "username_key"));
                params.add(prefix);
                params.add(prefix);
            }
        }
        if (q.role() != null) {
            sb.append(" AND u.role = ?");
            params.add(q.role().name());
        }
        if (q.active() != null) {
            sb.append(" AND u.active = ?");
            params.add(q.active());
        }
        if (q.departmentId() != null && unordered && dialect == Dialect.H2) {
            sb.append(" AND fd.department_id = ?"); // the links joined in unorderedFrom
            params.add(q.departmentId());
        } else if (q.departmentId() != null) {
            sb.append(" AND EXISTS (SELECT 1 FROM user_departments fd WHERE fd.user_id = u.id AND fd.department_id = ?)");
            params.add(q.departmentId());
        }
        if (q.overQuota()) {
            sb.append(" AND u.over_quota"); // usage_amount > quota, a generated column with an index (V130)
        }
        return sb.toString();
    }

    /**
     * "email or username contains the text": on PostgreSQL the two LIKEs, each served by its pg_trgm index (a bitmap
     * OR); on H2 the same check on the candidates from {@code user_search_grams} when there are few, else on the rows
     * in sort order. The text is bound, with {@code %}, {@code _} and {@code \} escaped (LIKE's default escape).
     */
    private static String inside(Connection c, String search, List<Object> params, Dialect dialect, Visibility v, int max)
            throws SQLException {
        String check = INSIDE_CHECK;
        String pattern = insidePattern(search);
        String sql = check;
        if (dialect.customPlansSql() != null) {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute(dialect.customPlansSql());
            }
        }
        if (dialect.keepsSearchGrams() && !v.masked()) {
            // the windows starting with the text's first characters, as a range (an index range scan, which H2 does
            // not make of a LIKE on a parameter): every window is shorter than key + U+FFFF
            if (insideWindows(c, search, max) <= max) {
                String from = UserSearchGrams.lookupKey(search);
                sql = "u.id IN (SELECT g.user_id FROM user_search_grams g WHERE g.gram >= ? AND g.gram < ?) AND " + check;
                params.add(from);
                params.add(from + '\uffff');
            }
        }
        params.add(pattern);
        params.add(pattern);
        return sql;
    }

    /** "Email or username contains": the check of a row, with {@link #insidePattern} bound twice. */
    static final String INSIDE_CHECK = "(u.email_key LIKE ? OR u.username_key LIKE ?)";

    /** The LIKE pattern of a search inside fields: the text, lower case, its wildcards escaped, between two {@code %}. */
    static String insidePattern(String search) {
        return "%" + escapeLike(search.toLowerCase(Locale.ROOT)) + "%";
    }

    /**
     * H2: how many search windows start with the text's lookup key (every user containing the text has one), counted up
     * to {@code max + 1}: one index range. The windows start at {@link UserSearchGrams#lookupKey}; each is shorter than
     * that key followed by U+FFFF, so the range is [key, key + U+FFFF).
     */
    static long insideWindows(Connection c, String search, int max) throws SQLException {
        String from = UserSearchGrams.lookupKey(search);
        return countUpTo(c, "SELECT COUNT(*) FROM (SELECT 1 FROM user_search_grams WHERE gram >= ? AND gram < ? LIMIT "
                + (max + 1) + ") t", from, from + '\uffff');
    }

    /**
     * H2: the ids of users whose email or username starts with the prefix, from the two index ranges, when there are
     * at most {@link #gramCandidatesMax}; null when there are more (a common prefix: its matches come early in sort
     * order, so reading in order finds a page soon).
     */
    static List<Long> prefixCandidates(Connection c, String prefix) throws SQLException {
        int max = gramCandidatesMax;
        java.util.Set<Long> ids = new java.util.LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("(SELECT p1.id FROM users p1 WHERE p1.email_key LIKE ? ESCAPE '!' LIMIT " + (max + 1)
                + ") UNION (SELECT p2.id FROM users p2 WHERE p2.username_key LIKE ? ESCAPE '!' LIMIT " + (max + 1) + ")")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    if (ids.size() > max) {
                        return null;
                    }
                }
            }
        }
        return new ArrayList<>(ids);
    }

    /** Escapes LIKE's wildcards and its default escape character, so the text matches literally. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static long countUpTo(Connection c, String sql, String from, String to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, from);
            ps.setString(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String likePrefix(String search) {
        String s = search.toLowerCase(java.util.Locale.ROOT);
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    /**
     * Keyset condition "after key" in the given direction, written so the leading comparison is sargable:
     * {@code col >= ? AND (col > ? OR id > ?)} (reversed for descending).
     */
    static String keyset(String expr, boolean forward, UserPage.Key key, List<Object> params) {
        String ge = forward ? ">=" : "<=";
        String gt = forward ? ">" : "<";
        params.add(key.sortValue());
        params.add(key.sortValue());
        params.add(key.id());
        return " AND " + expr + " " + ge + " ? AND (" + expr + " " + gt + " ? OR u.id " + gt + " ?)";
    }

    static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof BigDecimal b) {
                ps.setBigDecimal(i + 1, b);
            } else if (p instanceof LocalDateTime t) {
                ps.setObject(i + 1, t);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** The departments of each given user, by name (users without any are absent from the map). */
    static Map<Long, List<DepartmentView>> departmentsOf(Connection c, List<Long> ids) throws SQLException {
        Map<Long, List<DepartmentView>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        String sql = "SELECT ud.user_id, d.id, d.name, d.description FROM user_departments ud JOIN departments d "
                + "ON d.id = ud.department_id WHERE ud.user_id IN (" + placeholders(ids.size()) + ") ORDER BY d.name";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, new ArrayList<>(ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new DepartmentView(rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return out;
    }
}
