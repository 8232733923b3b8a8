package org.adminconsole.service.users;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.adminconsole.domain.Visibility;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.UserSearchGrams;

/**
 * H2, one page of a query whose matches may be rare in its sort order, read in two steps: first at most {@link #slice}
 * rows of the sort order, checked one by one (the page whenever the matches are not rare there); only when those hold
 * less than a page, the matches themselves, read by another index and sorted. Two kinds of query (LoadBench at 100,000
 * users, 8 operators: each was among the pages above 1 s):
 * <ul>
 *   <li><b>a search inside fields</b> with more candidate windows than a page looks up by id
 *       ({@link UserSql#gramCandidatesMax}) but at most {@link UserSql#INSIDE_COUNT_CANDIDATES_MAX}: a text such as
 *       {@code dave} is in 1 user in 20, but sorted by email descending those users come last, and the walk read
 *       80,051 rows for a page (1.1 s under load). Step two reads the candidates of {@code user_search_grams} (5,001
 *       windows, the users by primary key) and sorts the matches;</li>
 *   <li><b>a department with another filter</b> (role, active, over quota), not sorted by Departments (that sort
 *       always reads the links, see {@link UserSql#orderedFromWhere}): a guest over quota in one department is 1 user in
 *       about 860, and the walk read 74,158 rows (1.4 s under load). Step two reads the department's links, their users
 *       by primary key, and sorts the matches (16,668 rows).</li>
 * </ul>
 * Where the matches are common, step one answers as the walk did (a department with active users: 688 rows read).
 */
final class H2SlicedPage {

    /** Rows of the sort order read in step one. */
    static final int SLICE = 5_000;
    /** {@link #SLICE}, lowered by tests to drive step two on a small database. */
    static volatile int slice = SLICE;

    private H2SlicedPage() {
    }

    /** Whether a page of {@code q} is read here (an H2 window count for a search inside fields). */
    static boolean applies(Connection c, UserQuery q, Dialect dialect, Visibility v) throws SQLException {
        if (dialect != Dialect.H2 || v.masked() || q.search().indexOf('\0') >= 0) {
            return false;
        }
        if (q.searchesInside()) {
            long windows = UserSql.insideWindows(c, q.search(), UserSql.INSIDE_COUNT_CANDIDATES_MAX);
            return windows > UserSql.gramCandidatesMax && windows <= UserSql.INSIDE_COUNT_CANDIDATES_MAX;
        }
        return q.search().isEmpty() && departmentWithAnotherFilter(q);
    }

    private static boolean departmentWithAnotherFilter(UserQuery q) {
        return q.departmentId() != null && q.sort() != UserQuery.Sort.DEPARTMENTS
                && (q.role() != null || q.active() != null || q.overQuota());
    }

    /**
     * Step one (also of {@link H2PrefixPage}): of at most {@code slice} rows of the sort order after {@code after}, up to
     * {@code size + 1} that match {@code check} (with {@code checkParams}) and the query's filters other than its search.
     */
    static UserListing.PageRows inSlice(Connection c, UserQuery q, boolean ascending, UserPage.Key after, int size, Visibility v,
                                        int slice, String check, List<Object> checkParams) throws SQLException {
        String expr = UserSql.sortExpression(q.sort());
        String dir = ascending ? " ASC" : " DESC";
        String order = " ORDER BY " + expr + dir + ", u.id" + dir;
        List<Object> params = new ArrayList<>();
        StringBuilder inner = new StringBuilder("SELECT u.* FROM " + v.usersTable() + " u USE INDEX (" + UserSql.sortIndex(q.sort())
                + ") WHERE 1 = 1");
        if (after != null) {
            inner.append(UserSql.keyset(expr, ascending, after, params));
        }
        inner.append(order).append(" LIMIT ").append(slice);
        params.addAll(checkParams);
        String sql = "SELECT " + UserSql.COLUMNS + ", " + expr + " AS sort_key FROM (" + inner + ") u WHERE " + check + " AND "
                + UserSql.where(c, q.withSearch(""), params, Dialect.H2, v) + order + " LIMIT ?";
        params.add(size + 1);
        return UserListing.readRows(c, sql, params, q.sort());
    }

    /**
     * Up to {@code size + 1} rows of the page in read order ({@code ascending} already reversed for a backward page),
     * after {@code after} (null for a first or last page).
     */
    static UserListing.PageRows read(Connection c, UserQuery q, boolean ascending, UserPage.Key after, int size, Visibility v)
            throws SQLException {
        String expr = UserSql.sortExpression(q.sort());
        String dir = ascending ? " ASC" : " DESC";
        String order = " ORDER BY " + expr + dir + ", u.id" + dir;
        boolean inside = q.searchesInside();
        UserQuery rest = q.withSearch("");

        // step one: a slice of the sort order, each row checked
        String pattern = UserSql.insidePattern(q.search());
        UserListing.PageRows inSlice = inSlice(c, q, ascending, after, size, v, slice,
                inside ? UserSql.INSIDE_CHECK : "1 = 1", inside ? List.of(pattern, pattern) : List.of());
        if (inSlice.rows().size() > size) {
            return inSlice;
        }

        // step two: the matches by another index, sorted
        List<Object> p = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + UserSql.COLUMNS + ", " + expr + " AS sort_key FROM ");
        if (inside) {
            // a join from the candidates, not u.id IN (SELECT …): H2 would walk the sort order testing that per row
            String key = UserSearchGrams.lookupKey(q.search());
            sql.append("(SELECT DISTINCT g.user_id FROM user_search_grams g WHERE g.gram >= ? AND g.gram < ?) c JOIN ")
                    .append(v.usersTable()).append(" u ON u.id = c.user_id WHERE ").append(UserSql.INSIDE_CHECK).append(" AND ");
            p.add(key);
            p.add(key + '\uffff');
            p.add(pattern);
            p.add(pattern);
            sql.append(UserSql.where(c, rest, p, Dialect.H2, v));
        } else {
            sql.append(UserSql.unorderedFrom(q, Dialect.H2, v)).append(" WHERE ").append(UserSql.where(c, q, p, Dialect.H2, v, true));
        }
        if (after != null) {
            sql.append(UserSql.keyset(expr, ascending, after, p));
        }
        sql.append(order).append(" LIMIT ?");
        p.add(size + 1);
        return UserListing.readRows(c, sql.toString(), p, q.sort());
    }
}
