package org.adminconsole.service.inspect;

import java.util.List;

/**
 * Pages through one {@link TableQuery}: first, next, previous, last and jump to a page. With keyset paging
 * every move is a seek on the order key: next reads after the current page's last row, previous reads before
 * its first row in reverse order, last reads backwards from the end (no OFFSET at any depth). A jump to page N
 * starts from the nearest known place (the start, the current page or, with a row count, the end) and passes
 * over only the pages in between, so its cost grows with the distance jumped, not with the depth.
 * With offset paging (no usable key) every page is an OFFSET read.
 * One browser per table view; calls come from one background task at a time.
 */
public final class TableBrowser {

    private final TableDataService service;
    private final TableQuery query;
    private final int pageSize;
    private Page current;
    private List<Object> firstKey;
    private List<Object> lastKey;
    private RowCount count;

    TableBrowser(TableDataService service, TableQuery query, int pageSize) {
        this.service = service;
        this.query = query;
        this.pageSize = pageSize;
    }

    public TableQuery query() {
        return query;
    }

    public int pageSize() {
        return pageSize;
    }

    public synchronized Page current() {
        return current;
    }

    /** Counts the rows (exactly when cheap, see {@link TableDataService#rowCount}) and remembers the count for last / jump. */
    public RowCount count() {
        RowCount c = service.rowCount(query);
        synchronized (this) {
            count = c;
        }
        return c;
    }

    public synchronized RowCount knownCount() {
        return count;
    }

    public synchronized Page first() {
        return show(service.load(query, pageSize, 1, 1, true, false, null, 0, pageSize));
    }

    public synchronized Page next() {
        if (current == null) {
            return first();
        }
        if (!current.hasNext()) {
            return current;
        }
        int n = current.number() + 1;
        long firstRow = current.firstRow() + current.rows().size();
        return show(service.load(query, pageSize, n, firstRow, current.positionExact(), false, lastKey, 0, pageSize));
    }

    public synchronized Page previous() {
        if (current == null || !current.hasPrevious()) {
            return first();
        }
        if (current.mode() == Page.PagingMode.OFFSET) {
            return jumpFromStart(current.number() - 1);
        }
        Page p = show(service.load(query, pageSize, Math.max(1, current.number() - 1), Math.max(1, current.firstRow() - pageSize),
                current.positionExact(), true, firstKey, 0, pageSize));
        // reached the start (maybe earlier than an estimated position said): page 1 from the start, aligned
        return p.hasPrevious() ? p : first();
    }

    /**
     * The last page: a reverse keyset read from the end. With an exact count it holds the remainder rows (so its
     * boundaries match paging forward); with an estimate a full page, labelled with the estimated number.
     * Needs a count ({@link #count()} first); without one it is the first page.
     */
    public synchronized Page last() {
        if (count == null || !count.known()) {
            return current == null ? first() : current;
        }
        int pages = count.pages(pageSize);
        if (pages <= 1) {
            return first();
        }
        // exact: the remainder rows, aligned with paging forward; estimated: a full page ending at the estimated last row
        long firstRow = count.exact() ? (long) (pages - 1) * pageSize + 1 : Math.max(1, count.rows() - pageSize + 1);
        int rowsOnLast = count.exact() ? (int) (count.rows() - firstRow + 1) : pageSize;
        if (query.table().hasPrimaryKey() && modeIsKeyset()) {
            Page p = show(service.load(query, pageSize, pages, firstRow, count.exact(), true, null, 0, rowsOnLast));
            return p.hasPrevious() ? p : first();
        }
        return show(service.load(query, pageSize, pages, firstRow, count.exact(), false, null, 0, rowsOnLast));
    }

    /** Page {@code n} (1-based), read from the nearest known place; beyond the last page: the last page (or the first). */
    public synchronized Page jump(int n) {
        Page p = seekTo(n);
        if (p.rows().isEmpty() && n > 1) {
            // past the end (rows deleted meanwhile, or no total known): the last page when it can be found
            return count != null && count.known() ? last() : first();
        }
        return p;
    }

    private Page seekTo(int n) {
        if (n <= 1) {
            return first();
        }
        int pages = count != null && count.known() ? count.pages(pageSize) : Integer.MAX_VALUE;
        if (n >= pages) {
            return last();
        }
        if (current == null) {
            return jumpFromStart(n);
        }
        if (n == current.number()) {
            return reload();
        }
        if (!modeIsKeyset()) {
            return jumpFromStart(n);
        }
        int cur = current.number();
        long fromStart = n - 1L;
        long fromCurrent = Math.abs(n - cur) - 1L;
        long fromEnd = pages == Integer.MAX_VALUE || !count.exact() ? Long.MAX_VALUE : pages - n;
        if (fromCurrent <= fromStart && fromCurrent <= fromEnd) {
            // relative to the current page, whose position may itself be an estimate
            long firstRow = Math.max(1, current.firstRow() + (long) (n - cur) * pageSize);
            if (n > cur) {
                return show(service.load(query, pageSize, n, firstRow, current.positionExact(), false, lastKey,
                        fromCurrent * pageSize, pageSize));
            }
            Page p = show(service.load(query, pageSize, n, firstRow, current.positionExact(), true, firstKey,
                    fromCurrent * pageSize, pageSize));
            return p.hasPrevious() ? p : first();
        }
        if (fromEnd < fromStart) {
            // rows after page n, passed over backwards from the end
            long after = count.rows() - (long) n * pageSize;
            return show(service.load(query, pageSize, n, (long) (n - 1) * pageSize + 1, true, true, null, after, pageSize));
        }
        return jumpFromStart(n);
    }

    private Page jumpFromStart(int n) {
        long firstRow = (long) (n - 1) * pageSize + 1;
        Page p = show(service.load(query, pageSize, n, firstRow, true, false, null, firstRow - 1, pageSize));
        return p.rows().isEmpty() && n > 1 ? first() : p;
    }

    private boolean modeIsKeyset() {
        return current == null ? query.table().hasPrimaryKey() : current.mode() == Page.PagingMode.KEYSET;
    }

    /** Reloads the current page (e.g. after data changed): from its first row on, with what changed. */
    public synchronized Page reload() {
        if (current == null || current.number() <= 1 && !current.hasPrevious()) {
            return first();
        }
        if (current.mode() == Page.PagingMode.OFFSET) {
            return jumpFromStart(current.number());
        }
        if (firstKey == null) {
            return previous();
        }
        return show(service.load(query, pageSize, current.number(), current.firstRow(), current.positionExact(), false,
                firstKey, 0, pageSize, true));
    }

    private Page show(TableDataService.Loaded loaded) {
        current = loaded.page();
        firstKey = loaded.firstKey();
        lastKey = loaded.lastKey();
        return current;
    }
}
