package org.adminconsole.service.users;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.function.Supplier;
import org.adminconsole.domain.Visibility;

import org.adminconsole.service.RefusedException;
import org.adminconsole.service.ValidationException;
import jakarta.persistence.OptimisticLockException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.adminconsole.cache.UserCache;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserRules;
import org.adminconsole.domain.UserView;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.persistence.TxOptions;
import org.hibernate.CacheMode;
import org.hibernate.Session;
import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Opening and editing one user: lookups through the {@link UserCache}; validated create/edit with
 * optimistic-lock conflicts reported field by field; deactivate/reactivate; delete. Returns records only.
 */
public final class UserEditing {

    private final Transactions tx;
    private final UserCache cache;
    private final Supplier<Visibility> visibility;

    private org.adminconsole.service.access.Access access = org.adminconsole.service.access.Access.asAdmin("owner");

    /**
     * With the signed-in operator's rights checked before each write, and the lookups reading what the signed-in role
     * may see ({@link org.adminconsole.service.access.Masking}).
     */
    public UserEditing(Transactions tx, UserCache cache, org.adminconsole.service.access.Access access) {
        this(tx, cache, org.adminconsole.service.access.Masking.of(access));
        this.access = access;
    }

    public UserEditing(Transactions tx, UserCache cache) {
        this(tx, cache, () -> Visibility.FULL);
    }

    /** {@code visibility}: what the signed-in role may see, asked at every lookup (a viewer's: emails masked). */
    public UserEditing(Transactions tx, UserCache cache, Supplier<Visibility> visibility) {
        this.tx = tx;
        this.cache = cache;
        this.visibility = visibility;
    }

    // ---- lookups through the user cache ------------------------------------------------------------------

    /**
     * The user, from the user cache's copies of what the signed-in role may see. A viewer's copy is read from
     * {@code users_masked} with plain SQL, never through the {@code User} entity: the second-level cache may hold
     * that entity with its real email (read by an operator of this console), and the database would refuse the
     * viewer the entity's columns anyway.
     */
    public Optional<UserLookup> open(long id) {
        Visibility v = visibility.get();
        if (v.masked()) {
            return cache.byId(v, id, i -> loadMasked(v, i), i -> loadMasked(v, i)).map(UserEditing::lookup);
        }
        return cache.byId(id, i -> loadById(i, false), i -> loadById(i, true)).map(UserEditing::lookup);
    }

    /**
     * By the real email: refused to a role that sees emails masked (whether a user with that email exists is what
     * the mask hides).
     */
    public Optional<UserLookup> openByEmail(String email) {
        if (visibility.get().masked()) {
            throw new RefusedException("Your role sees emails masked and cannot look users up by email; search by username.");
        }
        return cache.byEmail(email, k -> loadByEmailKey(k, false), k -> loadByEmailKey(k, true)).map(UserEditing::lookup);
    }

    private Optional<UserView> loadMasked(Visibility v, long id) {
        return tx.read("users.getMasked", s -> s.doReturningWork(c -> {
            UserListing.Row row;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + UserSql.COLUMNS + " FROM " + v.usersTable() + " u WHERE u.id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<UserView>empty();
                    }
                    row = UserListing.Row.read(rs);
                }
            }
            return Optional.of(row.toView(UserSql.departmentsOf(c, List.of(id)).getOrDefault(id, List.of())));
        }));
    }

    private static UserLookup lookup(UserCache.Lookup l) {
        return new UserLookup(l.user(), l.fromCache());
    }



    /**
     * {@code fromDatabase}: read the database, not the second-level cache, and put what was read there
     * ({@code CacheMode.REFRESH} passed to the load itself: Hibernate 7.4's {@code find} ignores
     * {@code Session.setCacheMode}, so a re-read asked for that way was served the same stale entry again,
     * {@code UserCacheTest}).
     */
    private Optional<UserView> loadById(long id, boolean fromDatabase) {
        return tx.read(fromDatabase ? "users.getFromDatabase" : "users.get", s -> Optional.ofNullable(
                fromDatabase ? s.find(User.class, id, CacheMode.REFRESH) : s.find(User.class, id)).map(User::toView));
    }

    private Optional<UserView> loadByEmailKey(String key, boolean fromDatabase) {
        return tx.read(fromDatabase ? "users.getByEmailFromDatabase" : "users.getByEmail", s -> {
            if (!fromDatabase) {
                return s.bySimpleNaturalId(User.class).loadOptional(key).map(User::toView);
            }
            // natural-id access takes no cache mode in Hibernate 7.4: the id from the database, then the row itself
            return s.createSelectionQuery("select u.id from User u where u.emailKey = :key", Long.class).setParameter("key", key)
                    .getResultList().stream().findFirst().map(id -> s.find(User.class, id, CacheMode.REFRESH)).map(User::toView);
        });
    }

    // ---- edits -----------------------------------------------------------------------------------------

    /** Validates (rules, then uniqueness in the database) and saves; nothing is written unless valid and current. */
    public SaveResult save(UserForm f) {
        access.require(org.adminconsole.service.access.Role.OPERATOR, f.isNew() ? "Creating users" : "Editing users");
        Map<String, String> errors = UserRules.validate(f.email(), f.username(), f.role(), f.quota(), f.usage(), f.settings());
        if (!errors.isEmpty()) {
            return new SaveResult.Invalid(errors);
        }
        try {
            return new SaveResult.Saved(tx.execute(editOptions(f.isNew() ? "users.create" : "users.save"), s -> {
                Map<String, String> unique = uniqueness(s, f);
                if (!unique.isEmpty()) {
                    throw new ValidationException(unique);
                }
                User u;
                if (f.isNew()) {
                    u = new User(f.email(), f.username().trim(), f.role());
                } else {
                    u = current(s, f);
                    u.setEmail(f.email());
                    u.setUsername(f.username().trim());
                    u.setRole(f.role());
                }
                u.setActive(f.active());
                u.setQuota(new BigDecimal(f.quota().trim()).setScale(2));
                u.setUsage(new BigDecimal(f.usage().trim()).setScale(2));
                u.setSettings(f.settings() == null || f.settings().isBlank() ? null : f.settings());
                Set<Department> deps = u.getDepartments();
                deps.removeIf(d -> !f.departmentIds().contains(d.getId()));
                for (Long depId : f.sortedDepartmentIds()) {
                    Department d = s.find(Department.class, depId);
                    if (d == null) {
                        throw new ValidationException("departments", "A selected department no longer exists; reload the list.");
                    }
                    deps.add(d);
                }
                u.syncDepartmentKey();
                if (f.isNew()) {
                    s.persist(u);
                }
                s.flush();
                return u.toView();
            }));
        } catch (ValidationException e) {
            return new SaveResult.Invalid(e.fieldErrors());
        } catch (ConflictException e) {
            return new SaveResult.Conflicted(e.conflict());
        } catch (RuntimeException e) {
            if (isOptimisticFailure(e) && !f.isNew()) {
                return new SaveResult.Conflicted(conflictWith(f));
            }
            if (isConstraintViolation(e)) {
                // a concurrent insert of the same email/username got there first: check again, on the field
                Map<String, String> unique = tx.read("users.checkUnique", s -> uniqueness(s, f));
                if (!unique.isEmpty()) {
                    return new SaveResult.Invalid(unique);
                }
            }
            throw e;
        }
    }

    /** Deactivates or reactivates the user the operator looked at (version-checked). */
    /**
     * An edit that meets a bulk action's row locks waits for it. H2 bounds a lock wait by its lock timeout (2 s) only,
     * and neither a query timeout nor a cancel ends one earlier, so the wait stays short and the edit tries again (up
     * to three attempts, about 6 s in all); PostgreSQL waits within the operation's deadline. When the bulk action
     * has committed, the edit's version check reports the conflict.
     */
    private static TxOptions editOptions(String name) {
        return TxOptions.write(name).retryOnConflict(2);
    }

    public SaveResult setActive(long id, long version, boolean active) {
        access.require(org.adminconsole.service.access.Role.OPERATOR, active ? "Reactivating users" : "Deactivating users");
        try {
            return new SaveResult.Saved(tx.execute(editOptions(active ? "users.reactivate" : "users.deactivate"), s -> {
                User u = s.find(User.class, id);
                if (u == null || u.getVersion() != version) {
                    throw new ConflictException(Conflict.between(u == null ? null : u.toView(), null));
                }
                u.setActive(active);
                s.flush();
                return u.toView();
            }));
        } catch (ConflictException e) {
            return new SaveResult.Conflicted(e.conflict());
        } catch (RuntimeException e) {
            if (isOptimisticFailure(e)) {
                return new SaveResult.Conflicted(Conflict.between(loadById(id, false).orElse(null), null));
            }
            throw e;
        }
    }

    /** Deletes a user without usage; refuses (with the reason) otherwise, or when it changed meanwhile. */
    public void delete(long id, long version) {
        access.require(org.adminconsole.service.access.Role.ADMIN, "Deleting users");
        tx.writeVoid("users.delete", s -> {
            User u = s.find(User.class, id);
            if (u == null) {
                throw new RefusedException("The user was already deleted by someone else.");
            }
            if (u.getVersion() != version) {
                throw new RefusedException(u.getEmail() + " was changed by someone else meanwhile; nothing was deleted. Reload and try again.");
            }
            Optional<String> refusal = UserRules.deleteRefusal(u.toView());
            if (refusal.isPresent()) {
                throw new RefusedException(refusal.get());
            }
            s.remove(u);
        });
    }

    private User current(Session s, UserForm f) {
        User u = s.find(User.class, f.id());
        if (u == null || u.getVersion() != f.version()) {
            throw new ConflictException(Conflict.between(u == null ? null : u.toView(), f));
        }
        return u;
    }

    private Conflict conflictWith(UserForm f) {
        return Conflict.between(loadById(f.id(), false).orElse(null), f);
    }

    private static Map<String, String> uniqueness(Session s, UserForm f) {
        Map<String, String> errors = new LinkedHashMap<>();
        long id = f.id() == null ? -1 : f.id();
        long emails = s.createSelectionQuery("select count(u) from User u where u.emailKey = :k and u.id <> :id", Long.class)
                .setParameter("k", User.emailKeyOf(f.email())).setParameter("id", id).getSingleResult();
        if (emails > 0) {
            errors.put("email", "Another user already has the email " + f.email().trim() + " (emails are unique ignoring case).");
        }
        // username_key = lower(username), indexed (V31); not mapped, so native SQL
        long names = ((Number) s.createNativeQuery("SELECT COUNT(*) FROM users WHERE username_key = :n AND id <> :id", Object.class)
                .setParameter("n", f.username().trim().toLowerCase(java.util.Locale.ROOT)).setParameter("id", id)
                .getSingleResult()).longValue();
        if (names > 0) {
            errors.put("username", "The username " + f.username().trim() + " is taken (usernames are unique ignoring case).");
        }
        return errors;
    }

    private static boolean isOptimisticFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConstraintViolationException || t instanceof java.sql.SQLIntegrityConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
