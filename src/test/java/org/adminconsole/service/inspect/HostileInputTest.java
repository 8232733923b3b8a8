package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.adminconsole.AppContext;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.monitor.ExplainService;
import org.adminconsole.support.CancelledException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input to every entry of the inspection services (filters of every column type, sort columns, export paths,
 * SQL text): whatever happens, only the console's own exceptions leave a service (a message for the operator), never a
 * driver's, parser's or the JDK's; and nothing changes.
 */
class HostileInputTest {

    @TempDir Path dir;
    @TempDir Path out;

    static final List<String> VALUES = List.of("", " ", "1e999999999", "-1e999999999", "1e-999999999", "1e99999999999",
            "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999999999999", "NaN", "Infinity", "-0",
            "0x10", "1_000", "１２３", "١٢٣", "12,5", "1.2.3", "'; DROP TABLE users; --", "\" OR 1=1 --", "%", "_", "\\",
            "\u0000", "a\u0000b", "\u202Eevil", "\u200B", "x".repeat(100_000), "2024-02-30", "9999-12-31 23:59:59.999999999",
            "-infinity", "epoch", "00000000-0000-0000-0000-00000000000g", "true; DROP", "\ud800", "NULL", "null");

    static final List<String> PATHS = List.of("", " ", "\u0000", "a\u0000b.csv", "/", ".", "..", "/dev/null",
            "/proc/self/mem", "/etc/passwd", "x".repeat(5000) + ".csv", "/nonexistent/dir/x.csv", "con", "CON.csv", "~/x.csv",
            "file:///tmp/x.csv", "\\\\server\\share\\x.csv", "*.csv", "?.csv", "/tmp/" + "y".repeat(300) + ".csv");

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void onlyTheConsolesOwnExceptionsLeaveTheInspectionServices(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            ctx.get(DemoDataService.class).generate(10);
            InspectDatabases.exec(ctx, "CREATE TABLE every_type (id INT PRIMARY KEY, s SMALLINT, b BIGINT, n NUMERIC(10,2), r REAL,"
                    + " f DOUBLE PRECISION, t VARCHAR(20), d DATE, ts TIMESTAMP, tm TIME, ok BOOLEAN, u UUID, bin "
                    + (db.equals("pg") ? "BYTEA" : "VARBINARY(10)") + ")");
            SchemaService schema = ctx.get(SchemaService.class);
            TableDetails table = schema.details(schema.find(InspectDatabases.schema(ctx), InspectDatabases.name(ctx, "every_type")));
            TableDataService data = ctx.get(TableDataService.class);
            CsvExporter exporter = ctx.get(CsvExporter.class);
            List<Callable<?>> calls = new ArrayList<>();
            for (String column : table.columnNames()) {
                for (Filter.Op op : List.of(Filter.Op.EQUALS, Filter.Op.GREATER, Filter.Op.CONTAINS)) {
                    for (String v : VALUES) {
                        TableQuery q = TableQuery.of(table).withFilters(List.of(new Filter(column, op, v)));
                        calls.add(() -> data.browse(q, 50).first());
                        if (v.length() < 100 && op == Filter.Op.GREATER) {
                            calls.add(() -> data.count(q));
                        }
                    }
                }
            }
            for (String column : List.of("nope", "", "\"; DROP TABLE users", "ID\u0000")) {
                calls.add(() -> data.browse(TableQuery.of(table).sortedBy(column, true), 50).first());
                calls.add(() -> data.browse(TableQuery.of(table).withFilters(List.of(new Filter(column, Filter.Op.EQUALS, "1"))), 50).first());
            }
            for (String path : PATHS) {
                calls.add(() -> exporter.checkTarget(path));
                calls.add(() -> exporter.export(TableQuery.of(table), path));
            }
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            ExplainService explain = ctx.get(ExplainService.class);
            for (String sql : List.of("", "\u0000", "SELECT '\u0000'", "SELECT \u202E1", "SELECT " + "(".repeat(5000) + "1" + ")".repeat(5000),
                    "SELECT 1 FROM " + "t, ".repeat(2000) + "t", "SELECT ?", "SELECT * FROM users WHERE id = ?", "SELECT $1",
                    "SELECT 'x'::regclass", "SELECT 1/0", "SELECT CAST('x' AS INT)", "SELECT \ud800")) {
                calls.add(() -> console.run(sql));
                calls.add(() -> console.explain(sql));
                calls.add(() -> explain.explain(sql, List.of()));
            }
            Path workingFolder = Path.of("").toAbsolutePath();
            List<Path> inWorkingFolder;
            try (var files = Files.list(workingFolder)) {
                inWorkingFolder = files.toList();
            }
            assertThat(refusals(calls, "")).isGreaterThan(calls.size() / 2);
            assertThat(InspectDatabases.longValue(ctx, "SELECT COUNT(*) FROM users")).isEqualTo(10);
            try (var files = Files.list(out)) {
                assertThat(files.toList()).isEmpty();
            }
            try (var files = Files.list(workingFolder)) {
                assertThat(files.toList()).as("nothing written where the console was started").containsExactlyInAnyOrderElementsOf(inWorkingFolder);
            }
        }
    }

    /**
     * Runs every call; counts those refused with one of the console's own exceptions (closing any result cursor) and
     * fails on any other exception leaving a service ({@code where}: e.g. " on a profile").
     */
    static int refusals(List<Callable<?>> calls, String where) {
        int refused = 0;
        for (Callable<?> call : calls) {
            try {
                Object r = call.call();
                if (r instanceof SqlConsoleService.Result result && result.cursor() != null) {
                    result.cursor().close();
                }
            } catch (ValidationException | InspectionException | CancelledException e) {
                refused++;
            } catch (Exception | Error e) {
                if (!e.getClass().getName().startsWith("org.adminconsole.")) {
                    fail("An exception that is not the console's own left a service" + where + ": " + e, e);
                }
                refused++;
            }
        }
        return refused;
    }
}
