package org.adminconsole.service.users;

import java.util.Map;
import org.adminconsole.domain.UserView;

/** The outcome of saving a user: saved, refused with field errors (nothing written), or a conflict. */
public sealed interface SaveResult {

    record Saved(UserView user) implements SaveResult {
    }

    record Invalid(Map<String, String> fieldErrors) implements SaveResult {
        public Invalid {
            fieldErrors = Map.copyOf(fieldErrors);
        }
    }

    record Conflicted(Conflict conflict) implements SaveResult {
    }
}
