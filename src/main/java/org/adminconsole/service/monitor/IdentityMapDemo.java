package org.adminconsole.service.monitor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.Operation;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.persistence.monitor.OperationStats;
import org.hibernate.CacheMode;
import org.hibernate.Session;

/**
 * What the persistence context (the session's identity map) does within one operation, shown step by step with the
 * statements and first-level hits each step cost: a list query fills it, a find by id of a listed user is then
 * answered without SQL, the same query run again still goes to the database but hands back the same instances, and
 * a department loaded once (fetched with its users) is the same object for every user that belongs to it.
 */
public final class IdentityMapDemo {

    /** One step: what was done, what it cost, and what it showed. */
    public record Step(String action, long statements, long l1Hits, String shows) {
    }

    private final Transactions tx;

    public IdentityMapDemo(Transactions tx) {
        this.tx = tx;
    }

    /** Runs the demonstration on the first {@code users} users (by id), in one read operation. */
    public List<Step> run(int users) {
        return tx.read("session.identityMap", s -> {
            s.setCacheMode(CacheMode.IGNORE); // the second-level cache stays out of it: this is about the session alone
            Operation op = tx.current().orElseThrow();
            List<Step> steps = new ArrayList<>();
            OperationStats.Snapshot before = op.stats().snapshot();
            List<User> listed = list(s, users);
            steps.add(step("list query of " + listed.size() + " users, departments fetched with them", op, before,
                    listed.size() + " users and their departments are now in the session"));

            before = op.stats().snapshot();
            User found = s.find(User.class, listed.get(listed.size() / 2).getId());
            steps.add(step("find(User, " + found.getId() + ")", op, before,
                    found == listed.get(listed.size() / 2) ? "the listed instance itself, no SELECT" : "a different instance"));

            before = op.stats().snapshot();
            List<User> again = list(s, users);
            int same = 0;
            for (int i = 0; i < again.size(); i++) {
                if (again.get(i) == listed.get(i)) {
                    same++;
                }
            }
            steps.add(step("the same list query again", op, before,
                    "a query always goes to the database, but " + same + " of " + again.size() + " rows are the same instances"));

            before = op.stats().snapshot();
            Set<Department> distinct = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            int links = 0;
            for (User u : listed) {
                for (Department d : u.getDepartments()) {
                    distinct.add(d);
                    links++;
                }
            }
            steps.add(step("walk every user's departments", op, before,
                    links + " links, " + distinct.size() + " department objects: each loaded once and reused"));
            return List.copyOf(steps);
        });
    }

    private static List<User> list(Session s, int users) {
        return s.createSelectionQuery("select distinct u from User u left join fetch u.departments where u.id in "
                        + "(select u2.id from User u2 order by u2.id limit :n) order by u.id", User.class)
                .setParameter("n", users).getResultList();
    }

    private static Step step(String action, Operation op, OperationStats.Snapshot before, String shows) {
        OperationStats.Snapshot after = op.stats().snapshot();
        return new Step(action, after.statements() - before.statements(), after.l1Hits() - before.l1Hits(), shows);
    }
}
