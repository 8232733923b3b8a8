package org.adminconsole.persistence;

import java.lang.reflect.Field;
import org.hibernate.Session;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.resource.transaction.spi.TransactionStatus;

/**
 * The one place the console reaches into Hibernate internals (tested by the NESTED propagation tests, so a Hibernate
 * upgrade that moves them fails loudly). Hibernate marks the whole transaction rollback-only when any statement fails,
 * including one inside a NESTED unit that was rolled back to its savepoint; the database transaction is fine then,
 * and the mark has to go, or the outer commit would silently roll back.
 */
final class HibernateInternals {

    private HibernateInternals() {
    }

    static void clearRollbackOnly(Session s) {
        try {
            Object logical = s.unwrap(SharedSessionContractImplementor.class).getJdbcCoordinator().getLogicalConnection();
            Field status = field(logical.getClass(), "status");
            status.setAccessible(true);
            if (status.get(logical) == TransactionStatus.MARKED_ROLLBACK) {
                status.set(logical, TransactionStatus.ACTIVE);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot clear Hibernate's rollback-only mark after a nested rollback "
                    + "(Hibernate internals changed?); the whole operation rolls back instead", e);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
