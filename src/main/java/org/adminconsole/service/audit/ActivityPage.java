package org.adminconsole.service.audit;

import java.util.List;

/** One page of the Activity view, newest first; {@code nextBefore}: the keyset of the next (older) page, null at the end. */
public record ActivityPage(List<ActivityEntry> entries, Long nextBefore) {
    public ActivityPage {
        entries = List.copyOf(entries);
    }
}
