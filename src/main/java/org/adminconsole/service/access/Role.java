package org.adminconsole.service.access;

import java.util.Locale;

/**
 * What a signed-in operator may do. Each role is a database role of the same rights (created by the migrations
 * V110 and later), and each includes the rights of the one before it: an operator can do what a viewer can, an
 * admin what an operator can.
 */
public enum Role {
    /** Reads everything granted, runs the SQL console; writes nothing. */
    VIEWER("adminconsole_viewer"),
    /** Creates, edits, deactivates and reactivates users; bulk actions up to {@link #OPERATOR_BULK_LIMIT} users. */
    OPERATOR("adminconsole_operator"),
    /** Everything: deleting users, larger bulk actions, demo data, cache evictions, operator management. */
    ADMIN("adminconsole_admin");

    /** Most users an operator (not an admin) may change in one bulk action. */
    public static final int OPERATOR_BULK_LIMIT = 100;

    private final String dbRole;

    Role(String dbRole) {
        this.dbRole = dbRole;
    }

    /** The database role's name (lower case; PostgreSQL role, H2 role). */
    public String dbRole() {
        return dbRole;
    }

    /** The operator's word for it: "viewer", "operator", "admin". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role has at least the rights of {@code other}. */
    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** The role named by its label or its database role name (any case), or {@code null}. */
    public static Role parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Role r : values()) {
            if (r.label().equals(t) || r.dbRole.equals(t)) {
                return r;
            }
        }
        return null;
    }
}
