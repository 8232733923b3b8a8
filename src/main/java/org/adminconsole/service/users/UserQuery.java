package org.adminconsole.service.users;

import org.adminconsole.domain.Role;
import org.adminconsole.persistence.UserSearchGrams;

/**
 * What the Users view shows: a search text (inside email or username, case-insensitive; a text of 1 or 2 characters
 * is searched at their start, and so is any text with {@code startsWith}), filters and a sort. {@code active == null} means both; {@code departmentId == null}
 * any department.
 */
public record UserQuery(String search, Role role, Boolean active, Long departmentId, boolean overQuota,
                        Sort sort, boolean ascending, boolean startsWith) {

    /** The shortest text searched inside email and username; shorter ones are searched at their start. */
    public static final int INSIDE_MIN = UserSearchGrams.MIN_INFIX;

    /** Sortable columns; every sort is keyset-paged on (column, id). */
    public enum Sort { EMAIL, USERNAME, ROLE, ACTIVE, DEPARTMENTS, QUOTA, USAGE, LAST_LOGIN, UPDATED }

    public UserQuery {
        search = search == null ? "" : search.trim();
        sort = sort == null ? Sort.EMAIL : sort;
    }

    public static UserQuery all() {
        return new UserQuery("", null, null, null, false, Sort.EMAIL, true, false);
    }

    public UserQuery withSearch(String s) { return new UserQuery(s, role, active, departmentId, overQuota, sort, ascending, startsWith); }
    public UserQuery withRole(Role r) { return new UserQuery(search, r, active, departmentId, overQuota, sort, ascending, startsWith); }
    public UserQuery withActive(Boolean a) { return new UserQuery(search, role, a, departmentId, overQuota, sort, ascending, startsWith); }
    public UserQuery withDepartment(Long d) { return new UserQuery(search, role, active, d, overQuota, sort, ascending, startsWith); }
    public UserQuery withOverQuota(boolean o) { return new UserQuery(search, role, active, departmentId, o, sort, ascending, startsWith); }
    /** Only the start of email and username (the fast path, index range scans), whatever the text's length. */
    public UserQuery withStartsWith(boolean b) { return new UserQuery(search, role, active, departmentId, overQuota, sort, ascending, b); }
    public UserQuery withSort(Sort s, boolean asc) { return new UserQuery(search, role, active, departmentId, overQuota, s, asc, startsWith); }

    /**
     * Whether the search looks inside email and username (a text of {@value #INSIDE_MIN} characters or
     * more); a shorter one is searched at their start, the fast path: inside, one or two characters would match
     * nearly everyone.
     */
    public boolean searchesInside() {
        return !startsWith && search.length() >= INSIDE_MIN;
    }

    /** What the search looks for, in words: {@code email or username contains "lic"}; empty without a search. */
    public String searchDescription() {
        if (search.isEmpty()) {
            return "";
        }
        return "email or username " + (searchesInside() ? "contains" : "starts with") + " \"" + search + "\"";
    }

    /** Filtered by a department and nothing else (sort aside): its links alone say how many match. */
    public boolean onlyDepartment() {
        return departmentId != null && search.isEmpty() && role == null && active == null && !overQuota;
    }

    public boolean unfiltered() {
        return search.isEmpty() && role == null && active == null && departmentId == null && !overQuota;
    }
}
