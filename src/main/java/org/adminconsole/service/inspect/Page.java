package org.adminconsole.service.inspect;

import java.util.List;

/**
 * One page of a table. {@code rows} hold display values ({@link TruncatedValue} for large ones),
 * {@code keys} the primary key values of each row (for the full-value viewer), empty without a key.
 */
public record Page(List<String> columns, List<List<Object>> rows, List<List<Object>> keys, int number, long firstRow,
                   boolean hasNext, PagingMode mode, String modeReason) {

    public enum PagingMode { KEYSET, OFFSET }

    public boolean hasPrevious() {
        return number > 1;
    }
}
