package org.adminconsole.service.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.adminconsole.domain.Visibility;
import org.adminconsole.persistence.Dialect;

/**
 * H2, the count and the estimate of a search for a prefix: "email or username starts with the text" as two disjoint
 * index ranges, the users whose email key starts with it, then those whose username key does while their email key does
 * not. Written as one {@code OR}, H2 checks it on every row of the table, as it reads no {@code OR} of two columns from
 * their indexes: under LoadBench at 100,000 users (8 operators, 30 s) 112 counts of a common prefix took more than
 * 200 ms, 36.7 s in all, the largest share of H2's slow statements. The two ranges read the matches only; every other
 * filter is checked on their rows. A masked search (a viewer's) reads {@code users_masked}, which has no such index,
 * and is not done here.
 */
final class H2PrefixCount {

    /** The two halves of a prefix search, as {@link H2PrefixPage} reads them (the key column, its index). */
    private static final String[][] HALVES = H2PrefixPage.HALVES;
    /** What the second half adds, so that a user whose email and username both match is counted once. */
    private static final String NOT_IN_FIRST_HALF = " AND u.email_key NOT LIKE ? ESCAPE '!'";

    private H2PrefixCount() {
    }

    /** Whether a count or estimate of {@code q} is made here (the same searches as {@link H2PrefixPage}). */
    static boolean applies(UserQuery q, Dialect dialect, Visibility v) {
        return H2PrefixPage.applies(q, dialect, v);
    }

    /** The exact number of users matching {@code q}: the two ranges, each counted by the database. */
    static long count(Connection c, UserQuery q, Visibility v) throws SQLException {
        long n = 0;
        for (int half = 0; half < HALVES.length; half++) {
            List<Object> params = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) " + fromWhere(c, q, v, half, params))) {
                UserSql.bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n += rs.getLong(1);
                }
            }
        }
        return n;
    }

    /** The number of users matching {@code q}, counted up to {@code limit} rows read (for the estimate). */
    static long countUpTo(Connection c, UserQuery q, Visibility v, int limit) throws SQLException {
        long n = 0;
        for (int half = 0; half < HALVES.length && n < limit; half++) {
            List<Object> params = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 " + fromWhere(c, q, v, half, params) + " LIMIT " + (limit - n))) {
                UserSql.bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /**
     * {@code FROM … WHERE …} of one half. Without a department filter the half's index is named (H2 might otherwise pick
     * a role or active index and test every row of that value); with one, the department's links are joined to their
     * users as in every other count ({@link UserSql#unorderedFrom}), and H2 picks where to start.
     */
    private static String fromWhere(Connection c, UserQuery q, Visibility v, int half, List<Object> params) throws SQLException {
        String[] h = HALVES[half];
        String prefix = UserSql.likePrefix(q.search());
        String from = q.departmentId() == null ? v.usersTable() + " u USE INDEX (" + h[1] + ")" : UserSql.unorderedFrom(q, Dialect.H2, v);
        params.add(prefix);
        String notCounted = half == 0 ? "" : NOT_IN_FIRST_HALF;
        if (half > 0) {
            params.add(prefix);
        }
        return "FROM " + from + " WHERE u." + h[0] + " LIKE ? ESCAPE '!'" + notCounted + " AND "
                + UserSql.where(c, q.withSearch(""), params, Dialect.H2, v, true);
    }
}
