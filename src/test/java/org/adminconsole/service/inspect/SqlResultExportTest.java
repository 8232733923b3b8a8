package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.adminconsole.AppContext;
import org.adminconsole.service.ValidationException;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;
import org.adminconsole.testing.Tasks;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A SQL console query exported to CSV: streamed past the console's row cap, through the same gates (a write or a
 * second statement is refused and no file is written), with the export's formula and replace rules.
 */
class SqlResultExportTest {

    @TempDir Path dir;
    @TempDir Path out;

    private static List<Path> filesIn(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void exportsEveryRowThroughTheGates(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            SqlResultExport export = new SqlResultExport(ctx.get(CsvExporter.class), ctx.get(ReaderConnections.class));
            String range = db.equals("h2") ? "SELECT X AS n, '=cmd|' || X AS t FROM SYSTEM_RANGE(1, 12000) ORDER BY X"
                    : "SELECT x AS n, '=cmd|' || x AS t FROM generate_series(1, 12000) x ORDER BY x";
            Path target = out.resolve("range.csv");
            CsvExporter.Result r = export.export(range, target.toString(), false);
            assertThat(r.rows()).as("more than sql.maxRows (10,000): an export has no row cap").isEqualTo(12000);
            List<String> lines = Files.readAllLines(target);
            assertThat(lines).hasSize(12001);
            assertThat(lines.get(0)).isEqualToIgnoringCase("N,T");
            assertThat(lines.get(1)).isEqualTo("1,'=cmd|1");
            assertThat(lines.get(12000)).isEqualTo("12000,'=cmd|12000");

            // refused by the gates: nothing written, nothing changed
            long users = InspectDatabases.longValue(ctx, "SELECT COUNT(*) FROM users");
            for (String sql : List.of("DELETE FROM users", "SELECT 1; DELETE FROM users", "SELECT * FROM users FOR UPDATE")) {
                assertThatThrownBy(() -> export.export(sql, out.resolve("refused.csv").toString(), false)).as(sql)
                        .isInstanceOf(ValidationException.class).hasMessageContaining("Nothing was");
            }
            assertThat(InspectDatabases.longValue(ctx, "SELECT COUNT(*) FROM users")).isEqualTo(users);
            assertThat(filesIn(out)).containsExactly(target);

            // an existing file is replaced only when confirmed
            assertThatThrownBy(() -> export.export("SELECT 1 AS one", target.toString(), false))
                    .isInstanceOf(CsvExporter.TargetExistsException.class);
            assertThat(Files.readAllLines(target)).hasSize(12001);
            assertThat(export.export("SELECT 1 AS one", target.toString(), true).rows()).isEqualTo(1);
            assertThat(Files.readAllLines(target)).hasSize(2);
            // never into the data folder
            assertThatThrownBy(() -> export.export("SELECT 1 AS one", ctx.settings().dataDir().resolve("x.csv").toString(), false))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("data folder");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void aCancelledExportLeavesNoFile(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            SqlResultExport export = new SqlResultExport(ctx.get(CsvExporter.class), ctx.get(ReaderConnections.class));
            String range = db.equals("h2") ? "SELECT X FROM SYSTEM_RANGE(1, 50000)" : "SELECT x FROM generate_series(1, 50000) x";
            TaskHandle[] handle = new TaskHandle[1];
            handle[0] = Tasks.handle("export", (done, total) -> {
                if (done >= 3000) {
                    handle[0].cancel();
                }
            });
            assertThatThrownBy(() -> Tasks.run(handle[0], () -> export.export(range, out.resolve("x.csv").toString(), false)))
                    .isInstanceOf(CancelledException.class);
            assertThat(filesIn(out)).isEmpty();
        }
    }
}
