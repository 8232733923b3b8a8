package org.adminconsole.cache;

import jakarta.persistence.Entity;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.proxy.HibernateProxy;

/**
 * What a named value may hold: a materialised value without Hibernate entities, proxies or persistent collections,
 * at the top level or inside a collection, map, array, Optional or record. Anything else is refused with
 * {@link CachedEntityException}, naming the value, where the offending part is, and the remedy.
 */
final class CacheableValues {

    private CacheableValues() {
    }

    /** Refuses a lazy value or one holding entities. */
    static void check(String name, Object v) {
        refuseLazy(name, v);
        refuseEntities(name, v, "value", 0, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /**
     * A loader's result is read after its session closed: a lazy result (a Stream, an Iterator, Hibernate's
     * ScrollableResults, any Iterable that is not a Collection) would be read too late, so it is refused with the
     * remedy. (Materialising it silently would hide a loader that streams a whole table into memory.)
     */
    static void refuseLazy(String name, Object v) {
        if (v instanceof java.util.stream.BaseStream<?, ?> || v instanceof java.util.Iterator<?> || v instanceof java.util.Spliterator<?>
                || v instanceof org.hibernate.ScrollableResults<?> || v instanceof Iterable<?> && !(v instanceof Collection<?>)) {
            throw new CachedEntityException("Named value '" + name + "' returned a lazy " + v.getClass().getSimpleName()
                    + ", which would be read after its session closed. Return a materialised, immutable value instead "
                    + "(e.g. stream.toList() or List.copyOf(...)).");
        }
    }

    static void refuseEntities(String name, Object v, String path, int depth, Set<Object> seen) {
        if (v == null || depth > 6 || v instanceof String || v instanceof Number || v instanceof Enum<?>
                || v instanceof Boolean || !seen.add(v)) {
            return;
        }
        if (v instanceof HibernateProxy || isEntityClass(v.getClass())) {
            throw new CachedEntityException("Named value '" + name + "' cannot cache the entity " + describe(v) + " at " + path
                    + ": cached values outlive the session, so entities there go stale and fail on lazy loading."
                    + " Return an immutable view instead (e.g. a record, like User.toView()).");
        }
        if (v instanceof PersistentCollection<?>) {
            throw new CachedEntityException("Named value '" + name + "' cannot cache a Hibernate persistent collection at " + path
                    + ": copy it into a plain immutable collection of views (List.copyOf).");
        }
        if (v instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                refuseEntities(name, e.getKey(), path + " key " + e.getKey(), depth + 1, seen);
                refuseEntities(name, e.getValue(), path + "[" + e.getKey() + "]", depth + 1, seen);
            }
        } else if (v instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                refuseEntities(name, o, path + "[" + i++ + "]", depth + 1, seen);
            }
        } else if (v instanceof Object[] arr) {
            for (int i = 0; i < arr.length; i++) {
                refuseEntities(name, arr[i], path + "[" + i + "]", depth + 1, seen);
            }
        } else if (v instanceof Optional<?> o) {
            refuseEntities(name, o.orElse(null), path + ".get()", depth + 1, seen);
        } else if (v.getClass().isRecord()) {
            for (RecordComponent rc : v.getClass().getRecordComponents()) {
                try {
                    rc.getAccessor().setAccessible(true);
                    refuseEntities(name, rc.getAccessor().invoke(v), path + "." + rc.getName(), depth + 1, seen);
                } catch (ReflectiveOperationException | RuntimeException ex) {
                    if (ex instanceof CachedEntityException ce) {
                        throw ce;
                    }
                }
            }
        }
    }

    private static boolean isEntityClass(Class<?> c) {
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            if (k.isAnnotationPresent(Entity.class)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Object v) {
        Class<?> c = v.getClass();
        while (c.getSuperclass() != null && !c.isAnnotationPresent(Entity.class)) {
            c = c.getSuperclass();
        }
        return c.getName();
    }
}
