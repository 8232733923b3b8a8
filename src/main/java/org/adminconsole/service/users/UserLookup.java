package org.adminconsole.service.users;

import org.adminconsole.domain.UserView;

/**
 * A user opened by id or email, and where it came from: {@code fromCache} when the user cache answered without
 * a load. The service layer's own answer, so that views never see cache types.
 */
public record UserLookup(UserView user, boolean fromCache) {
}
