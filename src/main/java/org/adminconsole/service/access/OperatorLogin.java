package org.adminconsole.service.access;

import java.time.LocalDateTime;

/**
 * One login of the console as operator management lists it.
 *
 * @param role null when the login holds no console role
 * @param lastSignIn null when it never signed in (UTC, as the audit trail)
 */
public record OperatorLogin(String login, Role role, boolean disabled, LocalDateTime lastSignIn, long signIns) {
}
