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
import org.adminconsole.persistence.Database;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.ValidationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableDataServiceTest {

    @TempDir Path dir;

    private static TableDetails details(AppContext ctx, String table) throws Exception {
        SchemaService schema = ctx.get(SchemaService.class);
        return schema.details(schema.find(InspectDatabases.schema(ctx), InspectDatabases.name(ctx, table)));
    }

    private static List<Object> column(List<Page> pages, int col) {
        List<Object> out = new ArrayList<>();
        pages.forEach(p -> p.rows().forEach(r -> out.add(r.get(col))));
        return out;
    }

    private static List<Page> allPages(TableBrowser b) {
        List<Page> pages = new ArrayList<>();
        Page p = b.first();
        pages.add(p);
        while (p.hasNext()) {
            p = b.next();
            pages.add(p);
        }
        return pages;
    }

    /** The expected values, straight from the database with JDBC. */
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

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void pagesSortsAndFilters(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            ctx.get(DemoDataService.class).generate(230);
            TableDataService data = ctx.get(TableDataService.class);
            TableDetails users = details(ctx, "users");
            int id = users.columnNames().indexOf(InspectDatabases.name(ctx, "id"));
            int username = users.columnNames().indexOf(InspectDatabases.name(ctx, "username"));

            // keyset by primary key: every row once, in order, the last page short
            TableBrowser b = data.browse(TableQuery.of(users), 50);
            List<Page> pages = allPages(b);
            assertThat(pages).hasSize(5);
            assertThat(pages.get(0).mode()).isEqualTo(Page.PagingMode.KEYSET);
            assertThat(pages.get(4).rows()).hasSize(30);
            assertThat(column(pages, id)).isEqualTo(expected(ctx, "SELECT id FROM users ORDER BY id"));
            Page back = b.previous();
            assertThat(back.number()).isEqualTo(4);
            assertThat(back.rows()).isEqualTo(pages.get(3).rows());
            assertThat(b.previous().rows()).isEqualTo(pages.get(2).rows());
            assertThat(b.next().rows()).isEqualTo(pages.get(3).rows());

            // sort by a NOT NULL column, descending: keyset on (username, id)
            TableBrowser byName = data.browse(TableQuery.of(users).sortedBy(InspectDatabases.name(ctx, "username"), true), 40);
            List<Page> namePages = allPages(byName);
            assertThat(namePages.get(0).mode()).isEqualTo(Page.PagingMode.KEYSET);
            assertThat(column(namePages, username)).isEqualTo(expected(ctx, "SELECT username FROM users ORDER BY username DESC, id DESC"));

            // sort by a nullable column: offset paging, said so
            TableBrowser byLogin = data.browse(TableQuery.of(users).sortedBy(InspectDatabases.name(ctx, "last_login"), false), 100);
            List<Page> loginPages = allPages(byLogin);
            assertThat(loginPages.get(0).mode()).isEqualTo(Page.PagingMode.OFFSET);
            assertThat(loginPages.get(0).modeReason()).contains("Offset paging").contains("NULL");
            assertThat(column(loginPages, id)).isEqualTo(expected(ctx, "SELECT id FROM users ORDER BY last_login ASC, id ASC"));

            // filters: equals, contains (case-insensitive), greater, less, is null, combined
            String role = InspectDatabases.name(ctx, "role");
            List<Filter> f = List.of(new Filter(role, Filter.Op.EQUALS, "ADMIN"),
                    new Filter(InspectDatabases.name(ctx, "email"), Filter.Op.CONTAINS, "ALICE"),
                    new Filter(InspectDatabases.name(ctx, "quota"), Filter.Op.GREATER, "2000"),
                    new Filter(InspectDatabases.name(ctx, "id"), Filter.Op.LESS, "200"));
            assertThat(column(allPages(data.browse(TableQuery.of(users).withFilters(f), 50)), id)).isEqualTo(expected(ctx,
                    "SELECT id FROM users WHERE role = 'ADMIN' AND LOWER(email) LIKE '%alice%' AND quota > 2000 AND id < 200 ORDER BY id"));
            List<Filter> nulls = List.of(new Filter(InspectDatabases.name(ctx, "last_login"), Filter.Op.IS_NULL, ""));
            List<Object> nullIds = column(allPages(data.browse(TableQuery.of(users).withFilters(nulls), 50)), id);
            assertThat(nullIds).isNotEmpty().isEqualTo(expected(ctx, "SELECT id FROM users WHERE last_login IS NULL ORDER BY id"));
            assertThat(data.count(TableQuery.of(users).withFilters(nulls))).isEqualTo(nullIds.size());
            List<Filter> since = List.of(new Filter(InspectDatabases.name(ctx, "active"), Filter.Op.EQUALS, "yes"),
                    new Filter(InspectDatabases.name(ctx, "created_at"), Filter.Op.GREATER, "2000-01-01"));
            assertThat(data.count(TableQuery.of(users).withFilters(since)))
                    .isEqualTo(InspectDatabases.longValue(ctx, "SELECT COUNT(*) FROM users WHERE active = TRUE"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void compositeKeysAndOddIdentifiersPageCorrectly(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            ctx.get(DemoDataService.class).generate(90);
            TableDataService data = ctx.get(TableDataService.class);
            TableDetails links = details(ctx, "user_departments");
            List<Page> pages = allPages(data.browse(TableQuery.of(links), 25));
            assertThat(pages.get(0).mode()).isEqualTo(Page.PagingMode.KEYSET);
            List<Object> keys = new ArrayList<>();
            pages.forEach(p -> p.rows().forEach(r -> keys.add(r.get(0) + "/" + r.get(1))));
            List<Object> expectedKeys = new ArrayList<>();
            try (Connection c = InspectDatabases.admin(ctx); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT user_id, department_id FROM user_departments ORDER BY user_id, department_id")) {
                while (rs.next()) {
                    expectedKeys.add(rs.getLong(1) + "/" + rs.getLong(2));
                }
            }
            assertThat(keys).hasSizeGreaterThan(90).isEqualTo(expectedKeys);

            // identifiers with quotes, spaces and a keyword are quoted from metadata
            InspectDatabases.exec(ctx, "CREATE TABLE \"we\"\"ird tab\" (\"key \"\"k\"\"\" INT PRIMARY KEY, \"value\" VARCHAR(20))");
            for (int i = 1; i <= 7; i++) {
                InspectDatabases.exec(ctx, "INSERT INTO \"we\"\"ird tab\" VALUES (" + i + ", 'v" + i + "')");
            }
            SchemaService schema = ctx.get(SchemaService.class);
            TableDetails odd = schema.details(schema.find(InspectDatabases.schema(ctx), "we\"ird tab"));
            assertThat(odd.columnNames()).containsExactly("key \"k\"", "value");
            List<Page> oddPages = allPages(data.browse(TableQuery.of(odd).withFilters(List.of(
                    new Filter("value", Filter.Op.CONTAINS, "v"))).sortedBy("key \"k\"", true), 3));
            assertThat(column(oddPages, 0)).containsExactly(7, 6, 5, 4, 3, 2, 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void hostileFilterValuesAreJustValues(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            ctx.get(DemoDataService.class).generate(30);
            InspectDatabases.exec(ctx, "UPDATE users SET username = 'it''s 50%_off -- ; DROP TABLE users' WHERE id = 7");
            TableDataService data = ctx.get(TableDataService.class);
            TableDetails users = details(ctx, "users");
            String username = InspectDatabases.name(ctx, "username");
            int id = users.columnNames().indexOf(InspectDatabases.name(ctx, "id"));
            for (String hostile : List.of("' OR '1'='1", "x' --", "'; DROP TABLE users; --", "; DROP TABLE users", "\" OR 1=1 --", "%", "_")) {
                assertThat(data.browse(TableQuery.of(users).withFilters(List.of(new Filter(username, Filter.Op.EQUALS, hostile))), 50)
                        .first().rows()).as("equals %s", hostile).isEmpty();
            }
            for (String part : List.of("it's", "50%_off", "--", "; DROP TABLE users", "'S 50%")) {
                Page p = data.browse(TableQuery.of(users).withFilters(List.of(new Filter(username, Filter.Op.CONTAINS, part))), 50).first();
                assertThat(column(List.of(p), id)).as("contains %s", part).containsExactly(7L);
            }
            assertThat(data.browse(TableQuery.of(users).withFilters(List.of(
                    new Filter(username, Filter.Op.EQUALS, "it's 50%_off -- ; DROP TABLE users"))), 50).first().rows()).hasSize(1);
            assertThat(InspectDatabases.longValue(ctx, "SELECT COUNT(*) FROM users")).isEqualTo(30);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void badFilterValuesAreRefusedOnTheirColumnWithoutAQuery(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            TableDataService data = ctx.get(TableDataService.class);
            TableDetails users = details(ctx, "users");
            long statements = ctx.get(Database.class).sqlMonitor().snapshot().size();
            assertThatThrownBy(() -> data.browse(TableQuery.of(users).withFilters(List.of(new Filter("ID", Filter.Op.EQUALS, "12abc"))), 50))
                    .isInstanceOfSatisfying(ValidationException.class, e ->
                            assertThat(e.fieldErrors()).containsEntry("ID", "Filter on ID: '12abc' is not a whole number."));
            assertThatThrownBy(() -> data.validate(TableQuery.of(users).withFilters(List.of(new Filter("QUOTA", Filter.Op.GREATER, "1,5")))))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors()).containsKey("QUOTA"));
            assertThatThrownBy(() -> data.validate(TableQuery.of(users).withFilters(List.of(new Filter("CREATED_AT", Filter.Op.LESS, "yesterday")))))
                    .hasMessageContaining("is not a date-time");
            assertThatThrownBy(() -> data.validate(TableQuery.of(users).withFilters(List.of(new Filter("ACTIVE", Filter.Op.EQUALS, "maybe")))))
                    .hasMessageContaining("is not true or false");
            assertThat(ctx.get(Database.class).sqlMonitor().snapshot().size()).isEqualTo(statements);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void tablesWithoutKeyUseOffsetAndLargeValuesAreTruncatedWithAFullViewer(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            boolean pg = db.equals("pg");
            InspectDatabases.exec(ctx, "CREATE TABLE notes (id INT PRIMARY KEY, body " + (pg ? "TEXT" : "CLOB") + ", data "
                    + (pg ? "BYTEA" : "BLOB") + ")", "CREATE TABLE loose (a INT, b VARCHAR(10))");
            String big = "x".repeat(5000) + "END";
            byte[] bytes = new byte[1000];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) i;
            }
            try (Connection c = InspectDatabases.admin(ctx); PreparedStatement ps = c.prepareStatement("INSERT INTO notes VALUES (?, ?, ?)")) {
                ps.setInt(1, 1);
                ps.setString(2, big);
                ps.setBytes(3, bytes);
                ps.executeUpdate();
                ps.setInt(1, 2);
                ps.setString(2, "short");
                ps.setBytes(3, new byte[]{1, 2});
                ps.executeUpdate();
            }
            for (int i = 0; i < 25; i++) {
                InspectDatabases.exec(ctx, "INSERT INTO loose VALUES (" + i + ", 'v" + i + "')");
            }
            TableDataService data = ctx.get(TableDataService.class);
            TableDetails notes = details(ctx, "notes");
            Page p = data.browse(TableQuery.of(notes), 50).first();
            assertThat(p.rows().get(0).get(1)).isInstanceOfSatisfying(TruncatedValue.class, t ->
                    assertThat(t.preview()).hasSize(CellFormat.MAX_DISPLAY_CHARS));
            assertThat(p.rows().get(0).get(2)).isInstanceOf(TruncatedValue.class);
            assertThat(p.rows().get(1).get(1)).isEqualTo("short");
            assertThat(data.fullValue(notes, p.keys().get(0), notes.columnNames().get(1))).isEqualTo(big);
            assertThat(data.fullValue(notes, p.keys().get(0), notes.columnNames().get(2))).isEqualTo(java.util.HexFormat.of().formatHex(bytes));

            TableDetails loose = details(ctx, "loose");
            TableBrowser b = data.browse(TableQuery.of(loose).sortedBy(loose.columnNames().get(0), false), 10);
            List<Page> pages = allPages(b);
            assertThat(pages.get(0).mode()).isEqualTo(Page.PagingMode.OFFSET);
            assertThat(pages.get(0).modeReason()).contains("no primary key");
            assertThat(pages).hasSize(3);
            assertThat(column(pages, 0)).hasSize(25).doesNotHaveDuplicates();
            assertThatThrownBy(() -> data.fullValue(loose, List.of(), loose.columnNames().get(1))).hasMessageContaining("no primary key");
        }
    }
}
