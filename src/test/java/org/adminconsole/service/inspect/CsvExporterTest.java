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
            for (String relative : List.of("x.csv", "con", "~/x.csv", "../x.csv")) {
                assertThatThrownBy(() -> exporter.export(q, relative)).as(relative)
                        .isInstanceOf(ValidationException.class).hasMessageStartingWith("Give the full path of the file");
            }
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
                    target.toString(), true))).isInstanceOf(CancelledException.class);
            assertThat(filesIn(out)).containsExactly(target);
            assertThat(Files.readString(target)).isEqualTo("previous export");
        }
    }

    /** Text that a spreadsheet would run is neutralised by default; numbers stay numbers; the setting turns it off. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void spreadsheetFormulasAreNeutralisedUnlessTurnedOff(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            InspectDatabases.exec(ctx, "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(200), amount NUMERIC(8,2))");
            String[] bodies = {"=HYPERLINK(\"http://x\",\"y\")@x.com", "+1 555", "-2+3", "@SUM(A1)", "\tlead", "\rcr", "a=b", "plain"};
            try (Connection c = InspectDatabases.admin(ctx); PreparedStatement ps = c.prepareStatement("INSERT INTO notes VALUES (?, ?, ?)")) {
                for (int i = 0; i < bodies.length; i++) {
                    ps.setInt(1, i + 1);
                    ps.setString(2, bodies[i]);
                    ps.setBigDecimal(3, new java.math.BigDecimal(i % 2 == 0 ? "-5.00" : "7.50"));
                    ps.executeUpdate();
                }
            }
            TableDetails notes = details(ctx, "notes");
            TableQuery q = TableQuery.of(notes).sortedBy(notes.columnNames().get(0), false);
            Path safe = out.resolve("safe.csv");
            ctx.get(CsvExporter.class).export(q, safe.toString());
            String header = String.join(",", notes.columnNames()) + "\r\n";
            assertThat(Files.readString(safe)).isEqualTo(header
                    + "1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")@x.com\",-5.00\r\n"
                    + "2,'+1 555,7.50\r\n"
                    + "3,'-2+3,-5.00\r\n"
                    + "4,'@SUM(A1),7.50\r\n"
                    + "5,'\tlead,-5.00\r\n"
                    + "6,\"'\rcr\",7.50\r\n"
                    + "7,a=b,-5.00\r\n"
                    + "8,plain,7.50\r\n");
            Path raw = out.resolve("raw.csv");
            new CsvExporter(ctx.database().transactions(), ctx.settings().dataDir(), false).export(q, raw.toString());
            assertThat(Files.readString(raw)).contains("\r\n1,\"=HYPERLINK(").contains("\r\n3,-2+3,-5.00\r\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void anExistingFileIsReplacedOnlyWhenTheOperatorConfirmed(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            CsvExporter exporter = ctx.get(CsvExporter.class);
            TableQuery q = TableQuery.of(details(ctx, "departments"));
            Path target = Files.writeString(out.resolve("departments.csv"), "keep me");
            assertThat(exporter.checkTarget(target.toString()).exists()).isTrue();
            assertThatThrownBy(() -> exporter.export(q, target.toString()))
                    .isInstanceOf(CsvExporter.TargetExistsException.class).hasMessageContaining("exists already");
            assertThat(Files.readString(target)).isEqualTo("keep me");
            assertThat(filesIn(out)).containsExactly(target);
            CsvExporter.Result r = exporter.export(q, target.toString(), true);
            assertThat(Files.readString(target)).startsWith(String.join(",", details(ctx, "departments").columnNames()));
            Path fresh = out.resolve("fresh.csv");
            exporter.export(q, fresh.toString());
            if (org.adminconsole.config.FilePermissions.isPosix()) {
                for (Path p : List.of(r.file(), fresh)) {
                    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString())
                            .isEqualTo("rw-------");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void exportsIntoTheDataFolderAreRefusedEvenThroughALink(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            CsvExporter exporter = ctx.get(CsvExporter.class);
            TableQuery q = TableQuery.of(details(ctx, "departments"));
            Path database = Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".mv.db")).findFirst().orElseThrow();
            long before = Files.size(database);
            List<Path> dataFiles = filesIn(dir);
            Path linkToDir = Files.createSymbolicLink(out.resolve("data-link"), dir);
            Path linkToDb = Files.createSymbolicLink(out.resolve("db-link.csv"), database);
            for (Path p : List.of(dir.resolve("x.csv"), database, linkToDir.resolve("y.csv"), linkToDb, out.resolve("../" + dir.getFileName() + "/z.csv"))) {
                assertThatThrownBy(() -> exporter.export(q, p.toString(), true)).as(p.toString())
                        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage()).contains("data folder"));
            }
            assertThat(filesIn(dir)).containsExactlyInAnyOrderElementsOf(dataFiles);
            assertThat(Files.size(database)).isEqualTo(before);
        }
    }
}
