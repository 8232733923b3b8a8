package org.adminconsole.service.users;

/**
 * Where the Users view is: the query, the request that produced the page shown, its page number, the total.
 * Builds the next request (first, next, previous, last, the same again) and drops answers to superseded
 * queries. Pure logic, no JavaFX, no database.
 */
public final class UserPaging {

    /** One page request; {@code number} is the 1-based page number, or -1 when unknown (after "last"). */
    public record Request(UserQuery query, UserPage.Nav nav, UserPage.Key anchor, int number) {
    }

    private final int pageSize;
    private UserQuery query = UserQuery.all();
    private Request shown;
    private UserPage page;
    private UserTotal total;

    public UserPaging(int pageSize) {
        this.pageSize = pageSize;
    }

    public int pageSize() { return pageSize; }
    public UserQuery query() { return query; }
    public UserPage page() { return page; }
    public UserTotal total() { return total; }

    /** Replaces the query; true when it changed (then the caller loads the first page and the total again). */
    public boolean setQuery(UserQuery q) {
        if (q.equals(query)) {
            return false;
        }
        query = q;
        total = null;
        return true;
    }

    public Request first() {
        return new Request(query, UserPage.Nav.FIRST, null, 1);
    }

    public Request next() {
        int n = shown == null ? 1 : shown.number();
        return new Request(query, UserPage.Nav.NEXT, page == null ? null : page.last(), n > 0 ? n + 1 : -1);
    }

    public Request previous() {
        int n = shown == null ? 1 : shown.number();
        return new Request(query, UserPage.Nav.PREVIOUS, page == null ? null : page.first(), n > 1 ? n - 1 : -1);
    }

    public Request last() {
        int n = total != null && total.exact() ? (int) Math.max(1, (total.value() + pageSize - 1) / pageSize) : -1;
        return new Request(query, UserPage.Nav.LAST, null, n);
    }

    /** The page shown, again (after an edit); the first page when nothing is shown yet or the query changed. */
    public Request current() {
        return shown == null || !shown.query().equals(query) ? first() : shown;
    }

    /** Takes the answer to {@code r}; false (and ignored) when the query changed meanwhile. */
    public boolean accept(Request r, UserPage p) {
        if (!r.query().equals(query)) {
            return false;
        }
        shown = r;
        page = p;
        return true;
    }

    /** Takes a total for {@code q}; false when the query changed meanwhile. */
    public boolean acceptTotal(UserQuery q, UserTotal t) {
        if (!q.equals(query)) {
            return false;
        }
        total = t;
        return true;
    }

    public String pageLabel() {
        if (shown == null || page == null) {
            return "";
        }
        return shown.number() > 0 ? "Page " + shown.number() : page.hasNext() ? "Page …" : "Last page";
    }
}
