package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.Stream;
import org.adminconsole.AppContext;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.ValidationException;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.adminconsole.testing.Tasks;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvExporterTest {

    @TempDir Path dir;
    @TempDir Path out;

    private static TableDetails details(AppContext ctx, String table) throws Exception {
        SchemaService schema = ctx.get(SchemaService.class);
        return schema.details(schema.find(InspectDatabases.schema(ctx), InspectDatabases.name(ctx, table)));
    }

    private List<Path> filesIn(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void writesRfc4180Utf8WithFiltersAndOrder(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            InspectDatabases.exec(ctx, "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(100), price NUMERIC(8,2), ok BOOLEAN)");
            Object[][] rows = {
                    {1, "plain", "1.50", true},
                    {2, "comma, inside", "2.00", false},
                    {3, "quote \" inside", null, true},
                    {4, "line\nbreak\r\nhere", "4.25", null},
                    {5, "Grüße – 東京 ✓", "5.00", true},
                    {6, "", "6.00", true},
                    {7, null, "7.00", true},
                    {8, "filtered out", "8.00", false},
            };
            try (Connection c = InspectDatabases.admin(ctx); PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?, ?)")) {
                for (Object[] r : rows) {
                    ps.setObject(1, r[0]);
                    ps.setObject(2, r[1]);
                    ps.setObject(3, r[2] == null ? null : new java.math.BigDecimal((String) r[2]));
                    ps.setObject(4, r[3]);
                    ps.executeUpdate();
                }
            }
            TableDetails items = details(ctx, "items");
            TableQuery q = TableQuery.of(items).sortedBy(items.columnNames().get(0), true)
                    .withFilters(List.of(new Filter(items.columnNames().get(0), Filter.Op.LESS, "8")));
            Path target = out.resolve("items.csv");
            long[] lastProgress = new long[2];
            CsvExporter.Result r = Tasks.run(Tasks.handle("export", (done, total) -> {
                lastProgress[0] = done;
                lastProgress[1] = total;
            }), () -> ctx.get(CsvExporter.class).export(q, target.toString()));
            assertThat(r.rows()).isEqualTo(7);
            assertThat(lastProgress).containsExactly(7, 7);
            String header = String.join(",", items.columnNames());
            String expected = header + "\r\n"
                    + "7,,7.00,true\r\n"
                    + "6,\"\",6.00,true\r\n"
                    + "5,Grüße – 東京 ✓,5.00,true\r\n"
                    + "4,\"line\nbreak\r\nhere\",4.25,\r\n"
                    + "3,\"quote \"\" inside\",,true\r\n"
                    + "2,\"comma, inside\",2.00,false\r\n"
                    + "1,plain,1.50,true\r\n";
            assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(r.bytes()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8).length);
            assertThat(filesIn(out)).containsExactly(target);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void unwritableTargetsGiveAClearMessageAndLeaveNoFile(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            CsvExporter exporter = ctx.get(CsvExporter.class);
            TableQuery q = TableQuery.of(details(ctx, "departments"));
            Path aFile = Files.writeString(out.resolve("plain.txt"), "x");
            assertThatThrownBy(() -> exporter.export(q, out.resolve("missing/sub/x.csv").toString()))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors().get(CsvExporter.PATH_FIELD))
                            .contains("does not exist").contains("missing"));
            assertThatThrownBy(() -> exporter.export(q, aFile.resolve("x.csv").toString()))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("is a file, not a folder");
            assertThatThrownBy(() -> exporter.export(q, out.toString()))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("is a folder");
            assertThatThrownBy(() -> exporter.export(q, " "))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("Choose the file");
            assertThat(filesIn(out)).containsExactly(aFile);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void cancelledExportLeavesNoPartialFileAndKeepsAnExistingOne(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            ctx.get(DemoDataService.class).generate(3500);
            Path target = Files.writeString(out.resolve("users.csv"), "previous export");
            TaskHandle[] handle = new TaskHandle[1];
            handle[0] = Tasks.handle("export", (done, total) -> {
                if (done >= 2000) {
                    handle[0].cancel();
                }
            });
            assertThatThrownBy(() -> Tasks.run(handle[0], () -> ctx.get(CsvExporter.class).export(TableQuery.of(details(ctx, "users")),
                    target.toString()))).isInstanceOf(CancelledException.class);
            assertThat(filesIn(out)).containsExactly(target);
            assertThat(Files.readString(target)).isEqualTo("previous export");
        }
    }
}
