package org.adminconsole.domain;

/** A user's role. Stored by name (the schema checks the allowed values). */
public enum Role {
    ADMIN, OPERATOR, USER, GUEST
}
