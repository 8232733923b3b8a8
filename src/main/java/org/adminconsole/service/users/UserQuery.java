package org.adminconsole.service.users;

import org.adminconsole.domain.Role;

/**
 * What the Users view shows: a search prefix (email or username, case-insensitive), filters and a sort.
 * {@code active == null} means both; {@code departmentId == null} any department.
 */
public record UserQuery(String search, Role role, Boolean active, Long departmentId, boolean overQuota,
                        Sort sort, boolean ascending) {

    /** Sortable columns; every sort is keyset-paged on (column, id). */
    public enum Sort { EMAIL, USERNAME, ROLE, ACTIVE, DEPARTMENTS, QUOTA, USAGE, LAST_LOGIN, UPDATED }

    public UserQuery {
        search = search == null ? "" : search.trim();
        sort = sort == null ? Sort.EMAIL : sort;
    }

    public static UserQuery all() {
        return new UserQuery("", null, null, null, false, Sort.EMAIL, true);
    }

    public UserQuery withSearch(String s) { return new UserQuery(s, role, active, departmentId, overQuota, sort, ascending); }
    public UserQuery withRole(Role r) { return new UserQuery(search, r, active, departmentId, overQuota, sort, ascending); }
    public UserQuery withActive(Boolean a) { return new UserQuery(search, role, a, departmentId, overQuota, sort, ascending); }
    public UserQuery withDepartment(Long d) { return new UserQuery(search, role, active, d, overQuota, sort, ascending); }
    public UserQuery withOverQuota(boolean o) { return new UserQuery(search, role, active, departmentId, o, sort, ascending); }
    public UserQuery withSort(Sort s, boolean asc) { return new UserQuery(search, role, active, departmentId, overQuota, s, asc); }

    public boolean unfiltered() {
        return search.isEmpty() && role == null && active == null && departmentId == null && !overQuota;
    }
}
