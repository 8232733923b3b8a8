package org.adminconsole.service.users;

import java.util.List;
import org.adminconsole.domain.UserView;

/**
 * One page of users in the query's order, with the keys of its first and last rows (the anchors for the
 * previous and next page) and whether there is anything before or after it.
 */
public record UserPage(List<UserView> rows, boolean hasPrevious, boolean hasNext, Key first, Key last) {

    /** A keyset position: the sort column's value and the id of a row. */
    public record Key(Object sortValue, long id) {
    }

    /** Where to go: the first page, the page after/before an anchor, or the last page. */
    public enum Nav { FIRST, NEXT, PREVIOUS, LAST }

    public UserPage {
        rows = List.copyOf(rows);
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }
}
