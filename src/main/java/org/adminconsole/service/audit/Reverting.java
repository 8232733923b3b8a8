package org.adminconsole.service.audit;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserView;
import org.adminconsole.persistence.Operation;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.persistence.TxOptions;
import org.adminconsole.service.RefusedException;
import org.adminconsole.service.users.AuditEntryView;
import org.adminconsole.service.users.Conflict;
import org.adminconsole.service.users.ConflictException;
import jakarta.persistence.LockModeType;
import org.hibernate.CacheMode;
import org.hibernate.Session;

/**
 * Revert from history: the old values of a change are written as a new, audited change whose audit row names the
 * entry it reverts. One entry ({@link #revert}) or a whole change set, i.e. a bulk action ({@link #plan} as a dry run,
 * then {@link #revertChangeSet}, all users in one transaction). A field whose current value is no longer the value the
 * change wrote is a conflict: nothing is written unless the operator overwrites (one entry) or skips the conflicting
 * users (change set). Entity writes: the audit trail, table versions and cache eviction after commit follow as for
 * any save.
 */
public final class Reverting {

    /** Fields a revert can set back (the audit field names of the User entity). */
    public static final Set<String> REVERTABLE = Set.of("email", "username", "role", "active", "quota", "usage", "settings", "departments");

    private record Entry(long no, long userId, String action, String entityType, String changeSet, String operation,
                         List<AuditEntryView.Change> changes) {
    }

    private final Transactions tx;

    private org.adminconsole.service.access.Access access = org.adminconsole.service.access.Access.asAdmin("owner");

    public Reverting(Transactions tx, org.adminconsole.service.access.Access access) {
        this(tx);
        this.access = access;
    }

    public Reverting(Transactions tx) {
        this.tx = tx;
    }

    /**
     * Reverts one entry of a user's history. Throws {@link ConflictException} (the editor's conflict flow: current
     * values vs. the values the revert writes) when a field moved since and {@code overwrite} is false.
     */
    public UserView revert(long entryNo, boolean overwrite) {
        access.require(org.adminconsole.service.access.Role.OPERATOR, "Reverting changes");
        return optimistic(() -> tx.execute(TxOptions.write("users.revert"), s -> {
            Entry e = s.doReturningWork(c -> entries(c, "a.entry_no = ?", entryNo)).stream().findFirst()
                    .orElseThrow(() -> new RefusedException("Change #" + entryNo + " is not in the audit log."));
            refuseUnrevertable(e);
            User u = current(s, e.userId(), true);
            if (u == null) {
                throw new ConflictException(new Conflict(null, null, List.of()));
            }
            List<RevertPlan.FieldRevert> conflicts = conflicts(u, e);
            if (!conflicts.isEmpty() && !overwrite) {
                throw new ConflictException(new Conflict(u.toView(), null, conflicts.stream()
                        .map(f -> new Conflict.FieldDiff(f.field(), f.current(), f.restored())).toList()));
            }
            apply(s, u, e);
            tx.current().orElseThrow().changeSet().noteRevert("User", u.getId(), e.no());
            s.flush();
            return u.toView();
        }));
    }

    /** Dry run of reverting the change set that entry {@code entryNo} belongs to: nothing is written. */
    public RevertPlan plan(long entryNo) {
        return tx.read("users.revertPlan", s -> plan(s, changeSetOf(s, entryNo)));
    }

    /**
     * Reverts every user of the change set in one transaction. {@code confirmedUsers}: the number the operator typed
     * (the users to revert); when it no longer matches, nothing is written. With conflicts and {@code skipConflicts}
     * false: {@link RevertConflictException}, nothing written; with it true the conflicting users are left as they are.
     */
    public int revertChangeSet(long entryNo, int confirmedUsers, boolean skipConflicts) {
        access.require(org.adminconsole.service.access.Role.OPERATOR, "Reverting changes");
        return optimistic(() -> tx.execute(TxOptions.write("users.revertBulk").timeout(tx.longTimeout()), s -> {
            RevertPlan plan = plan(s, changeSetOf(s, entryNo));
            if (!plan.conflicted().isEmpty() && !skipConflicts) {
                throw new RevertConflictException(plan);
            }
            List<RevertPlan.UserRevert> todo = plan.revertable();
            if (todo.size() != confirmedUsers) {
                throw new RefusedException("The action now reverts " + todo.size() + " users, not " + confirmedUsers
                        + " as confirmed (someone changed them meanwhile); nothing was reverted. Run the dry run again.");
            }
            Operation op = tx.current().orElseThrow();
            Map<Long, Entry> byEntry = new LinkedHashMap<>();
            s.doReturningWork(c -> entries(c, "a.change_set = ?", plan.changeSet())).forEach(e -> byEntry.put(e.no(), e));
            for (RevertPlan.UserRevert ur : todo) {
                User u = current(s, ur.userId(), true);
                apply(s, u, byEntry.get(ur.entryNo()));
                op.changeSet().noteRevert("User", u.getId(), ur.entryNo());
            }
            s.flush();
            return todo.size();
        }));
    }

    /** A concurrent save between the locked read and the write (only possible without the lock): said plainly. */
    private static <T> T optimistic(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof jakarta.persistence.OptimisticLockException || t instanceof org.hibernate.StaleStateException) {
                    throw new RefusedException("A user was changed by someone else while reverting; nothing was reverted. Try again.");
                }
            }
            throw e;
        }
    }

    private static String changeSetOf(Session s, long entryNo) {
        Entry e = s.doReturningWork(c -> entries(c, "a.entry_no = ?", entryNo)).stream().findFirst()
                .orElseThrow(() -> new RefusedException("Change #" + entryNo + " is not in the audit log."));
        if (e.changeSet() == null) {
            throw new RefusedException("Change #" + entryNo + " belongs to no recorded action; revert it on its own.");
        }
        return e.changeSet();
    }

    /**
     * The user as the database holds it now, past the second-level cache (a write made outside the console reaches the
     * cache only at the next coherence check); {@code lock}: locked until commit, so nobody changes it between the
     * conflict check and the write.
     */
    private static User current(Session s, long id, boolean lock) {
        // the mode passed to find itself: Hibernate 7.4's find ignores Session.setCacheMode (UserEditing, UserCacheTest);
        // a locking find reads the row with FOR UPDATE anyway
        return lock ? s.find(User.class, id, LockModeType.PESSIMISTIC_WRITE) : s.find(User.class, id, CacheMode.REFRESH);
    }

    private static RevertPlan plan(Session s, String changeSet) {
        boolean lock = !s.isDefaultReadOnly();
        List<Entry> entries = s.doReturningWork(c -> entries(c, "a.change_set = ?", changeSet));
        List<RevertPlan.UserRevert> users = new ArrayList<>();
        String operation = entries.isEmpty() ? "" : entries.get(0).operation();
        for (Entry e : entries) {
            refuseUnrevertable(e);
            User u = current(s, e.userId(), lock);
            List<RevertPlan.FieldRevert> fields = e.changes().stream()
                    .map(c -> new RevertPlan.FieldRevert(c.field(), c.newValue(), c.oldValue())).toList();
            if (u == null) {
                users.add(new RevertPlan.UserRevert(e.no(), e.userId(), "user #" + e.userId(), fields, List.of(), true));
            } else {
                List<RevertPlan.FieldRevert> conflicts = conflicts(u, e);
                users.add(new RevertPlan.UserRevert(e.no(), e.userId(), u.getEmail(), fields, conflicts, false));
            }
        }
        return new RevertPlan(changeSet, operation, users);
    }

    private static void refuseUnrevertable(Entry e) {
        if (!"User".equals(e.entityType()) || !"UPDATE".equals(e.action())) {
            throw new RefusedException("Change #" + e.no() + " is " + e.action().toLowerCase() + " of " + e.entityType()
                    + ": only changes of a user's fields can be reverted.");
        }
        List<String> other = e.changes().stream().map(AuditEntryView.Change::field).filter(f -> !REVERTABLE.contains(f)).toList();
        if (!other.isEmpty()) {
            throw new RefusedException("Change #" + e.no() + " changed " + String.join(", ", other) + ", which cannot be reverted.");
        }
    }

    /** The fields whose current value is not the value the change wrote: current vs. the value the revert would write. */
    private static List<RevertPlan.FieldRevert> conflicts(User u, Entry e) {
        List<RevertPlan.FieldRevert> out = new ArrayList<>();
        for (AuditEntryView.Change c : e.changes()) {
            String current = current(u, c.field());
            if (!same(c.field(), current, c.newValue())) {
                out.add(new RevertPlan.FieldRevert(c.field(), current == null ? "—" : current, c.oldValue() == null ? "—" : c.oldValue()));
            }
        }
        return out;
    }

    static String current(User u, String field) {
        return switch (field) {
            case "email" -> u.getEmail();
            case "username" -> u.getUsername();
            case "role" -> u.getRole().name();
            case "active" -> String.valueOf(u.isActive());
            case "quota" -> u.getQuota().setScale(2).toPlainString();
            case "usage" -> u.getUsage().setScale(2).toPlainString();
            case "settings" -> u.getSettings();
            case "departments" -> String.join(", ", new TreeSet<>(u.getDepartments().stream().map(Department::getName).toList()));
            default -> throw new IllegalArgumentException(field);
        };
    }

    static boolean same(String field, String a, String b) {
        String x = a == null || a.isEmpty() ? null : a;
        String y = b == null || b.isEmpty() ? null : b;
        if (x == null || y == null) {
            return x == y;
        }
        return switch (field) {
            case "quota", "usage" -> new BigDecimal(x).compareTo(new BigDecimal(y)) == 0;
            case "departments" -> names(x).equals(names(y));
            case "role", "active" -> x.equalsIgnoreCase(y);
            default -> Objects.equals(x, y);
        };
    }

    private static TreeSet<String> names(String list) {
        TreeSet<String> out = new TreeSet<>();
        Arrays.stream(list.split(",")).map(String::trim).filter(n -> !n.isEmpty()).forEach(out::add);
        return out;
    }

    private static void apply(Session s, User u, Entry e) {
        for (AuditEntryView.Change c : e.changes()) {
            String v = c.oldValue() == null || c.oldValue().isEmpty() ? null : c.oldValue();
            switch (c.field()) {
                case "email" -> u.setEmail(required(v, c));
                case "username" -> u.setUsername(required(v, c));
                case "role" -> u.setRole(Role.valueOf(required(v, c).toUpperCase(java.util.Locale.ROOT)));
                case "active" -> u.setActive(Boolean.parseBoolean(required(v, c)));
                case "quota" -> u.setQuota(new BigDecimal(required(v, c)).setScale(2));
                case "usage" -> u.setUsage(new BigDecimal(required(v, c)).setScale(2));
                case "settings" -> u.setSettings(v);
                case "departments" -> {
                    u.getDepartments().clear();
                    for (String name : v == null ? new TreeSet<String>() : names(v)) {
                        Department d = s.createSelectionQuery("from Department d where d.name = :n", Department.class)
                                .setParameter("n", name).uniqueResultOptional()
                                .orElseThrow(() -> new RefusedException("Department " + name + " no longer exists; nothing was reverted."));
                        u.getDepartments().add(d);
                    }
                    u.syncDepartmentKey();
                }
                default -> throw new RefusedException("Field " + c.field() + " cannot be reverted.");
            }
        }
    }

    private static String required(String v, AuditEntryView.Change c) {
        if (v == null) {
            throw new RefusedException("Change of " + c.field() + " has no old value to restore.");
        }
        return v;
    }

    private static List<Entry> entries(Connection c, String where, Object param) throws SQLException {
        Map<Object, Object[]> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.entry_no, a.entity_id, a.action, a.entity_type, a.change_set,"
                + " a.operation FROM audit_log a WHERE " + where + " ORDER BY a.entry_no")) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getObject(1), new Object[] {rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7)});
                }
            }
        }
        Map<Object, List<AuditEntryView.Change>> changes = new LinkedHashMap<>();
        List<Object> ids = new ArrayList<>(rows.keySet());
        for (int from = 0; from < ids.size(); from += 500) {
            changes.putAll(Activity.changesOf(c, ids.subList(from, Math.min(ids.size(), from + 500))));
        }
        List<Entry> out = new ArrayList<>();
        rows.forEach((id, r) -> out.add(new Entry((Long) r[0], (Long) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                changes.getOrDefault(id, List.of()))));
        return out;
    }
}
