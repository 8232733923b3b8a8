package org.adminconsole.service.users;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.Operation;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.persistence.audit.AuditInterceptor;
import org.adminconsole.persistence.audit.EntityChange;
import org.adminconsole.service.ValidationException;
import org.hibernate.Session;

/**
 * Departments: list with their user counts, create, rename (and describe), delete. Every change is one audited
 * operation (the interceptor records the department's fields; moved users get a change each, as a bulk move does).
 * A department that users belong to is not deleted: the refusal says how many, and {@link #moveUsersAndDelete} moves
 * them to another department (their other departments stay) and deletes it in one transaction. The users' Departments
 * sort key (V62) follows renames and moves.
 */
public final class DepartmentAdmin {

    /** The name field's key in {@link ValidationException}s. */
    public static final String NAME = "name";
    /** The department list's key (refusals that concern the selected department). */
    public static final String DEPARTMENT = "department";
    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 500;

    /** One row of the departments list. Immutable. */
    public record DepartmentRow(long id, String name, String description, long users, long version) {
        public DepartmentView view() {
            return new DepartmentView(id, name, description);
        }
    }

    private final Transactions tx;

    private org.adminconsole.service.access.Access access = org.adminconsole.service.access.Access.asAdmin("owner");

    public DepartmentAdmin(Transactions tx, org.adminconsole.service.access.Access access) {
        this(tx);
        this.access = access;
    }

    public DepartmentAdmin(Transactions tx) {
        this.tx = tx;
    }

    /** Every department with how many users belong to it, by name. */
    public List<DepartmentRow> list() {
        return tx.read("departments.list", s -> s.createNativeQuery(
                        "SELECT d.id, d.name, d.description, d.version, (SELECT COUNT(*) FROM user_departments ud WHERE ud.department_id = d.id)"
                                + " FROM departments d ORDER BY LOWER(d.name), d.id", Object[].class)
                .getResultList().stream().map(DepartmentAdmin::row).toList());
    }

    private static DepartmentRow row(Object[] r) {
        return new DepartmentRow(((Number) r[0]).longValue(), (String) r[1], (String) r[2], ((Number) r[4]).longValue(),
                ((Number) r[3]).longValue());
    }

    public DepartmentRow create(String name, String description) {
        access.require(org.adminconsole.service.access.Role.OPERATOR, "Creating departments");
        String n = name(name);
        String d = description(description);
        return tx.write("departments.create", s -> {
            requireUnique(s, n, -1);
            Department dep = new Department(n, d);
            s.persist(dep);
            s.flush();
            return new DepartmentRow(dep.getId(), n, d, 0, dep.getVersion());
        });
    }

    /** Renames and/or describes; {@code version} is the one the operator saw (someone else's change is not overwritten). */
    public DepartmentRow rename(long id, long version, String name, String description) {
        access.require(org.adminconsole.service.access.Role.OPERATOR, "Editing departments");
        String n = name(name);
        String d = description(description);
        return tx.write("departments.rename", s -> {
            Department dep = existing(s, id);
            if (dep.getVersion() != version) {
                throw new ValidationException(DEPARTMENT, "Someone else changed " + dep.getName() + " since the list was loaded;"
                        + " nothing was saved. Reload the list and try again.");
            }
            requireUnique(s, n, id);
            boolean renamed = !dep.getName().equals(n);
            dep.setName(n);
            dep.setDescription(d);
            s.flush();
            if (renamed) {
                refreshSortKeys(s, id);
            }
            long users = count(s, id);
            return new DepartmentRow(id, n, d, users, dep.getVersion());
        });
    }

    /** Deletes a department no user belongs to; otherwise refuses, saying how many do. */
    public void delete(long id) {
        access.require(org.adminconsole.service.access.Role.ADMIN, "Deleting departments");
        tx.writeVoid("departments.delete", s -> {
            Department dep = existing(s, id);
            long users = count(s, id);
            if (users > 0) {
                throw new ValidationException(DEPARTMENT, org.adminconsole.support.Counts.of(users, "user belongs", "users belong")
                        + " to " + dep.getName() + ": move them to another department first (Move users and delete). Nothing was deleted.");
            }
            s.remove(dep);
        });
    }

    /**
     * Moves every user of department {@code id} to {@code targetId} (users already in both keep one link; their other
     * departments stay), then deletes {@code id}; one transaction, a change per moved user in the audit trail.
     * Returns how many users moved.
     */
    public int moveUsersAndDelete(long id, long targetId) {
        access.require(org.adminconsole.service.access.Role.ADMIN, "Deleting departments");
        if (id == targetId) {
            throw new ValidationException(DEPARTMENT, "Pick another department to move the users to.");
        }
        return tx.write("departments.moveAndDelete", s -> {
            Department dep = existing(s, id);
            Department target = existing(s, targetId);
            Operation op = tx.current().orElseThrow();
            List<Long> ids = s.createNativeQuery("SELECT user_id FROM user_departments WHERE department_id = :id ORDER BY user_id", Long.class)
                    .setParameter("id", id).getResultList();
            Map<Long, List<DepartmentView>> before = ids.isEmpty() ? Map.of() : s.doReturningWork(c -> UserSql.departmentsOf(c, ids));
            List<Long[]> versions = new ArrayList<>();
            if (!ids.isEmpty()) {
                for (Object[] r : s.createNativeQuery("SELECT id, version FROM users WHERE id IN (:ids)", Object[].class)
                        .setParameterList("ids", ids).getResultList()) {
                    versions.add(new Long[] {((Number) r[0]).longValue(), ((Number) r[1]).longValue()});
                }
                // users first, then user_departments: the order an entity save locks the table versions in
                s.createNativeQuery("UPDATE users SET version = version + 1, updated_at = :now, updated_by = :op WHERE id IN (:ids)")
                        .addSynchronizedEntityClass(User.class).setParameter("now", AuditInterceptor.now())
                        .setParameter("op", tx.operator()).setParameterList("ids", ids).executeUpdate();
                s.createNativeQuery("INSERT INTO user_departments (user_id, department_id) SELECT ud.user_id, :target FROM user_departments ud"
                                + " WHERE ud.department_id = :id AND NOT EXISTS (SELECT 1 FROM user_departments t"
                                + " WHERE t.user_id = ud.user_id AND t.department_id = :target)")
                        .addSynchronizedQuerySpace("user_departments").addSynchronizedEntityClass(User.class)
                        .setParameter("target", targetId).setParameter("id", id).executeUpdate();
                s.createNativeQuery("DELETE FROM user_departments WHERE department_id = :id")
                        .addSynchronizedQuerySpace("user_departments").addSynchronizedEntityClass(User.class)
                        .setParameter("id", id).executeUpdate();
            }
            s.remove(dep);
            s.flush();
            if (!ids.isEmpty()) {
                sortKeys(s, "WHERE id IN (:ids)").setParameterList("ids", ids).executeUpdate();
                for (Long[] v : versions) {
                    TreeSet<String> was = new TreeSet<>();
                    before.getOrDefault(v[0], List.of()).forEach(x -> was.add(x.name()));
                    TreeSet<String> now = new TreeSet<>(was);
                    now.remove(dep.getName());
                    now.add(target.getName());
                    op.recordChange(new EntityChange("User", "users", v[0], EntityChange.Action.UPDATE,
                            List.of(new EntityChange.FieldChange("departments", String.join(", ", was), String.join(", ", now))), v[1]));
                }
                // native DML synchronized with User: Hibernate empties its regions at commit, fenced by the coherence service
                op.touchWithRegionClear("users");
                op.touchWithRegionClear("user_departments");
            }
            return ids.size();
        });
    }

    private static Department existing(Session s, long id) {
        Department d = s.find(Department.class, id);
        if (d == null) {
            throw new ValidationException(DEPARTMENT, "This department no longer exists (deleted by someone else); reload the list.");
        }
        return d;
    }

    private static long count(Session s, long id) {
        return ((Number) s.createNativeQuery("SELECT COUNT(*) FROM user_departments WHERE department_id = :id", Object.class)
                .setParameter("id", id).getSingleResult()).longValue();
    }

    /** The Departments sort key (first department name) of the users of department {@code id}, after a rename. */
    private void refreshSortKeys(Session s, long id) {
        int n = sortKeys(s, "WHERE id IN (SELECT user_id FROM user_departments WHERE department_id = :id)").setParameter("id", id)
                .executeUpdate();
        if (n > 0) {
            tx.current().orElseThrow().touchWithRegionClear("users");
        }
    }

    private static org.hibernate.query.NativeQuery<?> sortKeys(Session s, String where) {
        return s.createNativeQuery("UPDATE users SET department_key = COALESCE((SELECT MIN(d.name) FROM user_departments ud"
                + " JOIN departments d ON d.id = ud.department_id WHERE ud.user_id = users.id), '') " + where)
                .addSynchronizedEntityClass(User.class);
    }

    private static void requireUnique(Session s, String name, long exceptId) {
        long same = ((Number) s.createNativeQuery("SELECT COUNT(*) FROM departments WHERE LOWER(name) = :n AND id <> :id", Object.class)
                .setParameter("n", name.toLowerCase(Locale.ROOT)).setParameter("id", exceptId).getSingleResult()).longValue();
        if (same > 0) {
            throw new ValidationException(NAME, "A department named " + name + " exists already (names are compared ignoring case).");
        }
    }

    private static String name(String raw) {
        String n = raw == null ? "" : raw.strip();
        if (n.isEmpty()) {
            throw new ValidationException(NAME, "Enter the department's name.");
        }
        if (n.length() > MAX_NAME) {
            throw new ValidationException(NAME, "A department name is at most " + MAX_NAME + " characters (this one has " + n.length() + ").");
        }
        if (n.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException(NAME, "A department name cannot contain control characters (tabs, line breaks).");
        }
        return n;
    }

    private static String description(String raw) {
        String d = raw == null ? "" : raw.strip();
        if (d.length() > MAX_DESCRIPTION) {
            throw new ValidationException("description", "A description is at most " + MAX_DESCRIPTION + " characters (this one has "
                    + d.length() + ").");
        }
        return d.isEmpty() ? null : d;
    }
}
