package org.adminconsole.service.users;

import org.adminconsole.service.RefusedException;
import org.adminconsole.service.ValidationException;
import jakarta.persistence.OptimisticLockException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.adminconsole.cache.UserCache;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserRules;
import org.adminconsole.domain.UserView;
import org.adminconsole.persistence.Transactions;
import org.hibernate.CacheMode;
import org.hibernate.Session;
import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Day-to-day user administration: keyset-paged browsing with search, filters and sort straight from the
 * database; lookups through the {@link UserCache}; validated create/edit with optimistic-lock conflicts
 * reported field by field; deactivate/delete; bulk actions (see {@link UserBulk}); audit history.
 * Returns records only.
 */
public final class UserService {

    private final Transactions tx;
    private final UserCache cache;
    private final boolean postgres;
    private final UserBulk bulk;

    public UserService(Transactions tx, UserCache cache, boolean postgres) {
        this.tx = tx;
        this.cache = cache;
        this.postgres = postgres;
        this.bulk = new UserBulk(tx);
    }

    // ---- browsing -------------------------------------------------------------------------------------

    public List<DepartmentView> departments() {
        return tx.read("departments.list", s -> s.createSelectionQuery("from Department d order by d.name", Department.class)
                .getResultList().stream().map(Department::toView).toList());
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
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + UserSql.COLUMNS + ", " + expr + " AS sort_key FROM users u WHERE ")
                .append(UserSql.where(q, params));
        if (n == UserPage.Nav.NEXT || n == UserPage.Nav.PREVIOUS) {
            sql.append(UserSql.keyset(expr, ascending, anchor, params));
        }
        String dir = ascending ? " ASC" : " DESC";
        sql.append(" ORDER BY ").append(expr).append(dir).append(", u.id").append(dir).append(" LIMIT ?");
        params.add(size + 1);
        return tx.read("users.page", s -> s.doReturningWork(c -> {
            List<UserView> rows = new ArrayList<>();
            List<UserPage.Key> keys = new ArrayList<>();
            Map<Long, Object[]> raw = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                UserSql.bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong("id");
                        raw.put(id, readRow(rs));
                        keys.add(new UserPage.Key(UserSql.readSortKey(rs, q.sort()), id));
                    }
                }
            }
            boolean more = raw.size() > size;
            Map<Long, List<DepartmentView>> deps = departmentsOf(c, new ArrayList<>(raw.keySet()));
            int i = 0;
            for (Map.Entry<Long, Object[]> e : raw.entrySet()) {
                if (i++ == size) {
                    break;
                }
                rows.add(toView(e.getValue(), deps.getOrDefault(e.getKey(), List.of())));
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
        }));
    }

    /** Answers at once: the table statistics when unfiltered, else a count bounded at 1,000. */
    public UserTotal estimate(UserQuery q) {
        return tx.read("users.estimate", s -> s.doReturningWork(c -> {
            if (q.unfiltered()) {
                long est = tableEstimate(c);
                if (est > 0) {
                    return new UserTotal(est, false, false);
                }
            }
            List<Object> params = new ArrayList<>();
            String sql = "SELECT COUNT(*) FROM (SELECT 1 FROM users u WHERE " + UserSql.where(q, params) + " LIMIT 1001) t";
            long n = single(c, sql, params);
            return n > 1000 ? new UserTotal(1000, false, true) : new UserTotal(n, true, false);
        }));
    }

    /** The exact number of matching users (may take a while on big tables: run it in the background). */
    public UserTotal count(UserQuery q) {
        return tx.read("users.count", s -> s.doReturningWork(c -> {
            List<Object> params = new ArrayList<>();
            return new UserTotal(single(c, "SELECT COUNT(*) FROM users u WHERE " + UserSql.where(q, params), params), true, false);
        }));
    }

    private long tableEstimate(Connection c) throws SQLException {
        String sql = postgres
                ? "SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE oid = to_regclass('users')"
                : "SELECT ROW_COUNT_ESTIMATE FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'USERS' AND TABLE_SCHEMA = CURRENT_SCHEMA";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
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

    private static Object[] readRow(ResultSet rs) throws SQLException {
        return new Object[] {rs.getLong("id"), rs.getString("email"), rs.getString("username"), rs.getString("role"),
                rs.getBoolean("active"), rs.getBigDecimal("quota"), rs.getBigDecimal("usage_amount"), rs.getString("settings"),
                rs.getObject("created_at", LocalDateTime.class), rs.getObject("updated_at", LocalDateTime.class),
                rs.getString("created_by"), rs.getString("updated_by"), rs.getObject("last_login", LocalDateTime.class),
                rs.getLong("version")};
    }

    private static UserView toView(Object[] r, List<DepartmentView> deps) {
        return new UserView((Long) r[0], (String) r[1], (String) r[2], Role.valueOf((String) r[3]), (Boolean) r[4],
                (BigDecimal) r[5], (BigDecimal) r[6], (String) r[7], deps, (LocalDateTime) r[8], (LocalDateTime) r[9],
                (String) r[10], (String) r[11], (LocalDateTime) r[12], (Long) r[13]);
    }

    static Map<Long, List<DepartmentView>> departmentsOf(Connection c, List<Long> ids) throws SQLException {
        Map<Long, List<DepartmentView>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        String sql = "SELECT ud.user_id, d.id, d.name, d.description FROM user_departments ud JOIN departments d "
                + "ON d.id = ud.department_id WHERE ud.user_id IN (" + UserSql.placeholders(ids.size()) + ") ORDER BY d.name";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            UserSql.bind(ps, new ArrayList<>(ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new DepartmentView(rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return out;
    }

    // ---- lookups through the user cache ------------------------------------------------------------------

    public Optional<UserCache.Lookup> open(long id) {
        return cache.byId(id, i -> loadById(i, false), i -> loadById(i, true));
    }

    public Optional<UserCache.Lookup> openByEmail(String email) {
        return cache.byEmail(email, k -> loadByEmailKey(k, false), k -> loadByEmailKey(k, true));
    }

    /** {@code fromDatabase}: bypass the second-level cache and refresh the entries passed (CacheMode.REFRESH). */
    private Optional<UserView> loadById(long id, boolean fromDatabase) {
        return tx.read(fromDatabase ? "users.getFromDatabase" : "users.get", s -> {
            refreshIf(s, fromDatabase);
            return Optional.ofNullable(s.find(User.class, id)).map(User::toView);
        });
    }

    private Optional<UserView> loadByEmailKey(String key, boolean fromDatabase) {
        return tx.read(fromDatabase ? "users.getByEmailFromDatabase" : "users.getByEmail", s -> {
            refreshIf(s, fromDatabase);
            return s.bySimpleNaturalId(User.class).loadOptional(key).map(User::toView);
        });
    }

    private static void refreshIf(Session s, boolean fromDatabase) {
        if (fromDatabase) {
            s.setCacheMode(CacheMode.REFRESH);
        }
    }

    // ---- edits -----------------------------------------------------------------------------------------

    /** Validates (rules, then uniqueness in the database) and saves; nothing is written unless valid and current. */
    public SaveResult save(UserForm f) {
        Map<String, String> errors = UserRules.validate(f.email(), f.username(), f.role(), f.quota(), f.usage(), f.settings());
        if (!errors.isEmpty()) {
            return new SaveResult.Invalid(errors);
        }
        try {
            return new SaveResult.Saved(tx.write(f.isNew() ? "users.create" : "users.save", s -> {
                Map<String, String> unique = uniqueness(s, f);
                if (!unique.isEmpty()) {
                    throw new ValidationException(unique);
                }
                User u;
                if (f.isNew()) {
                    u = new User(f.email(), f.username().trim(), f.role());
                } else {
                    u = current(s, f);
                    u.setEmail(f.email());
                    u.setUsername(f.username().trim());
                    u.setRole(f.role());
                }
                u.setActive(f.active());
                u.setQuota(new BigDecimal(f.quota().trim()).setScale(2));
                u.setUsage(new BigDecimal(f.usage().trim()).setScale(2));
                u.setSettings(f.settings() == null || f.settings().isBlank() ? null : f.settings());
                Set<Department> deps = u.getDepartments();
                deps.removeIf(d -> !f.departmentIds().contains(d.getId()));
                for (Long depId : f.sortedDepartmentIds()) {
                    Department d = s.find(Department.class, depId);
                    if (d == null) {
                        throw new ValidationException("departments", "A selected department no longer exists; reload the list.");
                    }
                    deps.add(d);
                }
                u.syncDepartmentKey();
                if (f.isNew()) {
                    s.persist(u);
                }
                s.flush();
                return u.toView();
            }));
        } catch (ValidationException e) {
            return new SaveResult.Invalid(e.fieldErrors());
        } catch (ConflictException e) {
            return new SaveResult.Conflicted(e.conflict());
        } catch (RuntimeException e) {
            if (isOptimisticFailure(e) && !f.isNew()) {
                return new SaveResult.Conflicted(conflictWith(f));
            }
            if (isConstraintViolation(e)) {
                // a concurrent insert of the same email/username got there first: check again, on the field
                Map<String, String> unique = tx.read("users.checkUnique", s -> uniqueness(s, f));
                if (!unique.isEmpty()) {
                    return new SaveResult.Invalid(unique);
                }
            }
            throw e;
        }
    }

    /** Deactivates or reactivates the user the operator looked at (version-checked). */
    public SaveResult setActive(long id, long version, boolean active) {
        try {
            return new SaveResult.Saved(tx.write(active ? "users.reactivate" : "users.deactivate", s -> {
                User u = s.find(User.class, id);
                if (u == null || u.getVersion() != version) {
                    throw new ConflictException(conflict(u == null ? null : u.toView(), null));
                }
                u.setActive(active);
                s.flush();
                return u.toView();
            }));
        } catch (ConflictException e) {
            return new SaveResult.Conflicted(e.conflict());
        } catch (RuntimeException e) {
            if (isOptimisticFailure(e)) {
                return new SaveResult.Conflicted(conflict(loadById(id, false).orElse(null), null));
            }
            throw e;
        }
    }

    /** Deletes a user without usage; refuses (with the reason) otherwise, or when it changed meanwhile. */
    public void delete(long id, long version) {
        tx.writeVoid("users.delete", s -> {
            User u = s.find(User.class, id);
            if (u == null) {
                throw new RefusedException("The user was already deleted by someone else.");
            }
            if (u.getVersion() != version) {
                throw new RefusedException(u.getEmail() + " was changed by someone else meanwhile; nothing was deleted. Reload and try again.");
            }
            Optional<String> refusal = UserRules.deleteRefusal(u.toView());
            if (refusal.isPresent()) {
                throw new RefusedException(refusal.get());
            }
            s.remove(u);
        });
    }

    private User current(Session s, UserForm f) {
        User u = s.find(User.class, f.id());
        if (u == null || u.getVersion() != f.version()) {
            throw new ConflictException(conflict(u == null ? null : u.toView(), f));
        }
        return u;
    }

    private Conflict conflictWith(UserForm f) {
        return conflict(loadById(f.id(), false).orElse(null), f);
    }

    /** The fields where the current row differs from the operator's form (all of them when no form). */
    static Conflict conflict(UserView theirs, UserForm yours) {
        List<Conflict.FieldDiff> diffs = new ArrayList<>();
        if (theirs != null && yours != null) {
            UserForm t = UserForm.of(theirs);
            diff(diffs, "email", t.email(), yours.email());
            diff(diffs, "username", t.username(), yours.username());
            diff(diffs, "role", t.role(), yours.role());
            diff(diffs, "active", t.active(), yours.active());
            diff(diffs, "quota", amount(t.quota()), amount(yours.quota()));
            diff(diffs, "usage", amount(t.usage()), amount(yours.usage()));
            diff(diffs, "departments", t.sortedDepartmentIds(), yours.sortedDepartmentIds());
            diff(diffs, "settings", blankToNull(t.settings()), blankToNull(yours.settings()));
        }
        return new Conflict(theirs, yours, diffs);
    }

    private static void diff(List<Conflict.FieldDiff> out, String field, Object theirs, Object yours) {
        if (!Objects.equals(theirs, yours)) {
            out.add(new Conflict.FieldDiff(field, String.valueOf(theirs), String.valueOf(yours)));
        }
    }

    private static Object amount(String s) {
        try {
            return new BigDecimal(s.trim()).stripTrailingZeros().toPlainString();
        } catch (RuntimeException e) {
            return s;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Map<String, String> uniqueness(Session s, UserForm f) {
        Map<String, String> errors = new LinkedHashMap<>();
        long id = f.id() == null ? -1 : f.id();
        long emails = s.createSelectionQuery("select count(u) from User u where u.emailKey = :k and u.id <> :id", Long.class)
                .setParameter("k", User.emailKeyOf(f.email())).setParameter("id", id).getSingleResult();
        if (emails > 0) {
            errors.put("email", "Another user already has the email " + f.email().trim() + " (emails are unique ignoring case).");
        }
        // username_key = lower(username), indexed (V31); not mapped, so native SQL
        long names = ((Number) s.createNativeQuery("SELECT COUNT(*) FROM users WHERE username_key = :n AND id <> :id", Object.class)
                .setParameter("n", f.username().trim().toLowerCase(java.util.Locale.ROOT)).setParameter("id", id)
                .getSingleResult()).longValue();
        if (names > 0) {
            errors.put("username", "The username " + f.username().trim() + " is taken (usernames are unique ignoring case).");
        }
        return errors;
    }

    static boolean isOptimisticFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConstraintViolationException || t instanceof java.sql.SQLIntegrityConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    // ---- bulk and history ---------------------------------------------------------------------------------

    /** How many users the action would change: it runs for real in a transaction that is then rolled back. */
    public long dryRun(BulkAction action) {
        return bulk.dryRun(action);
    }

    /** Applies the action in one transaction with an audit row per changed user; returns how many changed. */
    public long apply(BulkAction action) {
        return bulk.apply(action);
    }

    /** The user's audit history, newest first. */
    public List<AuditEntryView> history(long userId) {
        return tx.read("users.history", s -> s.doReturningWork(c -> {
            Map<Object, AuditEntryView> entries = new LinkedHashMap<>();
            Map<Object, List<AuditEntryView.Change>> changes = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.changed_at, a.operator, a.operation, a.action, "
                    + "c.field, c.old_value, c.new_value FROM audit_log a LEFT JOIN audit_changes c ON c.audit_id = a.id "
                    + "WHERE a.entity_type = 'User' AND a.entity_id = ? ORDER BY a.changed_at DESC, a.id, c.seq")) {
                ps.setLong(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object key = rs.getObject(1);
                        List<AuditEntryView.Change> list = changes.computeIfAbsent(key, k -> new ArrayList<>());
                        if (!entries.containsKey(key)) {
                            entries.put(key, new AuditEntryView(rs.getObject(2, LocalDateTime.class), rs.getString(3),
                                    rs.getString(4), rs.getString(5), List.of()));
                        }
                        if (rs.getString(6) != null) {
                            list.add(new AuditEntryView.Change(rs.getString(6), rs.getString(7), rs.getString(8)));
                        }
                    }
                }
            }
            List<AuditEntryView> out = new ArrayList<>();
            entries.forEach((k, e) -> out.add(new AuditEntryView(e.at(), e.operator(), e.operation(), e.action(), changes.get(k))));
            return out;
        }));
    }
}
