package org.adminconsole.service.users;

import java.util.List;
import java.util.Set;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;

/**
 * What the editor submits. {@code id == null} creates a user; otherwise {@code version} is the version the
 * editor loaded (a different current version is a conflict). Amounts stay text so the rules can say what is
 * wrong with them.
 */
public record UserForm(Long id, long version, String email, String username, Role role, boolean active,
                       String quota, String usage, Set<Long> departmentIds, String settings) {

    public UserForm {
        departmentIds = departmentIds == null ? Set.of() : Set.copyOf(departmentIds);
    }

    public static UserForm of(UserView u) {
        return new UserForm(u.id(), u.version(), u.email(), u.username(), u.role(), u.active(),
                u.quota().toPlainString(), u.usage().toPlainString(),
                Set.copyOf(u.departments().stream().map(DepartmentView::id).toList()), u.settings());
    }

    public static UserForm blank() {
        return new UserForm(null, 0, "", "", Role.USER, true, "0", "0", Set.of(), null);
    }

    public boolean isNew() {
        return id == null;
    }

    public UserForm withVersion(long v) {
        return new UserForm(id, v, email, username, role, active, quota, usage, departmentIds, settings);
    }

    List<Long> sortedDepartmentIds() {
        return departmentIds.stream().sorted().toList();
    }
}
