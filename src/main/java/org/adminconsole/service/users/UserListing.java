package org.adminconsole.service.users;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.domain.Visibility;
import java.util.function.Supplier;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.Transactions;

/**
 * Browsing users: keyset-paged pages with search, filters and sort straight from the database, an estimated
 * and an exact total, and the departments to filter by. Returns records only.
 */
public final class UserListing {

    /** One row of a page as read, before its departments are known. */
    record Row(long id, String email, String username, Role role, boolean active, BigDecimal quota,
                       BigDecimal usage, String settings, LocalDateTime createdAt, LocalDateTime updatedAt,
                       String createdBy, String updatedBy, LocalDateTime lastLogin, long version) {

        static Row read(ResultSet rs) throws SQLException {
            return new Row(rs.getLong("id"), rs.getString("email"), rs.getString("username"), Role.valueOf(rs.getString("role")),
                    rs.getBoolean("active"), rs.getBigDecimal("quota"), rs.getBigDecimal("usage_amount"), rs.getString("settings"),
                    rs.getObject("created_at", LocalDateTime.class), rs.getObject("updated_at", LocalDateTime.class),
                    rs.getString("created_by"), rs.getString("updated_by"), rs.getObject("last_login", LocalDateTime.class),
                    rs.getLong("version"));
        }

        UserView toView(List<DepartmentView> departments) {
            return new UserView(id, email, username, role, active, quota, usage, settings, departments, createdAt, updatedAt,
                    createdBy, updatedBy, lastLogin, version);
        }
    }

    private final Transactions tx;
    private final Dialect dialect;
    private final Supplier<Visibility> visibility;

    public UserListing(Transactions tx, Dialect dialect) {
        this(tx, dialect, () -> Visibility.FULL);
    }

    /**
     * {@code visibility}: what the signed-in role may see, asked at every call; a viewer's pages, totals and exports
     * read {@code users_masked} (emails masked, searched only as masked, see {@link UserSql#where}).
     */
    public UserListing(Transactions tx, Dialect dialect, Supplier<Visibility> visibility) {
        this.tx = tx;
        this.dialect = dialect;
        this.visibility = visibility;
    }

    /** What the signed-in role may see now. */
    Visibility visibility() {
        return visibility.get();
    }

    /** Whether the signed-in role sees emails masked (a viewer), so its search looks at the masked email. */
    public boolean masksEmails() {
        return visibility.get().masked();
    }

    /**
     * Every department by name. A cacheable query (the query cache holds the ids, the entity region the rows): the
     * list is read on every Users screen and editor, and changes rarely. This console's writes invalidate it through
     * Hibernate's update timestamps, other consoles' through the coherence check, which evicts the query results.
     */
    public List<DepartmentView> departments() {
        return tx.read("departments.list", s -> s.createSelectionQuery("from Department d order by d.name", Department.class)
                .setCacheable(true).getResultList().stream().map(Department::toView).toList());
    }

    /** One page in the query's order: the first, last, or the one after/before {@code anchor}. */
    public UserPage page(UserQuery q, UserPage.Nav nav, UserPage.Key anchor, int size) {
        if ((nav == UserPage.Nav.NEXT || nav == UserPage.Nav.PREVIOUS) && anchor == null) {
            nav = nav == UserPage.Nav.NEXT ? UserPage.Nav.FIRST : UserPage.Nav.LAST;
        }
        UserPage.Nav n = nav;
        boolean backwards = n == UserPage.Nav.PREVIOUS || n == UserPage.Nav.LAST;
        boolean ascending = q.ascending() != backwards;
        String expr = UserSql.sortExpression(q.sort());
        Visibility v = visibility.get();
        return tx.readJdbc("users.page", c -> {
            UserPage.Key after = n == UserPage.Nav.NEXT || n == UserPage.Nav.PREVIOUS ? anchor : null;
            PageRows page;
            if (H2PrefixPage.applies(q, dialect, v) && UserSql.prefixCandidates(c, UserSql.likePrefix(q.search())) == null) {
                page = H2PrefixPage.read(c, q, ascending, after, size, v);
            } else if (H2SlicedPage.applies(c, q, dialect, v)) {
                page = H2SlicedPage.read(c, q, ascending, after, size, v);
            } else {
                List<Object> params = new ArrayList<>();
                StringBuilder sql = new StringBuilder("SELECT " + UserSql.COLUMNS + ", " + expr + " AS sort_key FROM ")
                        .append(UserSql.orderedFromWhere(c, q, params, dialect, v));
                if (after != null) {
                    sql.append(UserSql.keyset(expr, ascending, after, params));
                }
                String dir = ascending ? " ASC" : " DESC";
                sql.append(" ORDER BY ").append(expr).append(dir).append(", u.id").append(dir).append(" LIMIT ?");
                params.add(size + 1);
                page = readRows(c, sql.toString(), params, q.sort());
            }
            List<Row> read = page.rows();
            List<UserPage.Key> keys = page.keys();
            boolean more = read.size() > size;
            Map<Long, List<DepartmentView>> deps = UserSql.departmentsOf(c, read.stream().map(Row::id).toList());
            List<UserView> rows = new ArrayList<>();
            for (Row row : read.subList(0, Math.min(size, read.size()))) {
                rows.add(row.toView(deps.getOrDefault(row.id(), List.of())));
            }
            if (keys.size() > size) {
                keys = keys.subList(0, size);
            }
            if (backwards) {
                Collections.reverse(rows);
                keys = new ArrayList<>(keys);
                Collections.reverse(keys);
            }
            boolean hasPrevious = switch (n) {
                case FIRST -> false;
                case NEXT -> true;
                case PREVIOUS, LAST -> more;
            };
            boolean hasNext = switch (n) {
                case LAST -> false;
                case PREVIOUS -> true;
                case FIRST, NEXT -> more;
            };
            if (rows.isEmpty()) {
                return new UserPage(rows, n == UserPage.Nav.NEXT, n == UserPage.Nav.PREVIOUS, null, null);
            }
            return new UserPage(rows, hasPrevious, hasNext, keys.get(0), keys.get(keys.size() - 1));
        });
    }

    /** Rows of a page as read, each with its page key. */
    record PageRows(List<Row> rows, List<UserPage.Key> keys) {
    }

    /** Runs a page statement whose select list is {@link UserSql#COLUMNS} and {@code sort_key}. */
    static PageRows readRows(Connection c, String sql, List<Object> params, UserQuery.Sort sort) throws SQLException {
        List<Row> rows = new ArrayList<>();
        List<UserPage.Key> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            UserSql.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = Row.read(rs);
                    rows.add(row);
                    keys.add(new UserPage.Key(UserSql.readSortKey(rs, sort), row.id()));
                }
            }
        }
        return new PageRows(rows, keys);
    }

    /** Answers at once: the table statistics when unfiltered, else a count bounded at 1,000. */
    public UserTotal estimate(UserQuery q) {
        Visibility v = visibility.get();
        return tx.readJdbc("users.estimate", c -> {
            if (q.unfiltered() && !v.masked()) {
                long est = dialect.rowEstimate(c, null, "users");
                if (est > 0) {
                    return new UserTotal(est, false, false);
                }
            }
            long n = H2PrefixCount.applies(q, dialect, v) ? H2PrefixCount.countUpTo(c, q, v, 1001) : countUpTo1001(c, q, v);
            return n > 1000 ? new UserTotal(1000, false, true) : new UserTotal(n, true, false);
        });
    }

    /**
     * The matching rows, at most 1,001, counted here: inside a derived table (COUNT over a LIMIT subquery) H2 plans the
     * search's prefix conditions without their values and reads the whole table and both indexes.
     */
    private long countUpTo1001(Connection c, UserQuery q, Visibility v) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT 1 FROM " + UserSql.unorderedFrom(q, dialect, v) + " WHERE " + UserSql.where(c, q, params, dialect, v, true)
                + " LIMIT 1001";
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            UserSql.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The exact number of matching users (may take a while on big tables: run it in the background). */
    public UserTotal count(UserQuery q) {
        Visibility v = visibility.get();
        return tx.readJdbc("users.count", c -> {
            if (q.onlyDepartment()) {
                // every link names an existing user (foreign key), masked or not: the department's index entries alone
                // (the join to users read 8,000-17,000 rows per department at 100,000 users: 1.8-2.2 s on H2 under LoadBench)
                return new UserTotal(single(c, "SELECT COUNT(*) FROM user_departments WHERE department_id = ?",
                        List.of(q.departmentId())), true, false);
            }
            if (H2PrefixCount.applies(q, dialect, v)) {
                return new UserTotal(H2PrefixCount.count(c, q, v), true, false);
            }
            List<Object> params = new ArrayList<>();
            return new UserTotal(single(c, "SELECT COUNT(*) FROM " + UserSql.unorderedFrom(q, dialect, v) + " WHERE "
                    + UserSql.where(c, q, params, dialect, v, true), params), true, false);
        });
    }

    private static long single(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            UserSql.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
