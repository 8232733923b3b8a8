package org.adminconsole.domain;

/**
 * What a console's role may see of a user (issue 15, column-level permissions): every column, or the email masked
 * ("a***@example.com", read through the view {@code users_masked}). Caches key their entries by it wherever what they
 * hold differs, so a copy read with full rights is never served to a role that may only see the masked one.
 */
public enum Visibility {
    FULL("users", "audit_changes"),
    MASKED("users_masked", "audit_changes_masked");

    private final String usersTable;
    private final String auditChangesTable;

    Visibility(String usersTable, String auditChangesTable) {
        this.usersTable = usersTable;
        this.auditChangesTable = auditChangesTable;
    }

    /** The table (or view) users are read from. */
    public String usersTable() {
        return usersTable;
    }

    /** The table (or view) the audit's old and new values are read from. */
    public String auditChangesTable() {
        return auditChangesTable;
    }

    public boolean masked() {
        return this == MASKED;
    }
}
