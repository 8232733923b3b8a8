package org.adminconsole.service.access;

import java.util.function.Supplier;
import org.adminconsole.domain.Visibility;

/**
 * Which columns the signed-in role may see (issue 15 item 3): a viewer sees emails masked and reads users through
 * {@code users_masked}; operators and admins see every column. The database enforces it (db/vendor/* V120); the
 * services follow it so that their reads succeed and their caches never mix the two kinds of copy.
 */
public final class Masking {

    private Masking() {
    }

    public static Visibility of(Role role) {
        return role == Role.VIEWER ? Visibility.MASKED : Visibility.FULL;
    }

    /** The visibility of whoever is signed in at the time of each call (null access: every column, as before issue 15). */
    public static Supplier<Visibility> of(Access access) {
        return access == null ? () -> Visibility.FULL : () -> of(access.current().role());
    }
}
