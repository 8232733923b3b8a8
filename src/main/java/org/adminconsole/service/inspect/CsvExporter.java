package org.adminconsole.service.inspect;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.service.ValidationException;

/**
 * Exports a table (with its filters and order) to CSV: RFC 4180 quoting, CRLF line ends, UTF-8, a header
 * row. Rows are streamed from a forward-only cursor with a fetch size (memory stays flat whatever the row
 * count) into a temporary file next to the target, which is moved into place only when complete: a failed or
 * cancelled export leaves no partial file and does not touch an existing target.
 *
 * <p>Safe by default:
 * <ul>
 *   <li>text values that a spreadsheet would run as a formula (starting with {@code =}, {@code +}, {@code -},
 *       {@code @}, tab or carriage return) get a leading {@code '} ({@code export.neutraliseFormulas});</li>
 *   <li>an existing file is replaced only when the caller says the operator confirmed it, and never through a link
 *       into the data folder;</li>
 *   <li>no export goes into the console's data folder (the database, settings and history live there);</li>
 *   <li>the file is readable by its owner only (POSIX 0600).</li>
 * </ul>
 * The format is {@link CsvFormat}'s; checking the target and putting the file in place is {@link ExportFiles}'s.
 */
public final class CsvExporter {

    public static final String PATH_FIELD = "path";
    private static final int FETCH_SIZE = 1000;

    /** The written file, its row count (without the header) and size. */
    public record Result(Path file, long rows, long bytes) {
    }

    /** A checked export target: where it is, and whether a file is there already (replacing it needs a confirmation). */
    public record Target(Path file, boolean exists) {
    }

    /** The target exists and the operator has not confirmed replacing it. */
    public static final class TargetExistsException extends ValidationException {
        public TargetExistsException(Path file) {
            super(PATH_FIELD, file + " exists already. Confirm to replace it, or choose another name.");
        }
    }

    private final InspectSource tx;
    private final ExportFiles files;
    private final boolean neutraliseFormulas;

    public CsvExporter(Transactions tx, Path dataDir, boolean neutraliseFormulas) {
        this(InspectSource.console(null, tx), dataDir, neutraliseFormulas);
    }

    /** Exporting from {@code source}: the console's database or an opened connection profile. */
    public CsvExporter(InspectSource source, Path dataDir, boolean neutraliseFormulas) {
        this.tx = source;
        this.files = new ExportFiles(dataDir);
        this.neutraliseFormulas = neutraliseFormulas;
    }

    /** Whether text that a spreadsheet would run as a formula is neutralised (shared with {@link SqlResultExport}). */
    boolean neutraliseFormulas() {
        return neutraliseFormulas;
    }

    /** Checks the target path without writing; a {@link ValidationException} on field {@value #PATH_FIELD} otherwise. */
    public Target checkTarget(String path) {
        return files.check(path);
    }

    /** Streams every row of the query to {@code path}, which must not exist yet. */
    public Result export(TableQuery query, String path) {
        return export(query, path, false);
    }

    /**
     * Streams every row of the query to {@code path}. An existing file is replaced only with {@code replaceConfirmed}
     * (the operator said so); otherwise {@link TargetExistsException}. Cancelling (or a failure) leaves no file behind
     * and the existing file untouched.
     */
    public Result export(TableQuery query, String path, boolean replaceConfirmed) {
        TableDataService data = new TableDataService(tx, TableDataService.EXACT_COUNT_LIMIT);
        data.validate(query);
        List<ColumnInfo> cols = query.table().columns();
        return export(new Rows(query.table().columnNames(), CsvFormat.neutralisedColumns(cols, true),
                () -> data.count(query), c -> TableDataService.prepare(c, new TableSql(query, Identifiers.of(c)).all())),
                path, replaceConfirmed);
    }

    /** Prepares the statement whose rows an export streams, on the export's own connection. */
    @FunctionalInterface
    public interface Statement {
        PreparedStatement prepare(java.sql.Connection c) throws SQLException;
    }

    /**
     * What an export streams: the header, which columns hold free text (their formulas are neutralised when
     * {@code export.neutraliseFormulas} is on), the row count for the progress bar (asked once, before the rows) and
     * the statement, whose columns are in header order.
     */
    public record Rows(List<String> header, boolean[] freeText, java.util.function.LongSupplier expected, Statement statement) {
    }

    /**
     * Streams the rows to {@code path} (the same rules as a table export: checked target, a replace only when
     * confirmed, flat memory, no partial file on failure or cancel).
     */
    public Result export(Rows source, String path, boolean replaceConfirmed) {
        Target checked = checkTarget(path);
        Path target = checked.file();
        if (checked.exists() && !replaceConfirmed) {
            throw new TargetExistsException(target);
        }
        long total = source.expected().getAsLong();
        Path tmp = ExportFiles.createPart(target);
        boolean done = false;
        try {
            long rows = tx.read("inspect.export", tx.longTimeout(), c -> {
                boolean[] neutralise = new boolean[source.header().size()];
                for (int i = 0; i < neutralise.length; i++) {
                    neutralise[i] = neutraliseFormulas && source.freeText()[i];
                }
                tx.dialect().streamResults(c, true);
                try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8), 1 << 16);
                     PreparedStatement ps = source.statement().prepare(c)) {
                    ps.setFetchSize(FETCH_SIZE);
                    try (ResultSet rs = ps.executeQuery()) {
                        return CsvFormat.writeAll(rs, w, source.header(), neutralise, total, FETCH_SIZE);
                    }
                } catch (SQLException e) {
                    throw Inspection.cancelledOr(e);
                } catch (IOException e) {
                    throw new InspectionException("Writing " + target + " failed: " + ExportFiles.reason(e) + ". No file was written.", e);
                } finally {
                    try {
                        tx.dialect().streamResults(c, false); // the pooled connection goes back as it came
                    } catch (SQLException resetFailure) {
                        // a broken connection is evicted by the pool; the export's own failure is what matters
                    }
                }
            });
            ExportFiles.moveIntoPlace(tmp, target, replaceConfirmed);
            done = true;
            return new Result(target, rows, Files.size(target));
        } catch (IOException e) {
            throw new InspectionException("Cannot write " + target + ": " + ExportFiles.reason(e) + ". No file was written.", e);
        } finally {
            if (!done) {
                ExportFiles.discard(tmp);
            }
        }
    }
}
