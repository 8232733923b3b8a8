package org.adminconsole.service.users;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.domain.Visibility;

/**
 * H2, one page of a common prefix (more than {@link UserSql#GRAM_CANDIDATES_MAX} candidates). The general plan walks
 * the sort index and checks each row's keys (see {@code Dialect.idMatchesEitherPrefix}). Sorted by the prefix's own
 * column, or by one that goes with it (in the demo data a user's departments follow the first name), the matches sit
 * together in that index, so the walk read every row before them: under LoadBench at 100,000 users {@code ni%} by
 * username descending took 2.7 s and {@code zo%} by email ascending 1.5 s, at 1,000,000 users {@code ru%} by
 * Departments 13-15 s (past the deadline).
 *
 * <p>Here the walk is bounded: the page is first looked for in the next {@link #slice} rows of the sort order (the
 * walk's own answer whenever the matches start there, e.g. {@code a%} by email ascending). Only when the slice holds
 * fewer than a page, each half of the search reads its own index range ({@code email_key}, {@code username_key}),
 * sorted and cut to the page, and the two are merged: a cost of the matches, not of the table. Where the matches are
 * spread over the sort order the slice holds the page whenever they are not rare (C candidates among N users: about
 * 5,000 C / N matches in the slice); where they are rarer, the range reads cost about 2 C rows, no more than the walk's
 * 51 N / C.
 */
final class H2PrefixPage {

    /** Rows of the sort order the bounded walk reads. */
    static final int SLICE = 5_000;
    /** {@link #SLICE}, lowered by tests to drive the range reads on a small database. */
    static volatile int slice = SLICE;

    /** The two halves of a prefix search: the key column and its index. */
    static final String[][] HALVES = {{"email_key", "ix_users_email_key_id"}, {"username_key", "ix_users_username_key"}};

    private H2PrefixPage() {
    }

    /** Whether a page of {@code q} is read here, once the prefix is known to have more candidates than are read by id. */
    static boolean applies(UserQuery q, Dialect dialect, Visibility v) {
        return dialect == Dialect.H2 && !v.masked() && !q.search().isEmpty() && !q.searchesInside() && q.search().indexOf('\0') < 0;
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
        String prefix = UserSql.likePrefix(q.search());
        UserQuery rest = q.withSearch("");

        UserListing.PageRows inSlice = H2SlicedPage.inSlice(c, q, ascending, after, size, v, slice,
                "(u.email_key LIKE ? ESCAPE '!' OR u.username_key LIKE ? ESCAPE '!')", List.of(prefix, prefix));
        if (inSlice.rows().size() > size) {
            return inSlice;
        }

        List<UserListing.PageRows> halves = new ArrayList<>();
        for (String[] half : HALVES) {
            List<Object> p = new ArrayList<>();
            p.add(prefix);
            StringBuilder sql = new StringBuilder("SELECT " + UserSql.COLUMNS + ", " + expr + " AS sort_key FROM " + v.usersTable()
                    + " u USE INDEX (" + half[1] + ") WHERE u." + half[0] + " LIKE ? ESCAPE '!' AND " + UserSql.where(c, rest, p, Dialect.H2, v));
            if (after != null) {
                sql.append(UserSql.keyset(expr, ascending, after, p));
            }
            sql.append(order).append(" LIMIT ?");
            p.add(size + 1);
            halves.add(UserListing.readRows(c, sql.toString(), p, q.sort()));
        }
        return merge(halves, ascending, size + 1);
    }

    /** The first {@code limit} distinct rows of both halves in page order (sort key, then id). */
    private static UserListing.PageRows merge(List<UserListing.PageRows> halves, boolean ascending, int limit) {
        record Entry(UserListing.Row row, UserPage.Key key) {
        }
        List<Entry> all = new ArrayList<>();
        for (UserListing.PageRows h : halves) {
            for (int i = 0; i < h.rows().size(); i++) {
                all.add(new Entry(h.rows().get(i), h.keys().get(i)));
            }
        }
        // the sort keys as read (String, BigDecimal, LocalDateTime, Boolean) in their natural order, which is H2's for
        // these types (no collation set; FALSE before TRUE; NULL first, though no sort key column holds one)
        Comparator<Entry> inOrder = (a, b) -> {
            int c = compareKeys(a.key().sortValue(), b.key().sortValue());
            return c != 0 ? c : Long.compare(a.key().id(), b.key().id());
        };
        all.sort(ascending ? inOrder : inOrder.reversed());
        List<UserListing.Row> rows = new ArrayList<>();
        List<UserPage.Key> keys = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (Entry e : all) {
            if (rows.size() == limit) {
                break;
            }
            if (seen.add(e.row().id())) {
                rows.add(e.row());
                keys.add(e.key());
            }
        }
        return new UserListing.PageRows(rows, keys);
    }

    @SuppressWarnings("unchecked")
    private static int compareKeys(Object a, Object b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? -1 : 1;
        }
        return ((Comparable<Object>) a).compareTo(b);
    }
}
