package org.adminconsole.cache;

import java.util.List;
import java.util.function.Function;
import org.hibernate.Session;

/**
 * Rows cached as immutable views (a named value), handed to an operation that needs them as managed entities. The
 * views never hold entities; {@link #managed} turns them into references of the operation's own session
 * ({@code Session.getReference}: no SELECT; the row is read only if a property of it is touched). So a write can, for
 * example, put a user into cached departments without reading the departments again.
 *
 * @param <E> the entity type
 * @param <V> its immutable view (a record)
 */
public final class CachedEntities<E, V> {

    private final NamedValues values;
    private final NamedValue<Void, List<V>> rows;
    private final Class<E> type;
    private final Function<V, Object> idOf;

    public CachedEntities(NamedValues values, NamedValue<Void, List<V>> rows, Class<E> type, Function<V, Object> idOf) {
        this.values = values;
        this.rows = values.declare(rows);
        this.type = type;
        this.idOf = idOf;
    }

    /** The cached views (loaded by the named value's loader when missing or invalidated). */
    public List<V> views() {
        return values.get(rows);
    }

    /** The cached rows as entities of {@code session}, the running operation's session. */
    public List<E> managed(Session session) {
        return views().stream().map(v -> session.getReference(type, idOf.apply(v))).toList();
    }

    /** One cached row as an entity of {@code session}, or null when no cached row matches. */
    public E managed(Session session, Object id) {
        for (V v : views()) {
            if (idOf.apply(v).equals(id)) {
                return session.getReference(type, id);
            }
        }
        return null;
    }
}
