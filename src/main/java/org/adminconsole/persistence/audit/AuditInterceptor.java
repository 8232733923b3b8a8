package org.adminconsole.persistence.audit;

import org.adminconsole.persistence.Operation;
import org.adminconsole.persistence.ReadOnlyViolationException;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.Hibernate;
import org.hibernate.Interceptor;
import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.type.Type;

/**
 * Session-scoped interceptor of one operation: fills the audit fields (created/updated at/by) from the
 * operator, records every entity change with field diffs into the operation (the audit trail and cache
 * invalidation read them), counts loads, and refuses writes in read-only operations before any SQL runs.
 */
public final class AuditInterceptor implements Interceptor {

    private static final Set<String> METADATA = Set.of("version", "createdAt", "createdBy", "updatedAt", "updatedBy", "emailKey", "departmentKey");

    private final Operation op;
    private final String operator;

    public AuditInterceptor(Operation op, String operator) {
        this.op = op;
        this.operator = operator;
    }

    /** The operation this session belongs to (for session-wide listeners such as the L1 counter). */
    public Operation operation() {
        return op;
    }

    public static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private void refuseIfReadOnly(String what, Object entity) {
        if (op.readOnly() || !what.equals("update") && op.inReadOnlyScope()) {
            throw new ReadOnlyViolationException("Operation " + op.label() + " is read-only and cannot " + what + " "
                    + Hibernate.getClass(entity).getSimpleName() + "; nothing was written.");
        }
    }

    @Override
    public boolean onLoad(Object entity, Object id, Object[] state, String[] propertyNames, Type[] types) {
        op.stats().entitiesLoaded.incrementAndGet();
        return false;
    }

    @Override
    public boolean onPersist(Object entity, Object id, Object[] state, String[] names, Type[] types) {
        refuseIfReadOnly("insert", entity);
        op.stats().entitiesInserted.incrementAndGet();
        LocalDateTime now = now();
        boolean modified = set(names, state, "createdAt", now) | set(names, state, "updatedAt", now)
                | set(names, state, "createdBy", operator) | set(names, state, "updatedBy", operator);
        List<EntityChange.FieldChange> fields = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (!METADATA.contains(names[i]) && state[i] != null) {
                String v = display(state[i]);
                if (!v.isEmpty()) {
                    fields.add(new EntityChange.FieldChange(names[i], null, v));
                }
            }
        }
        EntityChange change = new EntityChange(entityName(entity), tableOf(entity), id, EntityChange.Action.INSERT, fields);
        if (id == null) {
            op.changeSet().recordPendingInsert(entity, change);
        } else {
            op.recordChange(change);
        }
        return modified;
    }

    @Override
    public boolean onFlushDirty(Object entity, Object id, Object[] current, Object[] previous, String[] names, Type[] types) {
        refuseIfReadOnly("update", entity);
        List<EntityChange.FieldChange> fields = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (METADATA.contains(names[i])) {
                continue;
            }
            Object now = current[i];
            if (now instanceof PersistentCollection<?> pc) {
                if (pc.isDirty()) {
                    String before = displaySnapshot(pc.getStoredSnapshot());
                    String after = display(pc);
                    if (!before.equals(after)) {
                        fields.add(new EntityChange.FieldChange(names[i], before, after));
                    }
                    op.touch(collectionTable(pc));
                }
                continue;
            }
            Object before = previous == null ? null : previous[i];
            if (!same(before, now)) {
                fields.add(new EntityChange.FieldChange(names[i], before == null ? null : display(before),
                        now == null ? null : display(now)));
            }
        }
        if (fields.isEmpty()) {
            return false;
        }
        op.stats().entitiesUpdated.incrementAndGet();
        LocalDateTime ts = now();
        boolean modified = set(names, current, "updatedAt", ts) | set(names, current, "updatedBy", operator);
        op.recordChange(new EntityChange(entityName(entity), tableOf(entity), id, EntityChange.Action.UPDATE, fields, version(names, current)));
        return modified;
    }

    @Override
    public void onRemove(Object entity, Object id, Object[] state, String[] names, Type[] types) {
        refuseIfReadOnly("delete", entity);
        op.stats().entitiesDeleted.incrementAndGet();
        List<EntityChange.FieldChange> fields = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (!METADATA.contains(names[i]) && state[i] != null && !(state[i] instanceof PersistentCollection<?>)) {
                fields.add(new EntityChange.FieldChange(names[i], display(state[i]), null));
            }
        }
        op.recordChange(new EntityChange(entityName(entity), tableOf(entity), id, EntityChange.Action.DELETE, fields, version(names, state)));
    }

    /** The version in the state Hibernate hands the interceptor (before its increment), if the entity has one. */
    private static Long version(String[] names, Object[] state) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals("version") && state[i] instanceof Number n) {
                return n.longValue();
            }
        }
        return null;
    }

    @Override
    public void onCollectionRecreate(Object collection, Object key) {
        if (collection instanceof PersistentCollection<?> pc) {
            op.touch(collectionTable(pc));
        }
    }

    @Override
    public void onCollectionRemove(Object collection, Object key) {
        if (collection instanceof PersistentCollection<?> pc) {
            op.touch(collectionTable(pc));
        }
    }

    @Override
    public void onCollectionUpdate(Object collection, Object key) {
        if (collection instanceof PersistentCollection<?> pc) {
            op.touch(collectionTable(pc));
        }
    }

    /** Join-table name of a collection role: taken from the owner's mapping convention (user_departments). */
    private static String collectionTable(PersistentCollection<?> pc) {
        String role = pc.getRole();
        if (role != null && role.endsWith("User.departments")) {
            return "user_departments";
        }
        return role == null ? "unknown" : role;
    }

    private static boolean set(String[] names, Object[] state, String property, Object value) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(property)) {
                state[i] = value;
                return true;
            }
        }
        return false;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return a == null ? b == null : a.equals(b);
    }

    static String entityName(Object entity) {
        return Hibernate.getClass(entity).getSimpleName();
    }

    static String tableOf(Object entity) {
        Table t = Hibernate.getClass(entity).getAnnotation(Table.class);
        return t != null ? t.name() : Hibernate.getClass(entity).getSimpleName().toLowerCase();
    }

    private static String displaySnapshot(Object snapshot) {
        if (snapshot instanceof Map<?, ?> m) {
            return display(m.keySet());
        }
        return snapshot == null ? "" : display(snapshot);
    }

    static String display(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal b) {
            return b.stripTrailingZeros().scale() <= 0 ? b.setScale(2).toPlainString() : b.toPlainString();
        }
        if (v instanceof Collection<?> c) {
            TreeSet<String> names = new TreeSet<>();
            for (Object o : c) {
                names.add(String.valueOf(o));
            }
            return String.join(", ", names);
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        return String.valueOf(v);
    }
}
