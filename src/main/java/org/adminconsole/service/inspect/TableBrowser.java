package org.adminconsole.service.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * Pages through one {@link TableQuery}: first, next, previous. With keyset paging it remembers where each
 * visited page started (the key of the row before it), so going back costs the same as going forward.
 * One browser per table view; calls come from one background task at a time.
 */
public final class TableBrowser {

    private final TableDataService service;
    private final TableQuery query;
    private final int pageSize;
    /** starts.get(n - 1): the order key after which page n starts (null for page 1). */
    private final List<List<Object>> starts = new ArrayList<>();
    private Page current;
    private List<Object> currentLastKey;

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

    public synchronized Page first() {
        starts.clear();
        starts.add(null);
        return show(1);
    }

    public synchronized Page next() {
        if (current == null) {
            return first();
        }
        if (!current.hasNext()) {
            return current;
        }
        int n = current.number() + 1;
        if (starts.size() < n) {
            starts.add(currentLastKey);
        } else {
            starts.set(n - 1, currentLastKey);
        }
        return show(n);
    }

    public synchronized Page previous() {
        if (current == null || current.number() <= 1) {
            return first();
        }
        return show(current.number() - 1);
    }

    /** Reloads the current page (e.g. after data changed). */
    public synchronized Page reload() {
        return current == null ? first() : show(current.number());
    }

    private Page show(int n) {
        long offset = (long) (n - 1) * pageSize;
        TableDataService.Loaded loaded = service.load(query, pageSize, n, starts.get(n - 1), offset);
        current = loaded.page();
        currentLastKey = loaded.lastKey();
        return current;
    }
}
