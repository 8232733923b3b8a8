package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.adminconsole.AppContext;
import org.adminconsole.persistence.monitor.SqlEvent;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.demo.DemoDataService;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data grid parity on H2 and PostgreSQL: last page by a reverse keyset read, page totals (exact or estimated),
 * jumps, the added filter operators (bound, validated before any query), referenced-by counts and the
 * foreign-key row filters.
 */
class GridParityServiceTest {

    @TempDir Path dir;

    private static TableDetails details(AppContext ctx, String table) throws Exception {
        SchemaService schema = ctx.get(SchemaService.class);
        return schema.details(schema.find(InspectDatabases.schema(ctx), InspectDatabases.name(ctx, table)));
    }

    private static List<Object> expected(AppContext ctx, String sql, Object... params) throws Exception {
        List<Object> out = new ArrayList<>();
        try (Connection c = InspectDatabases.admin(ctx); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1));
                }
            }
        }
        return out;
    }

    private static List<Object> col(Page p, int index) {
        return p.rows().stream().map(r -> r.get(index)).toList();
    }

    private static List<String> pageSql(AppContext ctx) {
        return ctx.database().sqlMonitor().snapshot().stream().filter(e -> e.operationName().equals("inspect.page"))
                .map(SqlEvent::sql).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void lastPageJumpsAndTotals(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            ctx.get(DemoDataService.class).generate(230);
            TableDataService data = ctx.get(TableDataService.class);
            TableDetails users = details(ctx, "users");
            int id = users.columnNames().indexOf(InspectDatabases.name(ctx, "id"));
            List<Object> ids = expected(ctx, "SELECT id FROM users ORDER BY id");

            TableBrowser b = data.browse(TableQuery.of(users), 50);
            b.first();
            RowCount count = b.count();
            assertThat(count).isEqualTo(RowCount.exact(230));
            assertThat(count.pages(50)).isEqualTo(5);

            int before = pageSql(ctx).size();
            Page last = b.last();
            assertThat(last.number()).isEqualTo(5);
            assertThat(last.positionExact()).isTrue();
            assertThat(last.firstRow()).isEqualTo(201);
            assertThat(col(last, id)).isEqualTo(ids.subList(200, 230));
            assertThat(last.hasNext()).isFalse();
            assertThat(last.hasPrevious()).isTrue();
            List<String> lastSql = pageSql(ctx).subList(before, pageSql(ctx).size());
            assertThat(lastSql).hasSize(1);
            assertThat(lastSql.get(0)).doesNotContainIgnoringCase("OFFSET").containsIgnoringCase("DESC");

            // previous from the last page: a reverse keyset read before its first row, aligned with paging forward
            Page p4 = b.previous();
            assertThat(p4.number()).isEqualTo(4);
            assertThat(col(p4, id)).isEqualTo(ids.subList(150, 200));
            // jump back two pages from page 4: passes over one page from the current one
            Page p2 = b.jump(2);
            assertThat(p2.number()).isEqualTo(2);
            assertThat(p2.firstRow()).isEqualTo(51);
            assertThat(col(p2, id)).isEqualTo(ids.subList(50, 100));
            assertThat(b.jump(3).rows()).extracting(r -> r.get(id)).isEqualTo(ids.subList(100, 150));
            assertThat(col(b.next(), id)).isEqualTo(ids.subList(150, 200));
            assertThat(col(b.jump(99), id)).isEqualTo(ids.subList(200, 230));
            assertThat(col(b.jump(1), id)).isEqualTo(ids.subList(0, 50));
            assertThat(col(b.reload(), id)).isEqualTo(ids.subList(0, 50));
            b.jump(3);
            assertThat(col(b.reload(), id)).isEqualTo(ids.subList(100, 150));

            // without a total, a jump past the end lands on the first page instead of an empty one
            TableBrowser unknown = data.browse(TableQuery.of(users), 50);
            unknown.first();
            unknown.next();
            Page beyond = unknown.jump(40);
            assertThat(beyond.rows()).isNotEmpty();
            assertThat(beyond.number()).isEqualTo(1);

            // descending sort by a NOT NULL column: the last page is the smallest usernames
            TableQuery byName = TableQuery.of(users).sortedBy(InspectDatabases.name(ctx, "username"), true);
            TableBrowser d = data.browse(byName, 50);
            d.first();
            d.count();
            int username = users.columnNames().indexOf(InspectDatabases.name(ctx, "username"));
            List<Object> names = expected(ctx, "SELECT username FROM users ORDER BY username DESC, id DESC");
            assertThat(col(d.last(), username)).isEqualTo(names.subList(200, 230));
            assertThat(col(d.previous(), username)).isEqualTo(names.subList(150, 200));

            // a table above the exact-count limit: the total is the database's estimate, and says so
            if (db.equals("pg")) {
                InspectDatabases.exec(ctx, "ANALYZE users");
                users = details(ctx, "users");
            }
            TableDataService small = new TableDataService(ctx.database().transactions(), 100);
            TableBrowser e = small.browse(TableQuery.of(users), 50);
            e.first();
            RowCount estimated = e.count();
            assertThat(estimated.exact()).isFalse();
            assertThat(estimated.rows()).isBetween(200L, 260L);
            Page lastEstimated = e.last();
            assertThat(lastEstimated.positionExact()).isFalse();
            assertThat(col(lastEstimated, id)).isEqualTo(ids.subList(180, 230));
            assertThat(lastEstimated.firstRow()).isEqualTo(estimated.rows() - 49);
            // filtered: counted exactly (quickly), even above the limit
            RowCount filtered = small.rowCount(TableQuery.of(users).withFilters(
                    List.of(new Filter(InspectDatabases.name(ctx, "id"), Filter.Op.LESS_OR_EQUAL, "10"))));
            assertThat(filtered).isEqualTo(RowCount.exact(10));
        }
    }

    /** PostgreSQL only: H2 builds a view's whole result before its first row, so such a view cannot even page there. */
    @ParameterizedTest
    @ValueSource(strings = {"pg"})
    void aViewWhoseCountTakesTooLongHasAnUnknownTotalAndStillPages(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            InspectDatabases.exec(ctx,
                    "CREATE VIEW slow_rows AS SELECT a AS n FROM generate_series(1, 1000000) a, generate_series(1, 1000000) b");
            TableDataService data = ctx.get(TableDataService.class);
            TableDetails view = details(ctx, "slow_rows");
            TableBrowser b = data.browse(TableQuery.of(view), 50);
            assertThat(b.first().rows()).hasSize(50);
            long started = System.nanoTime();
            RowCount count = b.count();
            assertThat(count.known()).isFalse();
            assertThat(count.reason()).contains("took longer than 3 s");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(20));
            // no total: Last stays where it is, next still works
            assertThat(b.last().number()).isEqualTo(1);
            assertThat(b.next().number()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void filterOperators(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            ctx.get(DemoDataService.class).generate(120);
            TableDataService data = ctx.get(TableDataService.class);
            TableDetails users = details(ctx, "users");
            String idCol = InspectDatabases.name(ctx, "id");
            String user = InspectDatabases.name(ctx, "username");
            int id = users.columnNames().indexOf(idCol);
            String prefix = String.valueOf(expected(ctx, "SELECT username FROM users ORDER BY id").get(7)).substring(0, 3);
            Object[][] cases = {
                    {new Filter(idCol, Filter.Op.NOT_EQUALS, "5"), "SELECT id FROM users WHERE id <> 5 ORDER BY id", null},
                    {new Filter(idCol, Filter.Op.GREATER_OR_EQUAL, "100"), "SELECT id FROM users WHERE id >= 100 ORDER BY id", null},
                    {new Filter(idCol, Filter.Op.LESS_OR_EQUAL, "3"), "SELECT id FROM users WHERE id <= 3 ORDER BY id", null},
                    {new Filter(idCol, Filter.Op.IN, "3, 7,11"), "SELECT id FROM users WHERE id IN (3, 7, 11) ORDER BY id", null},
                    {new Filter(idCol, Filter.Op.BETWEEN, "10 and 14"), "SELECT id FROM users WHERE id BETWEEN 10 AND 14 ORDER BY id", null},
                    {new Filter(idCol, Filter.Op.BETWEEN, "20,22"), "SELECT id FROM users WHERE id BETWEEN 20 AND 22 ORDER BY id", null},
                    {new Filter(user, Filter.Op.STARTS_WITH, prefix), "SELECT id FROM users WHERE username LIKE ? ORDER BY id", prefix + "%"},
                    {new Filter(user, Filter.Op.IN, "nobody-1, nobody-2"), "SELECT id FROM users WHERE 1 = 0", null},
            };
            for (Object[] c : cases) {
                Filter f = (Filter) c[0];
                TableBrowser b = data.browse(TableQuery.of(users).withFilters(List.of(f)), 500);
                List<Object> want = c[2] == null ? expected(ctx, (String) c[1]) : expected(ctx, (String) c[1], c[2]);
                assertThat(col(b.first(), id)).as(f.describe()).isEqualTo(want);
                assertThat(b.count().rows()).as(f.describe()).isEqualTo(want.size());
            }
            // a hostile prefix is only a prefix: wildcards are literal
            assertThat(data.browse(TableQuery.of(users).withFilters(List.of(new Filter(user, Filter.Op.STARTS_WITH, "%"))), 50)
                    .first().rows()).isEmpty();

            // bad input: a specific message keyed by the column, no query sent
            int sent = ctx.database().sqlMonitor().snapshot().size();
            assertThatThrownBy(() -> data.validate(TableQuery.of(users).withFilters(List.of(new Filter(idCol, Filter.Op.BETWEEN, "10")))))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("Filter on " + idCol + ": 'between' needs two values, from and to (e.g. 10 and 20); '10' is not two values.");
            assertThatThrownBy(() -> data.validate(TableQuery.of(users).withFilters(List.of(new Filter(idCol, Filter.Op.IN, "1, two, 3")))))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("Filter on " + idCol + ": value 2 of the list: 'two' is not a whole number.");
            assertThatThrownBy(() -> data.validate(TableQuery.of(users).withFilters(List.of(new Filter(idCol, Filter.Op.BETWEEN, "1 and x")))))
                    .hasMessage("Filter on " + idCol + ": the 'to' value: 'x' is not a whole number.");
            assertThatThrownBy(() -> data.validate(TableQuery.of(users).withFilters(List.of(new Filter(idCol, Filter.Op.IN, "1,,3")))))
                    .hasMessageContaining("has an empty value");
            assertThatThrownBy(() -> data.validate(TableQuery.of(users).withFilters(List.of(new Filter(idCol, Filter.Op.IN, " ")))))
                    .hasMessage("Filter on " + idCol + ": 'in' needs one or more values separated by commas (e.g. 1, 2, 3).");
            assertThat(ctx.database().sqlMonitor().snapshot().size()).isEqualTo(sent);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void referencedByCountsAndForeignKeyRows(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            ctx.get(DemoDataService.class).generate(60);
            TableDataService data = ctx.get(TableDataService.class);
            TableDetails users = details(ctx, "users");
            assertThat(users.referencedBy()).extracting(k -> k.from().name()).contains(InspectDatabases.name(ctx, "user_departments"));
            long userId = (Long) expected(ctx, "SELECT user_id FROM user_departments GROUP BY user_id ORDER BY COUNT(*) DESC, user_id").get(0);
            long refs = InspectDatabases.longValue(ctx, "SELECT COUNT(*) FROM user_departments WHERE user_id = " + userId);
            String idCol = InspectDatabases.name(ctx, "id");
            Page p = data.browse(TableQuery.of(users).withFilters(List.of(new Filter(idCol, Filter.Op.EQUALS, String.valueOf(userId)))), 50).first();
            List<ReferenceCount> counts = data.references(users, p.rows().get(0), p.keys().get(0));
            ReferenceCount ud = counts.stream().filter(r -> r.key().from().name().equals(InspectDatabases.name(ctx, "user_departments")))
                    .findFirst().orElseThrow();
            assertThat(ud.count()).isEqualTo(refs).isPositive();
            assertThat(ud.describe()).endsWith(": " + refs + " row" + (refs == 1 ? "" : "s"));

            // opening the referencing rows: exactly those
            TableDetails links = details(ctx, "user_departments");
            Page referencing = data.browse(TableQuery.of(links).withFilters(ud.filters()), 50).first();
            assertThat(referencing.rows()).hasSize((int) refs);

            // a foreign-key value opens the referenced row itself
            ForeignKey toUser = links.foreignKeys().stream().filter(f -> f.referenced().name().equals(users.table().name())).findFirst().orElseThrow();
            Page row = data.browse(TableQuery.of(users).withFilters(toUser.filtersFor(links, referencing.rows().get(0))), 50).first();
            assertThat(row.rows()).hasSize(1);
            assertThat(row.rows().get(0).get(users.columnNames().indexOf(idCol))).isEqualTo(userId);
        }
    }
}
