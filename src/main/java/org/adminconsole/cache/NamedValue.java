package org.adminconsole.cache;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.adminconsole.persistence.OperationRecord;
import org.adminconsole.persistence.audit.EntityChange;
import org.hibernate.Session;

/**
 * The declaration of a table-change cached value: a name, a loader that computes it in a read-only
 * operation (returning immutable values, never entities), and when to drop it.
 *
 * <pre>{@code
 * NamedValue<Void, Long> overQuota = NamedValue.of("users.overQuota",
 *         s -> s.createSelectionQuery("select count(u) from User u where u.usage > u.quota", Long.class).getSingleResult())
 *     .onTables("users");
 * NamedValue<Role, Long> perRole = NamedValue.<Role, Long>keyed("users.byRole",
 *         (s, role) -> ...).onChange("users", c -> c.action() != EntityChange.Action.UPDATE || c.changed("role"));
 * }</pre>
 *
 * @param <K> the variant key (e.g. the operator's role), {@code Void} for a single value
 * @param <V> the value: immutable (records, strings, numbers, unmodifiable collections of those)
 */
public final class NamedValue<K, V> {

    /** Computes the value for one key inside a read-only operation. */
    @FunctionalInterface
    public interface Loader<K, V> {
        V load(Session session, K key) throws Exception;
    }

    /** Computes a single value. */
    @FunctionalInterface
    public interface SimpleLoader<V> {
        V load(Session session) throws Exception;
    }

    /**
     * When to drop the value: on any committed change of one of {@code tables}; or, for a predicate policy,
     * when a committed change of an entity stored in {@code tables} satisfies {@code predicate}. Changes
     * without entity details (bulk or native SQL, other consoles, other programs) count as matching.
     */
    public record Policy(Set<String> tables, Predicate<EntityChange> predicate) {
        public Policy {
            TreeSet<String> t = new TreeSet<>();
            tables.forEach(x -> t.add(x.toLowerCase(Locale.ROOT)));
            tables = Set.copyOf(t);
        }

        public boolean hasPredicate() {
            return predicate != null;
        }

        public String describe() {
            return (predicate == null ? "on change of " : "on matching change of ") + String.join(", ", new TreeSet<>(tables));
        }

        /** Whether one of {@code changed} is one of the tables this value reads. */
        public boolean readsAny(Set<String> changed) {
            for (String t : changed) {
                if (tables.contains(t)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether this console's committed operation {@code rec} drops the value. */
        public boolean matches(OperationRecord rec) {
            boolean touched = readsAny(rec.tables());
            if (!touched || !hasPredicate()) {
                return touched;
            }
            for (String t : rec.tables()) {
                if (!tables.contains(t)) {
                    continue;
                }
                boolean detailed = false;
                for (EntityChange c : rec.changes()) {
                    if (c.table().equals(t)) {
                        detailed = true;
                        if (predicate.test(c)) {
                            return true;
                        }
                    }
                }
                if (!detailed) {
                    return true; // written without entity details (bulk or native SQL, a collection): assume it matters
                }
            }
            return false;
        }
    }

    private final String name;
    private final Loader<K, V> loader;
    private final Policy policy;

    private NamedValue(String name, Loader<K, V> loader, Policy policy) {
        this.name = Objects.requireNonNull(name, "name");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.policy = policy;
    }

    /** A single value; give its policy with {@link #onTables} or {@link #onChange}. */
    public static <V> NamedValue<Void, V> of(String name, SimpleLoader<V> loader) {
        Objects.requireNonNull(loader, "loader");
        return new NamedValue<>(name, (s, k) -> loader.load(s), null);
    }

    /** A value with variants by key (e.g. per role). */
    public static <K, V> NamedValue<K, V> keyed(String name, Loader<K, V> loader) {
        return new NamedValue<>(name, loader, null);
    }

    /** Dropped on every committed change of any of these tables. */
    public NamedValue<K, V> onTables(String... tables) {
        if (tables.length == 0) {
            throw new IllegalArgumentException("Named value '" + name + "' needs at least one table");
        }
        return new NamedValue<>(name, loader, new Policy(Set.of(tables), null));
    }

    /** Dropped when a committed change of an entity of {@code table} satisfies {@code predicate}. */
    public NamedValue<K, V> onChange(String table, Predicate<EntityChange> predicate) {
        return new NamedValue<>(name, loader, new Policy(Set.of(table), Objects.requireNonNull(predicate, "predicate")));
    }

    /**
     * Dropped when a committed change of an entity stored in any of {@code tables} satisfies {@code predicate} (it sees
     * each change with its table), or when one of them is written without entity details.
     */
    public NamedValue<K, V> onChange(Predicate<EntityChange> predicate, String... tables) {
        if (tables.length == 0) {
            throw new IllegalArgumentException("Named value '" + name + "' needs at least one table");
        }
        return new NamedValue<>(name, loader, new Policy(Set.of(tables), Objects.requireNonNull(predicate, "predicate")));
    }

    public String name() { return name; }
    public Loader<K, V> loader() { return loader; }

    public Policy policy() {
        if (policy == null) {
            throw new IllegalStateException("Named value '" + name + "' has no invalidation policy: call onTables(...) or onChange(...)");
        }
        return policy;
    }

    @Override
    public String toString() {
        return "NamedValue[" + name + (policy == null ? "" : ", " + policy.describe()) + "]";
    }
}
