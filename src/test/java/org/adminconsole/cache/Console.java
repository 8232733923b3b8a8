package org.adminconsole.cache;

import java.math.BigDecimal;
import java.util.Optional;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserView;
import org.adminconsole.persistence.Transactions;
import org.hibernate.stat.Statistics;

/** One complete console (AppContext) in a test, with the lookups the coherence tests compare. */
final class Console implements AutoCloseable {

    static final NamedValue<Void, Long> ADMINS = NamedValue.of("test.admins",
            s -> s.createSelectionQuery("select count(u) from User u where u.role = :r", Long.class)
                    .setParameter("r", Role.ADMIN).getSingleResult()).onTables("users");
    static final NamedValue<Long, BigDecimal> QUOTA = NamedValue.<Long, BigDecimal>keyed("test.quota",
            (s, id) -> s.createSelectionQuery("select u.quota from User u where u.id = :id", BigDecimal.class)
                    .setParameter("id", id).getSingleResult()).onTables("users");

    final AppContext ctx;
    final Transactions tx;
    final UserCache userCache;
    final NamedValues values;
    final CoherenceService coherence;

    Console(Settings settings) {
        ctx = AppContext.start(settings);
        tx = ctx.database().transactions();
        userCache = ctx.get(UserCache.class);
        values = ctx.get(NamedValues.class);
        coherence = ctx.get(CoherenceService.class);
    }

    /**
     * Inserts a user with plain JDBC in a bulk operation that declares its tables (like the demo data
     * generator). Note: persisting a new User through a Session currently fails in the foundation's audit
     * interceptor (an IDENTITY id is still null in onPersist), so the tests do not depend on it.
     */
    long createUser(String email, Role role) {
        return tx.bulk("test.createUser", 1, s -> s.doReturningWork(c -> {
            long id;
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO users (email, email_key, username, role, active,"
                    + " quota, usage_amount, created_at, updated_at, created_by, updated_by, version)"
                    + " VALUES (?, ?, ?, ?, TRUE, 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'test', 'test', 0)",
                    java.sql.Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, email);
                ps.setString(2, User.emailKeyOf(email));
                ps.setString(3, email.substring(0, email.indexOf('@')));
                ps.setString(4, role.name());
                ps.executeUpdate();
                try (java.sql.ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO user_departments (user_id, department_id) SELECT ?, MIN(id) FROM departments HAVING MIN(id) IS NOT NULL")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            tx.current().orElseThrow().touch("users");
            tx.current().orElseThrow().touch("user_departments");
            return id;
        }));
    }

    void setRole(long id, Role role) {
        tx.writeVoid("test.setRole", s -> s.find(User.class, id).setRole(role));
    }

    void setEmail(long id, String email) {
        tx.writeVoid("test.setEmail", s -> s.find(User.class, id).setEmail(email));
    }

    /** Through the second-level cache by id (a hit when cached). */
    UserView find(long id) {
        return tx.read("test.find", s -> s.find(User.class, id).toView());
    }

    /** Through the natural-id and entity second-level caches. */
    Optional<UserView> byEmail(String email) {
        return tx.read("test.byEmail", s -> s.bySimpleNaturalId(User.class).loadOptional(User.emailKeyOf(email)).map(User::toView));
    }

    /** Through the explicit user cache (loads through the second-level cache on a miss). */
    UserCache.Lookup cached(long id) {
        return userCache.byId(id, i -> tx.read("test.load", s -> Optional.ofNullable(s.find(User.class, i)).map(User::toView))).orElseThrow();
    }

    long admins() {
        return values.get(ADMINS);
    }

    Statistics statistics() {
        return ctx.database().statistics();
    }

    long foreign() {
        return coherence.status().foreignInvalidations();
    }

    @Override
    public void close() {
        ctx.close();
    }
}
