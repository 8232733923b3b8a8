package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.adminconsole.AppContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Completion of table and column names from a real H2 and a real PostgreSQL catalog, read as the reader login. */
class SqlCompletionTest {

    @TempDir Path dir;

    /** The proposals' inserted texts for a caret written as '|'. */
    private static List<String> inserts(SqlCompletion.Catalog catalog, String withCaret) {
        return proposal(catalog, withCaret).items().stream().map(SqlCompletion.Item::insert).toList();
    }

    private static SqlCompletion.Proposal proposal(SqlCompletion.Catalog catalog, String withCaret) {
        int caret = withCaret.indexOf('|');
        return SqlCompletion.propose(catalog, withCaret.substring(0, caret) + withCaret.substring(caret + 1), caret);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void proposesTablesAndColumnsFromTheCatalog(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            InspectDatabases.exec(ctx, "CREATE TABLE \"Order Lines\" (\"Qty\" INT, note VARCHAR(20))",
                    "CREATE VIEW active_users AS SELECT id, email FROM users WHERE active = TRUE");
            SqlCompletion.Catalog catalog = SqlCompletion.load(ctx.get(ReaderConnections.class));
            assertThat(catalog.upperCase()).isEqualTo(db.equals("h2"));
            assertThat(catalog.tables()).extracting(SqlCompletion.Table::name).contains(InspectDatabases.name(ctx, "users"),
                    InspectDatabases.name(ctx, "departments"), InspectDatabases.name(ctx, "active_users"), "Order Lines");
            assertThat(catalog.tables()).extracting(SqlCompletion.Table::schema)
                    .doesNotContain("INFORMATION_SCHEMA", "information_schema", "pg_catalog");

            // tables by the word before the caret, in the case being typed
            assertThat(inserts(catalog, "SELECT * FROM us|")).contains("users", "user_departments").doesNotContain("departments");
            assertThat(inserts(catalog, "SELECT * FROM US|")).contains("USERS");
            // after alias. : that table's columns
            SqlCompletion.Proposal p = proposal(catalog, "SELECT u.em| FROM users u");
            assertThat(p.items()).extracting(SqlCompletion.Item::insert).containsExactly("email", "email_key");
            assertThat(p.from()).isEqualTo("SELECT u.".length());
            assertThat(p.to()).isEqualTo("SELECT u.em".length());
            assertThat(inserts(catalog, "SELECT d.| FROM users AS u JOIN departments AS d ON d.id = u.id"))
                    .contains(InspectDatabases.name(ctx, "id"), InspectDatabases.name(ctx, "name"))
                    .doesNotContain(InspectDatabases.name(ctx, "email"));
            // after table. (no alias)
            assertThat(inserts(catalog, "SELECT users.last| FROM users")).contains("last_login").allMatch(c -> c.startsWith("last_"));
            // no qualifier: the statement's tables' columns first, then tables
            List<SqlCompletion.Item> items = proposal(catalog, "SELECT |  FROM active_users; SELECT * FROM departments").items();
            assertThat(items.get(0).kind()).isEqualTo(SqlCompletion.ItemKind.COLUMN);
            assertThat(items).filteredOn(i -> i.kind() == SqlCompletion.ItemKind.COLUMN).extracting(SqlCompletion.Item::insert)
                    .containsExactlyInAnyOrder(db.equals("h2") ? new String[] {"ID", "EMAIL"} : new String[] {"id", "email"});
            // names that need quotes get them
            assertThat(inserts(catalog, "SELECT * FROM ord|")).containsExactly("\"Order Lines\"");
            assertThat(inserts(catalog, "SELECT o.| FROM \"Order Lines\" o")).containsExactly("\"Qty\"", InspectDatabases.name(ctx, "note"));
            // schema. : that schema's tables
            String schema = InspectDatabases.schema(ctx);
            assertThat(inserts(catalog, "SELECT * FROM " + schema.toLowerCase() + ".dep|")).containsExactly("departments");
            // no table named yet: every table's columns too
            assertThat(inserts(catalog, "SELECT last_l|")).contains("last_login");
            // nothing matches: nothing proposed
            assertThat(inserts(catalog, "SELECT zzz|")).isEmpty();
        }
    }
}
