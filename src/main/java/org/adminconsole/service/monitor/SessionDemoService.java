package org.adminconsole.service.monitor;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserView;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.service.ValidationException;
import org.hibernate.CacheMode;
import org.hibernate.Hibernate;
import org.hibernate.SessionFactory;

/**
 * The stale-data demonstration: open a user "from cache" (the normal path: persistence context, then the
 * second-level cache, then the database) or "reload from database" (the second-level cache bypassed with
 * {@link CacheMode#IGNORE}, and the cached copy of that user dropped afterwards so the next normal open
 * caches the fresh row). Each runs as its own operation; the result carries its operations-log entry,
 * so the operator sees the difference in statements and cache hits.
 */
public final class SessionDemoService {

    /** What was opened and what the operation did. */
    public record Result(UserView user, boolean fromDatabase, OperationEntry operation) {
    }

    private final Transactions tx;
    private final java.util.function.Supplier<SessionFactory> sessionFactory;
    private final OperationsLog log;

    /** {@code sessionFactory} may wait for Hibernate's build: asked only in background work. */
    public SessionDemoService(Transactions tx, java.util.function.Supplier<SessionFactory> sessionFactory, OperationsLog log) {
        this.tx = tx;
        this.sessionFactory = sessionFactory;
        this.log = log;
    }

    public Result openCached(String idOrEmail) {
        return open(idOrEmail, false);
    }

    public Result reloadFromDatabase(String idOrEmail) {
        return open(idOrEmail, true);
    }

    private Result open(String idOrEmail, boolean fromDatabase) {
        String key = idOrEmail == null ? "" : idOrEmail.strip();
        if (key.isEmpty()) {
            throw new ValidationException("user", "Enter a user id (a number) or an email address.");
        }
        Long id = null;
        if (key.chars().allMatch(Character::isDigit)) {
            try {
                id = Long.parseLong(key);
            } catch (NumberFormatException e) {
                throw new ValidationException("user", "The id " + key + " is too large.");
            }
        } else if (!key.contains("@")) {
            throw new ValidationException("user", "'" + key + "' is neither an id (a number) nor an email address.");
        }
        final Long byId = id;
        AtomicLong opId = new AtomicLong();
        Optional<UserView> user = tx.read(fromDatabase ? "session.reloadFromDatabase" : "session.openCached", s -> {
            opId.set(tx.current().orElseThrow().id());
            if (fromDatabase) {
                s.setCacheMode(CacheMode.IGNORE);
            }
            User u;
            if (!fromDatabase) {
                u = byId != null ? s.find(User.class, byId) : s.bySimpleNaturalId(User.class).load(User.emailKeyOf(key));
            } else {
                // the email resolved by a query (not the natural-id cache), the row read bypassing the L2 cache
                Long resolved = byId != null ? byId : s.createSelectionQuery(
                                "select u.id from User u where u.emailKey = :k", Long.class)
                        .setParameter("k", User.emailKeyOf(key)).uniqueResult();
                u = resolved == null ? null : s.byId(User.class).with(CacheMode.IGNORE).load(resolved);
            }
            if (u == null) {
                return Optional.<UserView>empty();
            }
            Hibernate.initialize(u.getDepartments());
            return Optional.of(u.toView());
        });
        UserView view = user.orElseThrow(() -> new ValidationException("user",
                byId != null ? "No user with id " + byId + "." : "No user with email " + key + "."));
        if (fromDatabase) {
            var cache = sessionFactory.get().getCache();
            cache.evictEntityData(User.class, view.id());
            cache.evictCollectionData(User.class.getName() + ".departments", view.id());
        }
        OperationEntry entry = log.find(opId.get()).orElse(null);
        return new Result(view, fromDatabase, entry);
    }

}
