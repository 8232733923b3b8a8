package org.adminconsole.service.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.service.ValidationException;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Departments created, renamed and deleted as an operator does, on a real database: audited, sort keys kept, refusals that say why. */
class DepartmentAdminTest {

    @TempDir Path dir;
    AppContext ctx;
    DepartmentAdmin departments;

    Settings settings(Path dir) {
        return TestDatabases.h2(dir, Map.of("db.seed.users", "200"));
    }

    @BeforeEach
    void open() {
        ctx = AppContext.start(settings(dir));
        departments = ctx.get(DepartmentAdmin.class);
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    private DepartmentAdmin.DepartmentRow named(String name) {
        return departments.list().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private long count(String sql) {
        return ctx.database().transactions().read("test.count", s -> ((Number) s.createNativeQuery(sql, Object.class).getSingleResult()).longValue());
    }

    private static String refusal(Runnable r, String field) {
        try {
            r.run();
        } catch (ValidationException e) {
            return e.fieldErrors().get(field);
        }
        throw new AssertionError("not refused");
    }

    @Test
    void createRenameAndDeleteAreAuditedAndRefuseBadNamesWithTheirReason() {
        int before = departments.list().size();
        assertThat(refusal(() -> departments.create("  ", null), DepartmentAdmin.NAME)).isEqualTo("Enter the department's name.");
        assertThat(refusal(() -> departments.create("x".repeat(101), null), DepartmentAdmin.NAME)).contains("at most 100 characters");
        assertThat(refusal(() -> departments.create("Line\nbreak", null), DepartmentAdmin.NAME)).contains("control characters");
        String existing = departments.list().get(0).name();
        assertThat(refusal(() -> departments.create(existing.toUpperCase(), null), DepartmentAdmin.NAME)).contains("exists already");
        assertThat(departments.list()).hasSize(before);

        DepartmentAdmin.DepartmentRow created = departments.create("  Field Trials  ", "R&D");
        assertThat(created.name()).isEqualTo("Field Trials");
        assertThat(named("Field Trials").users()).isZero();
        DepartmentAdmin.DepartmentRow renamed = departments.rename(created.id(), created.version(), "Field Trials Lab", "R&D lab");
        assertThat(named("Field Trials Lab").description()).isEqualTo("R&D lab");
        // the version the operator saw: a second rename from the old list is refused
        assertThat(refusal(() -> departments.rename(created.id(), created.version(), "Lab", null), DepartmentAdmin.DEPARTMENT))
                .contains("Someone else changed");
        departments.delete(renamed.id());
        assertThat(departments.list()).hasSize(before);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'Department' AND entity_id = " + created.id()))
                .isEqualTo(3); // created, renamed, deleted
    }

    @Test
    void aDepartmentWithUsersIsNotDeletedButItsUsersCanBeMovedFirstAndTheSortKeyFollows() {
        DepartmentAdmin.DepartmentRow from = departments.list().stream().filter(d -> d.users() > 0).findFirst().orElseThrow();
        DepartmentAdmin.DepartmentRow to = departments.list().stream().filter(d -> d.id() != from.id()).findFirst().orElseThrow();
        assertThat(refusal(() -> departments.delete(from.id()), DepartmentAdmin.DEPARTMENT))
                .isEqualTo(org.adminconsole.support.Counts.of(from.users(), "user belongs", "users belong") + " to " + from.name()
                        + ": move them to another department first (Move users and delete). Nothing was deleted.");
        assertThat(named(from.name()).users()).isEqualTo(from.users());

        // a rename moves the sort key of its users with it
        DepartmentAdmin.DepartmentRow renamed = departments.rename(from.id(), from.version(), "000 First", from.description());
        assertThat(count("SELECT COUNT(*) FROM users u WHERE u.department_key = '000 First'")).isEqualTo(from.users());

        List<Long> moved = ctx.database().transactions().read("test.ids", s -> s.createNativeQuery(
                "SELECT user_id FROM user_departments WHERE department_id = " + from.id(), Long.class).getResultList());
        long targetBefore = named(to.name()).users();
        long overlap = count("SELECT COUNT(*) FROM user_departments a JOIN user_departments b ON a.user_id = b.user_id"
                + " WHERE a.department_id = " + from.id() + " AND b.department_id = " + to.id());
        assertThat(departments.moveUsersAndDelete(renamed.id(), to.id())).isEqualTo(moved.size());
        assertThat(departments.list()).noneMatch(d -> d.id() == from.id());
        assertThat(named(to.name()).users()).isEqualTo(targetBefore + moved.size() - overlap);
        assertThat(count("SELECT COUNT(*) FROM users WHERE department_key = '000 First'")).isZero();
        // each moved user: the departments shown and the history say so
        List<AuditEntryView> history = ctx.get(UserHistory.class).history(moved.get(0));
        assertThat(history.get(0).operation()).isEqualTo("departments.moveAndDelete");
        assertThat(history.get(0).changes()).anySatisfy(c -> {
            assertThat(c.field()).isEqualTo("departments");
            assertThat(c.oldValue()).contains("000 First");
            assertThat(c.newValue()).contains(to.name()).doesNotContain("000 First");
        });
        assertThat(refusal(() -> departments.moveUsersAndDelete(to.id(), to.id()), DepartmentAdmin.DEPARTMENT)).contains("another department");
    }
}
