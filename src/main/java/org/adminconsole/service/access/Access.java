package org.adminconsole.service.access;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.adminconsole.service.RefusedException;

/**
 * The signed-in operator of this console and the checks services make before acting. The database enforces the
 * same rights (its roles); these checks only refuse earlier, in the operator's words. Thread-safe: the current
 * sign-in changes only when the operator signs in again.
 */
public final class Access {

    private volatile SignedIn current;
    private final List<Consumer<SignedIn>> listeners = new CopyOnWriteArrayList<>();

    public Access(SignedIn initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    /**
     * An admin's access, for code built without a sign-in (tools, benchmarks, tests of a service on its own); the
     * console itself always builds {@code Access} from the database's answer (see {@link SignIns#signedIn}).
     */
    public static Access asAdmin(String login) {
        return new Access(new SignedIn(login, Role.ADMIN));
    }

    public SignedIn current() {
        return current;
    }

    public Role role() {
        return current.role();
    }

    public boolean can(Role needed) {
        return current.role().includes(needed);
    }

    /**
     * Refuses unless the signed-in role includes {@code needed}: "Deleting users needs the admin role; you are
     * signed in as viewer."
     *
     * @param action what is refused, in the operator's words, starting with a capital ("Deleting users")
     */
    public void require(Role needed, String action) {
        Role have = current.role();
        if (!have.includes(needed)) {
            throw new RefusedException(refusal(needed, action, have));
        }
    }

    /** The refusal sentence {@link #require} throws. */
    public static String refusal(Role needed, String action, Role have) {
        return action + " needs the " + needed.label() + " role; you are signed in as " + have.label() + ".";
    }

    /** "Needs the admin role; you are signed in as viewer.", the tooltip of a control this role cannot use. */
    public String needsTooltip(Role needed) {
        return "Needs the " + needed.label() + " role; you are signed in as " + role().label() + ".";
    }

    /** Replaces the signed-in operator (after a new sign-in) and tells the listeners (on the caller's thread). */
    public void signedIn(SignedIn now) {
        this.current = Objects.requireNonNull(now, "now");
        for (Consumer<SignedIn> l : listeners) {
            l.accept(now);
        }
    }

    /** Called with the new sign-in after each {@link #signedIn}. */
    public void addListener(Consumer<SignedIn> listener) {
        listeners.add(listener);
    }
}
