package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.service.demo.DemoDataService;
import org.junit.jupiter.api.io.TempDir;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.adminconsole.testing.Tasks;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaServiceTest {

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void browsesSchemaTablesViewsColumnsKeysIndexesAndCounts(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            ctx.get(DemoDataService.class).generate(120);
            InspectDatabases.exec(ctx, "CREATE VIEW active_users AS SELECT id, email FROM users WHERE active = TRUE");
            if (db.equals("pg")) {
                InspectDatabases.exec(ctx, "ANALYZE users");
            }
            SchemaService schema = ctx.get(SchemaService.class);
            String s = InspectDatabases.schema(ctx);
            SchemaNode node = schema.schemas().stream().filter(n -> n.name().equals(s)).findFirst().orElseThrow();
            assertThat(node.tables()).extracting(TableRef::name).contains(
                    InspectDatabases.name(ctx, "users"), InspectDatabases.name(ctx, "departments"),
                    InspectDatabases.name(ctx, "user_departments"));
            // the test's view and the console's masked views (V120, issue 15 item 3)
            assertThat(node.views()).extracting(TableRef::name).containsExactly(InspectDatabases.name(ctx, "active_users"),
                    InspectDatabases.name(ctx, "audit_changes_masked"), InspectDatabases.name(ctx, "users_masked"));

            TableDetails users = schema.details(schema.find(s, InspectDatabases.name(ctx, "users")));
            ColumnInfo email = users.column(InspectDatabases.name(ctx, "email")).orElseThrow();
            assertThat(email.jdbcType()).isEqualTo(java.sql.Types.VARCHAR);
            assertThat(email.size()).isEqualTo(254);
            assertThat(email.displayType()).endsWith("(254)");
            assertThat(email.nullable()).isFalse();
            assertThat(users.column(InspectDatabases.name(ctx, "last_login")).orElseThrow().nullable()).isTrue();
            assertThat(users.column(InspectDatabases.name(ctx, "active")).orElseThrow().defaultValue()).containsIgnoringCase("true");
            assertThat(users.primaryKey()).containsExactly(InspectDatabases.name(ctx, "id"));
            assertThat(users.indexes()).extracting(IndexInfo::name).contains(InspectDatabases.name(ctx, "ix_users_role"));
            IndexInfo role = users.indexes().stream().filter(i -> i.name().equalsIgnoreCase("ix_users_role")).findFirst().orElseThrow();
            assertThat(role.columns()).containsExactly(InspectDatabases.name(ctx, "role"), InspectDatabases.name(ctx, "id"));
            assertThat(users.rowEstimate()).isEqualTo(120);

            TableDetails links = schema.details(schema.find(s, InspectDatabases.name(ctx, "user_departments")));
            assertThat(links.primaryKey()).containsExactly(InspectDatabases.name(ctx, "user_id"), InspectDatabases.name(ctx, "department_id"));
            assertThat(links.foreignKeys()).extracting(f -> f.referenced().name())
                    .containsExactlyInAnyOrder(InspectDatabases.name(ctx, "users"), InspectDatabases.name(ctx, "departments"));
            ForeignKey toUsers = links.foreignKeys().stream().filter(f -> f.referenced().name().equalsIgnoreCase("users")).findFirst().orElseThrow();
            assertThat(toUsers.columns()).containsExactly(InspectDatabases.name(ctx, "user_id"));
            assertThat(toUsers.referencedColumns()).containsExactly(InspectDatabases.name(ctx, "id"));
            // the referenced table can be opened from the foreign key (jump)
            assertThat(schema.details(schema.find(toUsers.referenced().schema(), toUsers.referenced().name())).table().name())
                    .isEqualTo(users.table().name());

            long direct = InspectDatabases.longValue(ctx, "SELECT COUNT(*) FROM user_departments");
            assertThat(schema.exactCount(links.table())).isEqualTo(direct).isGreaterThan(120);
            TableDetails view = schema.details(schema.find(s, InspectDatabases.name(ctx, "active_users")));
            assertThat(view.rowEstimate()).isEqualTo(-1);
            assertThat(view.columns()).hasSize(2);
            assertThat(schema.exactCount(view.table()))
                    .isEqualTo(InspectDatabases.longValue(ctx, "SELECT COUNT(*) FROM users WHERE active = TRUE"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void exactCountOfAHugeViewCanBeCancelled(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            InspectDatabases.exec(ctx, db.equals("pg")
                    ? "CREATE VIEW huge AS SELECT a.x FROM generate_series(1, 200000) a(x), generate_series(1, 200000) b(y)"
                    : "CREATE VIEW huge AS SELECT a.X FROM SYSTEM_RANGE(1, 200000) a, SYSTEM_RANGE(1, 200000) b");
            SchemaService schema = ctx.get(SchemaService.class);
            TableRef huge = schema.find(InspectDatabases.schema(ctx), InspectDatabases.name(ctx, "huge"));
            TaskHandle handle = new TaskHandle("count");
            CompletableFuture<Long> count = Tasks.start(handle, () -> schema.exactCount(huge));
            org.testfx.util.WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, handle::hasCancelHooks);
            handle.cancel();
            assertThatThrownBy(() -> count.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CancelledException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void aMissingTableSaysSo(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            SchemaService schema = ctx.get(SchemaService.class);
            assertThatThrownBy(() -> schema.details(new TableRef("PUBLIC", "NOPE", TableRef.Kind.TABLE)))
                    .isInstanceOf(InspectionException.class).hasMessageContaining("does not exist");
            assertThat(List.of(schema.schemas().get(0).name())).isNotEmpty();
        }
    }
}
