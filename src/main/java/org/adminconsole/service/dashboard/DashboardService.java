package org.adminconsole.service.dashboard;

import java.util.function.Supplier;
import org.adminconsole.domain.Visibility;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.adminconsole.cache.NamedValue;
import org.adminconsole.cache.NamedValues;
import org.adminconsole.domain.Role;
import org.adminconsole.persistence.audit.EntityChange;
import org.adminconsole.persistence.Transactions;

/**
 * Figures for the dashboard, each a named cached value that is dropped exactly when what it reads changes
 * (here or in another console, where a change has no details and always drops them): totals when a user is created,
 * deleted or (de)activated, or departments change; users per role only when a user is created, deleted or changes
 * role; over-quota only when usage or quota move; department sizes when departments or memberships change or a user
 * is deleted. An ordinary edit (a username, a quota) leaves the others cached: on H2 with 100,000 users recomputing
 * them all after every save cost seconds under several operators (LoadBench).
 */
public final class DashboardService {

    /** The tables the figures are computed from. */
    public static final java.util.Set<String> TABLES = java.util.Set.of("users", "departments", "user_departments");

    public record Counts(long users, long activeUsers, long departments) {
    }

    public record DepartmentSize(String name, long members) {
    }

    /** Everything the dashboard shows, immutable. */
    public record Figures(Counts counts, Map<Role, Long> usersByRole, long overQuota, List<DepartmentSize> departments) {
        public Figures {
            usersByRole = Map.copyOf(usersByRole);
            departments = List.copyOf(departments);
        }
    }

    /*
     * Each figure is keyed by the signed-in role's Visibility (issue 15): a viewer may not read the users table on H2
     * (and not its email columns on PostgreSQL), so its figures are counted from users_masked with plain SQL. The
     * figures are the same numbers for every role (no email in them); the keys only keep each role's reads apart.
     */
    static final NamedValue<Visibility, Counts> COUNTS = NamedValue.<Visibility, Counts>keyed("dashboard.counts", (s, v) -> v.masked()
            ? new Counts(count(s, "SELECT COUNT(*) FROM users_masked"), count(s, "SELECT COUNT(*) FROM users_masked WHERE active"),
                    count(s, "SELECT COUNT(*) FROM departments"))
            : new Counts(
            s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult(),
            s.createSelectionQuery("select count(u) from User u where u.active", Long.class).getSingleResult(),
            s.createSelectionQuery("select count(d) from Department d", Long.class).getSingleResult()))
            .onChange(c -> !c.table().equals("users") || c.action() != EntityChange.Action.UPDATE || c.changed("active"),
                    "users", "departments");

    static final NamedValue<Visibility, Map<Role, Long>> BY_ROLE = NamedValue.<Visibility, Map<Role, Long>>keyed("dashboard.usersByRole", (s, v) -> {
        Map<Role, Long> m = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            m.put(r, 0L);
        }
        if (v.masked()) {
            for (Object[] row : rows(s, "SELECT role, COUNT(*) FROM users_masked GROUP BY role")) {
                m.put(Role.valueOf((String) row[0]), ((Number) row[1]).longValue());
            }
            return Map.copyOf(m);
        }
        for (Object[] row : s.createSelectionQuery("select u.role, count(u) from User u group by u.role", Object[].class).getResultList()) {
            m.put((Role) row[0], (Long) row[1]);
        }
        return Map.copyOf(m);
    }).onChange("users", c -> c.action() != EntityChange.Action.UPDATE || c.changed("role"));

    /**
     * Users over their quota, from the indexed generated column {@code over_quota} (= usage_amount > quota, V130): the
     * comparison of two columns has no index, so this count read every user (H2 1.1-2.1 s at 100,000 users under
     * LoadBench, after every quota edit); the index holds the about one user in eight who are over.
     */
    static final NamedValue<Visibility, Long> OVER_QUOTA = NamedValue.<Visibility, Long>keyed("dashboard.overQuota", (s, v) ->
            count(s, "SELECT COUNT(*) FROM " + v.usersTable() + " WHERE over_quota"))
            .onChange("users", c -> c.action() != EntityChange.Action.UPDATE || c.changed("usage") || c.changed("quota"));

    /**
     * Members per department, counted in the link table alone: every link names an existing user (foreign key), so the
     * former join through {@code users} only read every user's row. On H2 with 200,000 users that join took 1.8 s
     * on an idle machine and 20 s under load; the link table's department index answers in under 0.1 s. The same for
     * every role (no email is read), keyed like the other figures.
     */
    static final NamedValue<Visibility, List<DepartmentSize>> DEPARTMENTS = NamedValue.<Visibility, List<DepartmentSize>>keyed(
            "dashboard.departmentSizes", (s, v) -> rows(s, "SELECT d.name, COUNT(*) FROM user_departments ud"
                    + " JOIN departments d ON d.id = ud.department_id GROUP BY d.name ORDER BY COUNT(*) DESC, d.name").stream()
                    .map(r -> new DepartmentSize((String) r[0], ((Number) r[1]).longValue())).toList())
            .onChange(c -> !c.table().equals("users") || c.action() == EntityChange.Action.DELETE || c.changed("departments"),
                    "departments", "user_departments", "users");

    private static long count(org.hibernate.Session s, String sql) {
        return ((Number) s.createNativeQuery(sql, Object.class).getSingleResult()).longValue();
    }

    private static List<Object[]> rows(org.hibernate.Session s, String sql) {
        return s.createNativeQuery(sql, Object[].class).getResultList();
    }

    private final Transactions tx;
    private final NamedValues values;
    private final org.adminconsole.persistence.Dialect dialect;
    private final Supplier<Visibility> visibility;

    public DashboardService(Transactions tx, NamedValues values) {
        this(tx, values, null);
    }

    /** With a dialect, {@link #estimatedUsers()} reads the database's own estimate. */
    public DashboardService(Transactions tx, NamedValues values, org.adminconsole.persistence.Dialect dialect) {
        this(tx, values, dialect, () -> Visibility.FULL);
    }

    /** {@code visibility}: what the signed-in role may see, asked at every call (the figures' cache key). */
    public DashboardService(Transactions tx, NamedValues values, org.adminconsole.persistence.Dialect dialect,
                            Supplier<Visibility> visibility) {
        this.tx = tx;
        this.values = values;
        this.dialect = dialect;
        this.visibility = visibility;
        values.declare(COUNTS);
        values.declare(BY_ROLE);
        values.declare(OVER_QUOTA);
        values.declare(DEPARTMENTS);
    }

    public Counts counts() {
        return values.get(COUNTS, visibility.get());
    }

    /**
     * The number of users as the database estimates it from its statistics (no scan, milliseconds whatever the size),
     * shown until {@link #figures()} has counted; -1 when the database has no estimate.
     */
    public long estimatedUsers() {
        if (dialect == null || visibility.get().masked()) {
            return -1; // H2's estimate reads the users table's metadata, which a viewer may not see
        }
        return tx.readJdbc("dashboard.estimate", c -> dialect.rowEstimate(c, null, "users"));
    }

    /**
     * All figures in one read-only operation (each served from its named cache when still valid). Each figure not cached
     * scans the users (200,000 users: about a second in all on an idle 2-core machine, 15 s and more under load), so the
     * operation has the long deadline of work that reads whole tables.
     */
    public Figures figures() {
        return tx.execute(org.adminconsole.persistence.TxOptions.read("dashboard.figures").timeout(tx.longTimeout()),
                s -> {
                    Visibility v = visibility.get();
                    return new Figures(values.get(COUNTS, v), values.get(BY_ROLE, v), values.get(OVER_QUOTA, v), values.get(DEPARTMENTS, v));
                });
    }
}
