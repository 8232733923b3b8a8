package org.adminconsole.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Dashboard figure equals the figure written the plain way in SQL (counting through {@code users}), on a
 * generated database where some users have no department and some two: the faster forms (members counted in the link
 * table alone) must not change a number or the order of the department list.
 */
class DashboardFiguresTest {

    @TempDir Path dir;
    AppContext ctx;

    Settings settings() {
        return TestDatabases.h2(dir, Map.of("db.seed.users", "400"));
    }

    @BeforeEach
    void open() {
        ctx = AppContext.start(settings());
    }

    @AfterEach
    void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    @Test
    void everyFigureEqualsThePlainSqlFigure() throws Exception {
        try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            // a few users without any department (the demo data gives everyone at least one)
            st.executeUpdate("DELETE FROM user_departments WHERE user_id IN (SELECT id FROM users ORDER BY id FETCH FIRST 3 ROWS ONLY)");
        }
        DashboardService.Figures f = ctx.get(DashboardService.class).figures();
        try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            assertThat(f.counts().users()).isEqualTo(single(st, "SELECT COUNT(*) FROM users")).isEqualTo(400);
            assertThat(f.counts().activeUsers()).isEqualTo(single(st, "SELECT COUNT(*) FROM users WHERE active"));
            assertThat(f.counts().departments()).isEqualTo(single(st, "SELECT COUNT(*) FROM departments"));
            assertThat(f.overQuota()).isEqualTo(single(st, "SELECT COUNT(*) FROM users WHERE usage_amount > quota"));
            Map<Role, Long> byRole = new EnumMap<>(Role.class);
            for (Role r : Role.values()) {
                byRole.put(r, 0L);
            }
            try (ResultSet rs = st.executeQuery("SELECT role, COUNT(*) FROM users GROUP BY role")) {
                while (rs.next()) {
                    byRole.put(Role.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            assertThat(f.usersByRole()).isEqualTo(byRole);
            List<DashboardService.DepartmentSize> sizes = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT d.name, COUNT(u.id) FROM users u JOIN user_departments ud ON ud.user_id = u.id"
                    + " JOIN departments d ON d.id = ud.department_id GROUP BY d.name ORDER BY COUNT(u.id) DESC, d.name")) {
                while (rs.next()) {
                    sizes.add(new DashboardService.DepartmentSize(rs.getString(1), rs.getLong(2)));
                }
            }
            assertThat(sizes).hasSizeGreaterThan(1);
            assertThat(f.departments()).containsExactlyElementsOf(sizes);
            // users in two departments and users in none: both shapes are counted
            assertThat(single(st, "SELECT COUNT(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM user_departments ud WHERE ud.user_id = u.id)"))
                    .isPositive();
            assertThat(single(st, "SELECT COUNT(*) FROM (SELECT user_id FROM user_departments GROUP BY user_id HAVING COUNT(*) > 1) t"))
                    .isPositive();
        }
    }

    private static long single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
