package org.adminconsole.service.access;

import java.util.Objects;

/**
 * Who is signed in to this console (an AppContext component). Minimal stand-in until the sign-in of issue 15 lands:
 * the console's database login and the role read from the database when the console opened ({@link LoginRoles}).
 */
public final class Access {

    private volatile SignedIn current;

    public Access(SignedIn current) {
        this.current = Objects.requireNonNull(current, "current");
    }

    public SignedIn current() {
        return current;
    }
}
