package org.adminconsole.ui.users;

import java.util.List;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.Role;
import org.adminconsole.service.users.UserQuery;

/**
 * The filter bar of the Users view (starts with, role, active, department, over quota): fills its choices, reads it into
 * a query, and says in words what a search looked for.
 */
final class UserFilters {

    static final DepartmentView ANY_DEPARTMENT = new DepartmentView(-1, "Any department", "");
    static final List<String> ACTIVE_OPTIONS = List.of("Active and inactive", "Active only", "Inactive only");

    private final ComboBox<String> roleFilter;
    private final ComboBox<String> activeFilter;
    private final ComboBox<DepartmentView> departmentFilter;
    private final CheckBox overQuotaFilter;
    private final CheckBox startsWithFilter;

    /** Fills the choices and calls {@code changed} on every change of a filter. */
    UserFilters(CheckBox startsWithFilter, ComboBox<String> roleFilter, ComboBox<String> activeFilter,
                ComboBox<DepartmentView> departmentFilter, CheckBox overQuotaFilter, Runnable changed) {
        this.startsWithFilter = startsWithFilter;
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
        startsWithFilter.selectedProperty().addListener(o -> changed.run());
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
                .withOverQuota(overQuotaFilter.isSelected())
                .withStartsWith(startsWithFilter.isSelected());
    }

    /** What the table says when a page is empty: what was searched and how, e.g. {@code No user's email or username contains "zzq".} */
    static String emptyText(UserQuery q) {
        boolean filtered = q.role() != null || q.active() != null || q.departmentId() != null || q.overQuota();
        if (q.search().isEmpty()) {
            return filtered ? "No users match the filters." : "No users.";
        }
        return "No user's " + q.searchDescription() + (filtered ? " among the users the filters keep." : ".");
    }

    /** A line under the search field when the search is not the default one (empty: nothing to say). */
    static String searchHint(UserQuery q) {
        if (q.search().isEmpty() || q.searchesInside()) {
            return "";
        }
        if (q.startsWith()) {
            return "Searching the start of email and username (Starts with is on).";
        }
        return "Searching the start of email and username: type " + UserQuery.INSIDE_MIN
                + " characters or more to search inside them.";
    }

    /** What the list shows, in words: "all users", or the search and each filter ("role ADMIN, inactive"). */
    static String describe(UserQuery q) {
        if (q.unfiltered()) {
            return "all users";
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (!q.search().isEmpty()) {
            parts.add(q.searchDescription());
        }
        if (q.role() != null) {
            parts.add("role " + q.role());
        }
        if (q.active() != null) {
            parts.add(q.active() ? "active" : "inactive");
        }
        if (q.departmentId() != null) {
            parts.add("the department filter");
        }
        if (q.overQuota()) {
            parts.add("over quota");
        }
        return String.join(", ", parts);
    }
}
