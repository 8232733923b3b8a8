package org.adminconsole.service.users;

import org.adminconsole.service.RefusedException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.audit.EntityChange;
import org.adminconsole.persistence.Operation;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.persistence.TxOptions;
import org.adminconsole.support.TaskHandle;
import org.hibernate.Session;

/**
 * Bulk actions as set-based SQL in one transaction, chunk by chunk with progress. Native updates declare
 * the User entity (and the join table) as their query spaces, so Hibernate evicts exactly those second-level
 * regions after commit. Every changed user is reported as an entity change, which gets its audit row and, after
 * commit, drives the listeners: the user cache evicts (and raises the version floor of) each user, and the
 * coherence service fences each user's entity and departments entries against late puts. The touched tables
 * are declared so table versions move. A dry run does the same work and rolls it back.
 */
public final class UserBulk {

    private static final int CHUNK = 500;

    private record Candidate(long id, boolean active, BigDecimal usage, long version) {
    }

    private final Transactions tx;
    private final Dialect dialect;

    private org.adminconsole.service.access.Access access = org.adminconsole.service.access.Access.asAdmin("owner");

    /** With the signed-in operator's rights checked: operators up to {@code Role.OPERATOR_BULK_LIMIT} users, admins more. */
    public UserBulk(Transactions tx, Dialect dialect, org.adminconsole.service.access.Access access) {
        this(tx, dialect);
        this.access = access;
    }

    public UserBulk(Transactions tx, Dialect dialect) {
        this.tx = tx;
        this.dialect = dialect;
    }

    /** How many users the action would change: it runs for real in a transaction that is then rolled back. */
    public long dryRun(BulkAction a) {
        return run(a, true);
    }

    /** Applies the action in one transaction with an audit row per changed user; returns how many changed. */
    public long apply(BulkAction a) {
        return run(a, false);
    }

    /**
     * Runs the action chunk by chunk in one transaction, reporting rows done / total to the current task and
     * stopping at its cancel (between chunks, and in the database for a running statement): then everything rolls
     * back. Long work: it runs under the long deadline.
     */
    private long run(BulkAction a, boolean dry) {
        access.require(org.adminconsole.service.access.Role.OPERATOR, "Bulk actions");
        String name = (dry ? "users.bulk.dryRun." : "users.bulk.") + a.kind().name().toLowerCase();
        TxOptions options = TxOptions.write(name).noAutoFlush().timeout(tx.longTimeout());
        TaskHandle task = TaskHandle.current();
        return tx.execute(dry ? options.asDryRun() : options, s -> {
            Operation op = tx.current().orElseThrow();
            String depName = null;
            if (a.kind() == BulkAction.Kind.MOVE_TO_DEPARTMENT) {
                Department d = s.find(Department.class, a.departmentId());
                if (d == null) {
                    throw new RefusedException("The department no longer exists; reload the list.");
                }
                depName = d.getName();
            }
            List<Candidate> candidates = s.doReturningWork(c -> candidates(c, a, !dry));
            if (!dry && candidates.size() > org.adminconsole.service.access.Role.OPERATOR_BULK_LIMIT) {
                access.require(org.adminconsole.service.access.Role.ADMIN, String.format("A bulk action on %,d users (more than %d)",
                        candidates.size(), org.adminconsole.service.access.Role.OPERATOR_BULK_LIMIT));
            }
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            long changed = 0;
            for (int from = 0; from < candidates.size(); from += CHUNK) {
                task.throwIfCancelled();
                List<Candidate> chunk = candidates.subList(from, Math.min(candidates.size(), from + CHUNK));
                List<Long> ids = chunk.stream().map(Candidate::id).toList();
                Map<Long, List<DepartmentView>> oldDeps = a.kind() == BulkAction.Kind.MOVE_TO_DEPARTMENT
                        ? s.doReturningWork(c -> UserSql.departmentsOf(c, ids)) : Map.of();
                changed += update(s, a, ids, now, depName);
                String newDep = depName;
                record(op, chunk, a, oldDeps, newDep);
                task.progress(from + chunk.size(), candidates.size());
            }
            // the native DML is synchronized with User, so Hibernate empties its regions at commit: declared so
            // that the coherence service fences them against late puts from operations still running
            op.touchWithRegionClear("users");
            if (a.kind() == BulkAction.Kind.MOVE_TO_DEPARTMENT) {
                op.touchWithRegionClear("user_departments");
            }
            return changed; // a dry run is rolled back by Transactions
        });
    }

    /**
     * The users the action changes, in id order. {@code lock}: FOR UPDATE, so that every row is locked before
     * the first write; otherwise an edit of a user in a later chunk could hold that row while waiting for the
     * table-version row this action bumped with its first chunk, and each would wait for the other.
     */
    /**
     * The condition (after WHERE, on {@code users u}) of the users the action changes: its users (ids or query) that
     * the action would change (an active user is not activated again); null when it applies to no id at all.
     */
    private String condition(Connection c, BulkAction a, List<Object> params) throws SQLException {
        String target;
        if (a.ids() != null) {
            if (a.ids().isEmpty()) {
                return null;
            }
            target = "u.id IN (" + UserSql.placeholders(a.ids().size()) + ")";
            params.addAll(a.ids());
        } else {
            target = UserSql.where(c, a.query(), params, dialect);
        }
        String predicate = switch (a.kind()) {
            case DEACTIVATE -> "u.active = TRUE";
            case ACTIVATE -> "u.active = FALSE";
            case RESET_USAGE -> "u.usage_amount <> 0";
            case MOVE_TO_DEPARTMENT -> "(NOT EXISTS (SELECT 1 FROM user_departments x WHERE x.user_id = u.id AND x.department_id = ?) "
                    + "OR EXISTS (SELECT 1 FROM user_departments y WHERE y.user_id = u.id AND y.department_id <> ?))";
        };
        if (a.kind() == BulkAction.Kind.MOVE_TO_DEPARTMENT) {
            params.add(a.departmentId());
            params.add(a.departmentId());
        }
        return target + " AND " + predicate;
    }

    /** One user a bulk action would change, and how: the field, its value now and after. */
    public record Change(long id, String email, String username, String field, String before, String after) {
    }

    /** A page of {@link Change}s in id order; {@code more}: users after the last one. */
    public record Preview(List<Change> changes, boolean more) {
    }

    /**
     * The users the action would change, {@code size} at a time in id order after {@code afterId} (null: from the
     * start), each with its change; read only, nothing locked. What the dry run's confirmation lists.
     */
    public Preview preview(BulkAction a, Long afterId, int size) {
        return tx.read("users.bulk.preview", s -> {
            String depName = a.kind() == BulkAction.Kind.MOVE_TO_DEPARTMENT
                    ? java.util.Optional.ofNullable(s.find(Department.class, a.departmentId())).map(Department::getName)
                            .orElseThrow(() -> new RefusedException("The department no longer exists; reload the list."))
                    : null;
            return s.doReturningWork(c -> {
                List<Object> params = new ArrayList<>();
                String condition = condition(c, a, params);
                if (condition == null) {
                    return new Preview(List.of(), false);
                }
                if (afterId != null) {
                    condition += " AND u.id > ?";
                    params.add(afterId);
                }
                params.add(size + 1);
                List<Change> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT u.id, u.email, u.username, u.active, u.usage_amount FROM users u WHERE "
                        + condition + " ORDER BY u.id LIMIT ?")) {
                    UserSql.bind(ps, params);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            boolean active = rs.getBoolean(4);
                            String field = switch (a.kind()) {
                                case DEACTIVATE, ACTIVATE -> "active";
                                case RESET_USAGE -> "usage";
                                case MOVE_TO_DEPARTMENT -> "departments";
                            };
                            String before = switch (a.kind()) {
                                case DEACTIVATE, ACTIVATE -> active ? "yes" : "no";
                                case RESET_USAGE -> rs.getBigDecimal(5).setScale(2).toPlainString();
                                case MOVE_TO_DEPARTMENT -> "";
                            };
                            String after = switch (a.kind()) {
                                case DEACTIVATE -> "no";
                                case ACTIVATE -> "yes";
                                case RESET_USAGE -> "0.00";
                                case MOVE_TO_DEPARTMENT -> depName;
                            };
                            out.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3), field, before, after));
                        }
                    }
                }
                boolean more = out.size() > size;
                List<Change> page = new ArrayList<>(out.subList(0, Math.min(size, out.size())));
                if (a.kind() == BulkAction.Kind.MOVE_TO_DEPARTMENT && !page.isEmpty()) {
                    Map<Long, List<DepartmentView>> deps = UserSql.departmentsOf(c, page.stream().map(Change::id).toList());
                    page.replaceAll(ch -> new Change(ch.id(), ch.email(), ch.username(), ch.field(),
                            String.join(", ", deps.getOrDefault(ch.id(), List.of()).stream().map(DepartmentView::name).sorted().toList()), ch.after()));
                }
                return new Preview(List.copyOf(page), more);
            });
        });
    }

    private List<Candidate> candidates(Connection c, BulkAction a, boolean lock) throws SQLException {
        List<Object> params = new ArrayList<>();
        String condition = condition(c, a, params);
        if (condition == null) {
            return List.of();
        }
        List<Candidate> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT u.id, u.active, u.usage_amount, u.version FROM users u WHERE "
                + condition + " ORDER BY u.id" + (lock ? " FOR UPDATE" : ""))) {
            UserSql.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Candidate(rs.getLong(1), rs.getBoolean(2), rs.getBigDecimal(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    private int update(Session s, BulkAction a, List<Long> ids, LocalDateTime now, String depName) {
        String stamp = "version = version + 1, updated_at = :now, updated_by = :op";
        String sql = switch (a.kind()) {
            case DEACTIVATE -> "UPDATE users SET active = FALSE, " + stamp + " WHERE id IN (:ids) AND active = TRUE";
            case ACTIVATE -> "UPDATE users SET active = TRUE, " + stamp + " WHERE id IN (:ids) AND active = FALSE";
            case RESET_USAGE -> "UPDATE users SET usage_amount = 0, " + stamp + " WHERE id IN (:ids) AND usage_amount <> 0";
            case MOVE_TO_DEPARTMENT -> "UPDATE users SET department_key = :depName, " + stamp + " WHERE id IN (:ids)";
        };
        // users first, then user_departments: the same order as an entity save (Hibernate flushes the owner's
        // row before its collection), so the table-version rows both bump are locked in one order: no deadlock
        var update = s.createNativeQuery(sql).addSynchronizedEntityClass(User.class)
                .setParameter("now", now).setParameter("op", tx.operator())
                .setParameterList("ids", ids);
        if (a.kind() == BulkAction.Kind.MOVE_TO_DEPARTMENT) {
            update.setParameter("depName", depName);
        }
        int updated = update.executeUpdate();
        if (a.kind() == BulkAction.Kind.MOVE_TO_DEPARTMENT) {
            s.createNativeQuery("DELETE FROM user_departments WHERE user_id IN (:ids)")
                    .addSynchronizedQuerySpace("user_departments").addSynchronizedEntityClass(User.class)
                    .setParameterList("ids", ids).executeUpdate();
            s.createNativeQuery("INSERT INTO user_departments (user_id, department_id) SELECT u.id, :dep FROM users u WHERE u.id IN (:ids)")
                    .addSynchronizedQuerySpace("user_departments").addSynchronizedEntityClass(User.class)
                    .setParameter("dep", a.departmentId()).setParameterList("ids", ids).executeUpdate();
        }
        return updated;
    }

    /**
     * Reports each changed user to the operation like an entity change: the transaction helper then writes
     * the audit rows (one per user) and caches and named values see exactly which users and fields changed.
     */
    private static void record(Operation op, List<Candidate> chunk, BulkAction a,
                               Map<Long, List<DepartmentView>> oldDeps, String newDep) {
        for (Candidate cd : chunk) {
            EntityChange.FieldChange f = switch (a.kind()) {
                case DEACTIVATE, ACTIVATE -> new EntityChange.FieldChange("active", String.valueOf(cd.active()),
                        String.valueOf(a.kind() == BulkAction.Kind.ACTIVATE));
                case RESET_USAGE -> new EntityChange.FieldChange("usage", cd.usage().setScale(2).toPlainString(), "0.00");
                case MOVE_TO_DEPARTMENT -> {
                    TreeSet<String> names = new TreeSet<>();
                    oldDeps.getOrDefault(cd.id(), List.of()).forEach(d -> names.add(d.name()));
                    yield new EntityChange.FieldChange("departments", String.join(", ", names), newDep);
                }
            };
            // the version read here is a lower bound (the update may run later): still a valid floor for caches
            op.recordChange(new EntityChange("User", "users", cd.id(), EntityChange.Action.UPDATE, List.of(f), cd.version()));
        }
    }
}
