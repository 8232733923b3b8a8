package org.adminconsole.service.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.adminconsole.AppContext;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.inspect.CsvExporter;
import org.adminconsole.service.inspect.Filter;
import org.adminconsole.service.inspect.InspectTargets;
import org.adminconsole.service.inspect.Page;
import org.adminconsole.service.inspect.SchemaService;
import org.adminconsole.service.inspect.SqlConsoleService;
import org.adminconsole.service.inspect.TableDataService;
import org.adminconsole.service.inspect.TableDetails;
import org.adminconsole.service.inspect.TableQuery;
import org.adminconsole.testing.ProfileFixtures;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A second database opened from a profile, next to the console's own (an H2 console here): Schema &amp; data, SQL and the
 * export read the profile while it is the target, and the console's database again after switching back; the profile's
 * connections cannot write; a login that can write is refused with a message on the login field.
 */
class ProfileInspectionTest {

    @TempDir Path dir;
    @TempDir Path second;
    @TempDir Path out;

    private InspectTargets.Target open(AppContext ctx, String db) throws Exception {
        ProfileConnections profiles = ctx.get(ProfileConnections.class);
        if (db.equals("h2")) {
            return profiles.open(ProfileFixtures.h2Profile("Shop file", ProfileFixtures.h2File(second)), ProfileFixtures.H2_PASSWORD);
        }
        String name = ProfileFixtures.postgresDatabase(second);
        return profiles.open(ProfileFixtures.pgProfile("Shop pg", name, TestDatabases.PG_READER), "");
    }

    private static String n(String db, String name) {
        return db.equals("h2") ? name.toUpperCase() : name;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void browseFilterFollowAKeyRunAndExportOnAProfileThenSwitchBack(String db) throws Exception {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir))) {
            InspectTargets targets = ctx.get(InspectTargets.class);
            targets.switchTo(open(ctx, db));
            SchemaService schema = ctx.get(SchemaService.class);
            String s = db.equals("h2") ? "PUBLIC" : "public";
            assertThat(schema.schemas().stream().flatMap(x -> x.tables().stream()).map(t -> t.name()))
                    .contains(n(db, "orders"), n(db, "shops")).doesNotContain(n(db, "users"), "USERS");
            TableDetails orders = schema.details(schema.find(s, n(db, "orders")));
            TableDataService data = ctx.get(TableDataService.class);
            // keyset pages to the end and back
            var browser = data.browse(TableQuery.of(orders), 50);
            Page p = browser.first();
            assertThat(p.mode()).isEqualTo(Page.PagingMode.KEYSET);
            assertThat(p.rows()).hasSize(50);
            for (int i = 0; i < 5; i++) {
                p = browser.next();
            }
            assertThat(p.hasNext()).isFalse();
            assertThat(p.rows().get(49).get(0)).isEqualTo(300L);
            // filter
            Page filtered = data.browse(TableQuery.of(orders).withFilters(List.of(new Filter(n(db, "shop_id"), Filter.Op.EQUALS, "3"))), 50).first();
            assertThat(filtered.rows()).hasSize(8);
            // follow the foreign key to the shop, and its referencing rows
            assertThat(orders.foreignKeys()).hasSize(1);
            TableDetails shops = schema.details(orders.foreignKeys().get(0).referenced());
            Page shop = data.browse(TableQuery.of(shops).withFilters(List.of(new Filter(n(db, "id"), Filter.Op.EQUALS, "3"))), 50).first();
            assertThat(shop.rows()).hasSize(1);
            assertThat(shop.rows().get(0).get(1)).isEqualTo("Shop 3");
            assertThat(data.references(shops, shop.rows().get(0), shop.keys().get(0)).get(0).count()).isEqualTo(8);
            assertThat(schema.ddl(orders)).containsIgnoringCase("REFERENCES");
            assertThat(schema.exactCount(orders.table())).isEqualTo(300);
            // SQL console and its export
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            SqlConsoleService.Result r = console.run("SELECT COUNT(*) FROM orders WHERE amount > 100");
            assertThat(r.rows()).containsExactly(List.of("220"));
            assertThatThrownBy(() -> console.run("DELETE FROM orders")).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> console.run("SELECT COUNT(*) FROM users")).isInstanceOf(ValidationException.class);
            CsvExporter.Result csv = ctx.get(CsvExporter.class).export(TableQuery.of(orders), out.resolve("orders.csv").toString());
            assertThat(csv.rows()).isEqualTo(300);
            assertThat(Files.readString(out.resolve("orders.csv"))).contains("'=HYPERLINK");
            // the console's own database again
            targets.switchTo(null);
            assertThat(console.run("SELECT COUNT(*) FROM users").rows()).hasSize(1);
            assertThat(schema.schemas().stream().flatMap(x -> x.tables().stream()).map(t -> t.name())).contains("USERS")
                    .doesNotContain("ORDERS");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void theProfilesConnectionsCannotWrite(String db) throws Exception {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir))) {
            InspectTargets.Target t = open(ctx, db);
            try {
                java.sql.Connection c = t.readers().open();
                try (java.sql.Statement st = c.createStatement()) {
                    for (String write : List.of("DELETE FROM orders", "UPDATE shops SET name = 'x'", "CREATE TABLE evil (id INT)",
                            "INSERT INTO shops VALUES (99, 'x', 'y')")) {
                        assertThatThrownBy(() -> st.execute(write)).as(write).isInstanceOf(java.sql.SQLException.class);
                        c.rollback();
                    }
                } finally {
                    org.adminconsole.service.inspect.ReaderConnections.release(c);
                }
                java.sql.Connection c2 = t.readers().open();
                try (java.sql.Statement st = c2.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM orders")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(300);
                } finally {
                    org.adminconsole.service.inspect.ReaderConnections.release(c2);
                }
            } finally {
                t.resources().close();
            }
        }
    }

    @Test
    void aPostgresLoginThatCanWriteIsRefusedOnTheLoginField() throws Exception {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir))) {
            String name = ProfileFixtures.postgresDatabase(second);
            ProfileConnections profiles = ctx.get(ProfileConnections.class);
            assertThatThrownBy(() -> profiles.open(ProfileFixtures.pgProfile("Owner", name, "postgres"), ""))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors().get(ConnectionProfile.USER))
                            .contains("can do more than read").contains("SUPERUSER").contains("reader.sql"));
        }
    }

    @Test
    void wrongPasswordMissingDatabaseAndUnreachableServerNameTheField() throws Exception {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir))) {
            ProfileConnections profiles = ctx.get(ProfileConnections.class);
            Path file = ProfileFixtures.h2File(second);
            assertThatThrownBy(() -> profiles.test(ProfileFixtures.h2Profile("f", file), "wrong"))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors().get(ConnectionProfile.PASSWORD))
                            .contains("wrong user name or password").doesNotContain("wrong)"));
            assertThat(profiles.test(ProfileFixtures.h2Profile("f", file), ProfileFixtures.H2_PASSWORD)).contains("read-only");
            ConnectionProfile closed = new ConnectionProfile("p", ConnectionProfile.Kind.POSTGRES, "", "127.0.0.1", 1, "x", "u",
                    ConnectionProfile.PasswordSource.NONE, "");
            assertThatThrownBy(() -> profiles.test(closed, null))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors()).containsKey(ConnectionProfile.HOST));
        }
    }

    /**
     * An H2 server profile: the server opened the database read-write, so the login decides. SA (an admin) and a user
     * with INSERT are refused on the login field; a user with SELECT only opens, and cannot write.
     */
    @Test
    void anH2ServerProfileOpensOnlyWithAUserThatCanOnlyRead() throws Exception {
        Path base = second.resolve("served").toAbsolutePath();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + base, "SA", "admin-pw");
             java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE shops (id INT PRIMARY KEY, name VARCHAR(40))");
            st.execute("INSERT INTO shops VALUES (1, 'One'), (2, 'Two')");
            st.execute("CREATE USER viewer PASSWORD 'viewer-pw'");
            st.execute("GRANT SELECT ON SCHEMA PUBLIC TO viewer");
            st.execute("CREATE USER writer PASSWORD 'writer-pw'");
            st.execute("GRANT SELECT, INSERT ON shops TO writer");
        }
        org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-baseDir", second.toString()).start();
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir))) {
            ProfileConnections profiles = ctx.get(ProfileConnections.class);
            java.util.function.BiFunction<String, String, ConnectionProfile> as = (user, pw) -> new ConnectionProfile("served",
                    ConnectionProfile.Kind.H2_SERVER, "", "127.0.0.1", server.getPort(), "./served", user, ConnectionProfile.PasswordSource.ASK, "");
            assertThatThrownBy(() -> profiles.test(as.apply("SA", null), "admin-pw"))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors().get(ConnectionProfile.USER))
                            .contains("H2 admin").contains("GRANT SELECT"));
            assertThatThrownBy(() -> profiles.test(as.apply("WRITER", null), "writer-pw"))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors().get(ConnectionProfile.USER))
                            .contains("INSERT"));
            InspectTargets targets = ctx.get(InspectTargets.class);
            targets.switchTo(profiles.open(as.apply("VIEWER", null), "viewer-pw"));
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            assertThat(console.run("SELECT name FROM shops ORDER BY id").rows()).containsExactly(List.of("One"), List.of("Two"));
            java.sql.Connection c = targets.readers().open();
            try (java.sql.Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute("INSERT INTO shops VALUES (3, 'x')")).isInstanceOf(java.sql.SQLException.class);
            } finally {
                org.adminconsole.service.inspect.ReaderConnections.release(c);
            }
            targets.switchTo(null);
        } finally {
            server.stop();
        }
    }
}
