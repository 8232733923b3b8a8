package org.adminconsole.ui.users;

import java.util.List;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.Role;
import org.adminconsole.service.users.UserQuery;

/** The filter bar of the Users view (role, active, department, over quota): fills its choices, reads it into a query. */
final class UserFilters {

    static final DepartmentView ANY_DEPARTMENT = new DepartmentView(-1, "Any department", "");
    static final List<String> ACTIVE_OPTIONS = List.of("Active and inactive", "Active only", "Inactive only");

    private final ComboBox<String> roleFilter;
    private final ComboBox<String> activeFilter;
    private final ComboBox<DepartmentView> departmentFilter;
    private final CheckBox overQuotaFilter;

    /** Fills the choices and calls {@code changed} on every change of a filter. */
    UserFilters(ComboBox<String> roleFilter, ComboBox<String> activeFilter, ComboBox<DepartmentView> departmentFilter,
                CheckBox overQuotaFilter, Runnable changed) {
        this.roleFilter = roleFilter;
        this.activeFilter = activeFilter;
        this.departmentFilter = departmentFilter;
        this.overQuotaFilter = overQuotaFilter;
        roleFilter.getItems().add("Any role");
        for (Role r : Role.values()) {
            roleFilter.getItems().add(r.name());
        }
        roleFilter.getSelectionModel().selectFirst();
        activeFilter.getItems().setAll(ACTIVE_OPTIONS);
        activeFilter.getSelectionModel().selectFirst();
        departmentFilter.getItems().setAll(ANY_DEPARTMENT);
        departmentFilter.getSelectionModel().selectFirst();
        roleFilter.valueProperty().addListener(o -> changed.run());
        activeFilter.valueProperty().addListener(o -> changed.run());
        departmentFilter.valueProperty().addListener(o -> changed.run());
        overQuotaFilter.selectedProperty().addListener(o -> changed.run());
    }

    void setDepartments(List<DepartmentView> departments) {
        departmentFilter.getItems().setAll(ANY_DEPARTMENT);
        departmentFilter.getItems().addAll(departments);
        departmentFilter.getSelectionModel().selectFirst();
    }

    /** {@code q} with the filters as the bar shows them (search and sort unchanged). */
    UserQuery applyTo(UserQuery q) {
        String role = roleFilter.getValue();
        int active = ACTIVE_OPTIONS.indexOf(activeFilter.getValue());
        DepartmentView dep = departmentFilter.getValue();
        return q.withRole(role == null || role.startsWith("Any") ? null : Role.valueOf(role))
                .withActive(active <= 0 ? null : active == 1)
                .withDepartment(dep == null || dep.id() < 0 ? null : dep.id())
                .withOverQuota(overQuotaFilter.isSelected());
    }
}
