package org.adminconsole.persistence.audit;

import java.time.LocalDateTime;
import org.hibernate.StatelessSession;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.event.spi.PreInsertEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;

/**
 * Stateless sessions (bulk mode) have no interceptor: this listener fills the audit fields of entities they
 * insert or update, so bulk-written rows carry the operator and timestamps too. Stateful sessions are handled
 * by {@link AuditInterceptor} and left alone here.
 */
public final class StatelessAuditListener implements PreInsertEventListener, PreUpdateEventListener {

    private final String operator;

    public StatelessAuditListener(String operator) {
        this.operator = operator;
    }

    @Override
    public boolean onPreInsert(PreInsertEvent event) {
        if (event.getSession() instanceof StatelessSession) {
            String[] names = event.getPersister().getPropertyNames();
            Object[] state = event.getState();
            LocalDateTime now = AuditInterceptor.now();
            set(names, state, event, "createdAt", now, true);
            set(names, state, event, "updatedAt", now, true);
            set(names, state, event, "createdBy", operator, true);
            set(names, state, event, "updatedBy", operator, true);
        }
        return false;
    }

    @Override
    public boolean onPreUpdate(PreUpdateEvent event) {
        if (event.getSession() instanceof StatelessSession) {
            String[] names = event.getPersister().getPropertyNames();
            Object[] state = event.getState();
            set(names, state, event, "updatedAt", AuditInterceptor.now(), false);
            set(names, state, event, "updatedBy", operator, false);
        }
        return false;
    }

    /** Sets a property in the state to be written and on the entity; with {@code onlyIfNull}, keeps a given value. */
    private static void set(String[] names, Object[] state, org.hibernate.event.spi.AbstractPreDatabaseOperationEvent e,
                            String property, Object value, boolean onlyIfNull) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(property) && (!onlyIfNull || state[i] == null)) {
                state[i] = value;
                e.getPersister().setValue(e.getEntity(), i, value);
            }
        }
    }
}
