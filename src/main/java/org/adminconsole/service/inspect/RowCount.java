package org.adminconsole.service.inspect;

/**
 * How many rows a query matches: exact (counted) or the database's estimate; {@code rows < 0} when neither is
 * known (a count that took too long on a large table). {@code reason} says why it is not exact.
 */
public record RowCount(long rows, boolean exact, String reason) {

    public static RowCount exact(long rows) {
        return new RowCount(rows, true, "");
    }

    public static RowCount estimate(long rows, String reason) {
        return new RowCount(rows, false, reason);
    }

    public static RowCount unknown(String reason) {
        return new RowCount(-1, false, reason);
    }

    public boolean known() {
        return rows >= 0;
    }

    /** Pages of {@code pageSize} rows (at least 1); 0 when unknown. */
    public int pages(int pageSize) {
        if (!known()) {
            return 0;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (rows + pageSize - 1) / pageSize));
    }
}
