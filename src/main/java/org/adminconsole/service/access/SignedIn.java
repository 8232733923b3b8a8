package org.adminconsole.service.access;

/** Who is signed in to this console: the database login and its role. */
public record SignedIn(String login, Role role) {
}
