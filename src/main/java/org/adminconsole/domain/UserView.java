package org.adminconsole.domain;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;

/** Immutable snapshot of a user, the only form in which users leave the service layer. */
public record UserView(long id, String email, String username, Role role, boolean active,
                       BigDecimal quota, BigDecimal usage, String settings, List<DepartmentView> departments,
                       LocalDateTime createdAt, LocalDateTime updatedAt, String createdBy, String updatedBy,
                       LocalDateTime lastLogin, long version) {

    public UserView {
        departments = List.copyOf(departments);
    }

    public String departmentNames() {
        return departments.stream().map(DepartmentView::name).collect(Collectors.joining(", "));
    }

    public boolean overQuota() {
        return usage.compareTo(quota) > 0;
    }
}
