package org.adminconsole.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.adminconsole.AppContext;
import org.adminconsole.domain.Department;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.service.monitor.CacheStatsService;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cached rows merged into a write as managed entities without reading them again; the Caches view's "Evict all"
 * empties every cache; Hibernate refuses to page over a collection fetch (which would page in memory).
 */
class CachedEntitiesTest {

    @TempDir Path dir;

    @Test
    void cachedDepartmentsJoinAWriteAsEntitiesWithoutASelect() {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.seed.users", "5")))) {
            Transactions tx = ctx.database().transactions();
            NamedValues values = ctx.get(NamedValues.class);
            CachedEntities<Department, DepartmentView> departments = new CachedEntities<>(values,
                    NamedValue.<List<DepartmentView>>of("test.departments", s -> s.createSelectionQuery(
                            "from Department d order by d.name", Department.class).getResultList().stream().map(Department::toView).toList())
                            .onTables("departments"), Department.class, DepartmentView::id);
            assertThat(departments.views()).hasSize(12); // loaded once, cached
            long userId = tx.read("test.pick", s -> s.createSelectionQuery("select min(u.id) from User u", Long.class).getSingleResult());
            tx.write("test.assign", s -> {
                User u = s.find(User.class, userId);
                org.hibernate.Hibernate.initialize(u.getDepartments());
                long seq = ctx.database().sqlMonitor().lastSeq();
                List<Department> refs = departments.managed(s).subList(0, 3);
                u.getDepartments().clear();
                u.getDepartments().addAll(refs);
                s.flush();
                // (reading the named value inside a write checks the table versions: one small query, not of departments)
                List<String> departmentReads = ctx.database().sqlMonitor().since(seq).stream().filter(e -> e.isQuery())
                        .map(e -> e.sql().toLowerCase()).filter(sql -> sql.matches("(?s).*\\bfrom departments\\b.*")).toList();
                assertThat(departmentReads).as("the cached rows joined the session as references, not read again").isEmpty();
                return null;
            });
            long linked = tx.read("test.count", s -> s.createNativeQuery(
                    "SELECT COUNT(*) FROM user_departments WHERE user_id = " + userId, Long.class).getSingleResult());
            assertThat(linked).isEqualTo(3);
            assertThat(departments.managed(null, -1L)).isNull();
        }
    }

    @Test
    void evictAllEmptiesEveryCache() {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.seed.users", "5")))) {
            Transactions tx = ctx.database().transactions();
            long id = tx.read("test.pick", s -> s.createSelectionQuery("select min(u.id) from User u", Long.class).getSingleResult());
            tx.read("test.warm", s -> s.find(User.class, id)); // into the second-level cache
            ctx.get(org.adminconsole.service.users.UserEditing.class).open(id); // into the user cache
            long figureLoads = ctx.get(NamedValues.class).stats().loads();
            ctx.get(org.adminconsole.service.dashboard.DashboardService.class).counts(); // a named value
            assertThat(ctx.database().sessionFactory().getCache().containsEntity(User.class, id)).isTrue();
            assertThat(ctx.get(UserCache.class).peek(id)).isPresent();

            ctx.get(CacheStatsService.class).evictAll();
            assertThat(ctx.database().sessionFactory().getCache().containsEntity(User.class, id)).isFalse();
            assertThat(ctx.get(UserCache.class).peek(id)).isEmpty();
            ctx.get(org.adminconsole.service.dashboard.DashboardService.class).counts();
            assertThat(ctx.get(NamedValues.class).stats().loads()).as("the figure is computed again").isEqualTo(figureLoads + 2);
        }
    }

    /**
     * Paging over a collection fetch used to page in memory (all rows read, then cut), which the console refuses by
     * setting fail_on_pagination_over_collection_fetch. Hibernate 7.4 pages the parents in SQL instead (HHH-19933): the
     * page has exactly the parents asked for, each with all its children. This test keeps both promises honest.
     */
    @Test
    void pagingOverACollectionFetchPagesTheParentsWithCompleteCollections() {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.seed.users", "30")))) {
            Transactions tx = ctx.database().transactions();
            List<long[]> page = tx.read("test.page", s -> s.createSelectionQuery(
                    "select u from User u join fetch u.departments order by u.id", User.class).setFirstResult(3).setMaxResults(4)
                    .getResultList().stream().map(u -> new long[] {u.getId(), u.getDepartments().size()}).toList());
            assertThat(page).hasSize(4);
            for (long[] row : page) {
                long links = tx.read("test.links", s -> s.createNativeQuery(
                        "SELECT COUNT(*) FROM user_departments WHERE user_id = " + row[0], Long.class).getSingleResult());
                assertThat(row[1]).as("user " + row[0] + " has all its departments").isEqualTo(links);
            }
            long fourth = tx.read("test.fourth", s -> s.createNativeQuery(
                    "SELECT id FROM users ORDER BY id OFFSET 3 ROWS FETCH NEXT 1 ROWS ONLY", Long.class).getSingleResult());
            assertThat(page.get(0)[0]).isEqualTo(fourth);
        }
    }
}
