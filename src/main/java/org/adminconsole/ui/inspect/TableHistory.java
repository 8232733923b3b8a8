package org.adminconsole.ui.inspect;

import java.util.ArrayList;
import java.util.List;
import org.adminconsole.service.inspect.Filter;
import org.adminconsole.service.inspect.TableDetails;

/**
 * Back / Forward of the table data view, as a browser keeps them: the places opened (a table with its filters and
 * sort), the current one updated with what the operator changed there before leaving it.
 */
final class TableHistory {

    /** One place: a table with its filters and sort. */
    record Place(TableDetails table, List<Filter> filters, String sortColumn, boolean descending) {
    }

    private final List<Place> places = new ArrayList<>();
    private int index = -1;

    /** Opens {@code next} after {@code here} (the current place as it is now; null when nothing is shown). */
    Place go(Place here, Place next) {
        if (index >= 0 && index < places.size() && here != null) {
            places.set(index, here); // remember filters and sort as they are now
        }
        while (places.size() > index + 1) {
            places.remove(places.size() - 1);
        }
        places.add(next);
        index = places.size() - 1;
        return next;
    }

    /** The place before, or null. */
    Place back(Place here) {
        if (index <= 0) {
            return null;
        }
        places.set(index, here);
        return places.get(--index);
    }

    /** The place after, or null. */
    Place forward(Place here) {
        if (index + 1 >= places.size()) {
            return null;
        }
        places.set(index, here);
        return places.get(++index);
    }

    boolean canGoBack() {
        return index > 0;
    }

    boolean canGoForward() {
        return index + 1 < places.size();
    }

    void clear() {
        places.clear();
        index = -1;
    }
}
