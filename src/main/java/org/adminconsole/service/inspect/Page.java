package org.adminconsole.service.inspect;

import java.util.List;

/**
 * One page of a table. {@code rows} hold display values ({@link TruncatedValue} for large ones),
 * {@code keys} the primary key values of each row (for the full-value viewer), empty without a key.
 * {@code hasBefore} says whether rows come before this page (read from the database, not from the number);
 * {@code positionExact} is false when the page number and first row are only estimated (a page reached from
 * the end of a table whose row count is an estimate).
 */
public record Page(List<String> columns, List<List<Object>> rows, List<List<Object>> keys, int number, long firstRow,
                   boolean hasNext, PagingMode mode, String modeReason, boolean hasBefore, boolean positionExact) {

    public enum PagingMode { KEYSET, OFFSET }

    public boolean hasPrevious() {
        return hasBefore;
    }
}
