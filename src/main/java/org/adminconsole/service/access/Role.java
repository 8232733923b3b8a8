package org.adminconsole.service.access;

/**
 * What a console login may do (issue 15): a viewer reads and writes nothing, an operator edits users, an admin does
 * everything. Each is a database role; operator includes viewer, admin includes operator.
 */
public enum Role {
    VIEWER("adminconsole_viewer"),
    OPERATOR("adminconsole_operator"),
    ADMIN("adminconsole_admin");

    private final String dbRole;

    Role(String dbRole) {
        this.dbRole = dbRole;
    }

    /** The database role (lower case; H2 stores it upper case). */
    public String dbRole() {
        return dbRole;
    }
}
