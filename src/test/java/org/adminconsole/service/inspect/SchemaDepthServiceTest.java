package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.adminconsole.AppContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sequences, triggers, check and unique constraints and DDL from the catalog, on H2 and PostgreSQL. */
class SchemaDepthServiceTest {

    @TempDir Path dir;

    static void createObjects(AppContext ctx) throws Exception {
        InspectDatabases.exec(ctx,
                "CREATE SEQUENCE invoice_numbers START WITH 1000 INCREMENT BY 5",
                "CREATE TABLE invoices (id BIGINT PRIMARY KEY, code VARCHAR(20) NOT NULL, amount NUMERIC(12,2) DEFAULT 0,"
                        + " note VARCHAR(200), CONSTRAINT ck_invoice_amount CHECK (amount >= 0),"
                        + " CONSTRAINT uq_invoice_code UNIQUE (code))",
                "CREATE INDEX ix_invoice_note ON invoices (note)",
                "CREATE VIEW big_invoices AS SELECT id, code FROM invoices WHERE amount > 100");
        if (ctx.settings().isH2()) {
            InspectDatabases.exec(ctx, "CREATE TRIGGER tr_invoice_audit BEFORE INSERT ON invoices FOR EACH ROW CALL '"
                    + NoopTrigger.class.getName() + "'");
        } else {
            InspectDatabases.exec(ctx, "CREATE FUNCTION invoice_noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                    "CREATE TRIGGER tr_invoice_audit BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION invoice_noop()");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void showsCatalogObjectsAndDdl(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            createObjects(ctx);
            SchemaService schema = ctx.get(SchemaService.class);
            String s = InspectDatabases.schema(ctx);
            SchemaNode node = schema.schemas().stream().filter(n -> n.name().equals(s)).findFirst().orElseThrow();
            assertThat(node.sequences()).extracting(SchemaObject::name).contains(InspectDatabases.name(ctx, "invoice_numbers"));
            SchemaObject seq = node.sequences().stream().filter(o -> o.name().equals(InspectDatabases.name(ctx, "invoice_numbers")))
                    .findFirst().orElseThrow();
            assertThat(seq.definition()).isEqualTo("START WITH 1000 INCREMENT BY 5");
            SchemaObject trigger = node.triggers().stream().filter(o -> o.name().equals(InspectDatabases.name(ctx, "tr_invoice_audit")))
                    .findFirst().orElseThrow();
            assertThat(trigger.table()).isEqualTo(InspectDatabases.name(ctx, "invoices"));
            assertThat(trigger.definition()).containsIgnoringCase("BEFORE INSERT");
            List<SchemaObject> invoiceConstraints = node.constraints().stream()
                    .filter(o -> o.table().equals(InspectDatabases.name(ctx, "invoices"))).toList();
            assertThat(invoiceConstraints).extracting(SchemaObject::name, SchemaObject::kind).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple(InspectDatabases.name(ctx, "ck_invoice_amount"), SchemaObject.Kind.CHECK),
                    org.assertj.core.groups.Tuple.tuple(InspectDatabases.name(ctx, "uq_invoice_code"), SchemaObject.Kind.UNIQUE));
            SchemaObject check = invoiceConstraints.stream().filter(o -> o.kind() == SchemaObject.Kind.CHECK).findFirst().orElseThrow();
            assertThat(check.definition()).startsWith("CHECK (").containsIgnoringCase("amount").contains(">=");
            SchemaObject unique = invoiceConstraints.stream().filter(o -> o.kind() == SchemaObject.Kind.UNIQUE).findFirst().orElseThrow();
            assertThat(unique.definition()).containsIgnoringCase("UNIQUE (").containsIgnoringCase("code");

            String table = schema.ddl(schema.details(schema.find(s, InspectDatabases.name(ctx, "invoices"))));
            assertThat(table).startsWith("CREATE TABLE \"" + s + "\".\"" + InspectDatabases.name(ctx, "invoices") + "\" (")
                    .containsIgnoringCase("PRIMARY KEY").containsIgnoringCase("CHECK (").containsIgnoringCase("UNIQUE (")
                    .containsIgnoringCase("NOT NULL").containsIgnoringCase("DEFAULT 0")
                    .containsIgnoringCase("CREATE INDEX").contains(InspectDatabases.name(ctx, "ix_invoice_note"))
                    .containsIgnoringCase("CREATE TRIGGER");
            // the DDL recreates the table: run it in a scratch schema and compare the columns
            String view = schema.ddl(schema.details(schema.find(s, InspectDatabases.name(ctx, "big_invoices"))));
            assertThat(view).startsWith("CREATE VIEW \"" + s + "\".\"" + InspectDatabases.name(ctx, "big_invoices") + "\" AS")
                    .containsIgnoringCase("amount").contains(">");

            TableDetails links = schema.details(schema.find(s, InspectDatabases.name(ctx, "user_departments")));
            assertThat(schema.ddl(links)).containsIgnoringCase("FOREIGN KEY").containsIgnoringCase("REFERENCES")
                    .doesNotContain("null");
        }
    }
}
