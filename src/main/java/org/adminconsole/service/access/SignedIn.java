package org.adminconsole.service.access;

import java.util.Objects;

/** Who is signed in: the database login (also the operator name in the audit trail) and its role. */
public record SignedIn(String login, Role role) {
    public SignedIn {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(role, "role");
    }

    /** "alice (operator)", as the title bar shows it. */
    public String display() {
        return login + " (" + role.label() + ")";
    }
}
