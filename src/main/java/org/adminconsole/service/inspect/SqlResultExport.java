package org.adminconsole.service.inspect;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.adminconsole.persistence.JdbcCancel;
import org.adminconsole.support.CancelledException;
import org.adminconsole.support.TaskHandle;

/**
 * Exports a SQL console query to CSV: the query runs again, through the same gates and reader connection as
 * {@link SqlConsoleService#run} (parser, dialect statement count, a read-only login in a rolled-back read-only
 * transaction with the console's statement timeout), and its rows are streamed to the file without the console's row
 * cap. The file rules are {@link CsvExporter}'s: the target is checked first, rows go to a hidden {@code .part} file
 * moved into place only when complete, an existing file is replaced only when the operator confirmed, text that a
 * spreadsheet would run as a formula is neutralised ({@code export.neutraliseFormulas}), the file is owner-only.
 */
public final class SqlResultExport {

    private static final int FETCH_SIZE = 1000;

    private final CsvExporter exporter;
    private final java.util.function.Supplier<ReaderConnections> readersOf;

    public SqlResultExport(CsvExporter exporter, ReaderConnections readers) {
        this(exporter, () -> readers);
    }

    /** Reading through whichever reader connections {@code readers} gives when an export starts (an opened profile's). */
    public SqlResultExport(CsvExporter exporter, java.util.function.Supplier<ReaderConnections> readers) {
        this.exporter = exporter;
        this.readersOf = readers;
    }

    public CsvExporter.Target checkTarget(String path) {
        return exporter.checkTarget(path);
    }

    /** Streams every row of {@code sql} to {@code path}; see {@link CsvExporter#export(TableQuery, String, boolean)}. */
    public CsvExporter.Result export(String sql, String path, boolean replaceConfirmed) {
        TaskHandle task = TaskHandle.current();
        CsvExporter.Target checked = exporter.checkTarget(path);
        Path target = checked.file();
        if (checked.exists() && !replaceConfirmed) {
            throw new CsvExporter.TargetExistsException(target);
        }
        QueryGate.check(sql, Set.of()); // refused before any connection opens
        ReaderConnections readers = readersOf.get();
        Connection c = readers.open();
        Path tmp = null;
        boolean done = false;
        String ran = null;
        long t0 = System.nanoTime();
        try {
            QueryGate.Checked q = readers.check(c, sql);
            ran = q.sql();
            tmp = ExportFiles.createPart(target);
            long rows;
            try (PreparedStatement ps = readers.prepare(c, q.sql());
                 TaskHandle.Registration reg = JdbcCancel.onTaskCancel(ps)) {
                if (ps.getMetaData() == null) {
                    throw QueryGate.refused("this statement does not return rows, so it is not a query");
                }
                ps.setFetchSize(FETCH_SIZE);
                task.throwIfCancelled();
                try (ResultSet rs = ps.executeQuery();
                     Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8), 1 << 16)) {
                    rows = write(rs, w);
                }
            }
            readers.logged(ran, System.nanoTime() - t0, rows, null);
            ExportFiles.moveIntoPlace(tmp, target, replaceConfirmed);
            done = true;
            return new CsvExporter.Result(target, rows, Files.size(target));
        } catch (SQLException e) {
            RuntimeException f = task.isCancelled() ? new CancelledException("Export cancelled.", e) : readers.translate(e);
            logged(readers, ran, t0, f);
            throw f;
        } catch (IOException e) {
            throw new InspectionException("Writing " + target + " failed: " + ExportFiles.reason(e) + ". No file was written.", e);
        } catch (RuntimeException e) {
            logged(readers, ran, t0, e);
            throw e;
        } finally {
            if (!done && tmp != null) {
                ExportFiles.discard(tmp);
            }
            ReaderConnections.release(c);
        }
    }

    private long write(ResultSet rs, Writer w) throws SQLException, IOException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> header = new ArrayList<>();
        List<ColumnInfo> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            header.add(md.getColumnLabel(i));
            cols.add(new ColumnInfo(md.getColumnLabel(i), md.getColumnTypeName(i), md.getColumnType(i), 0, 0, true, null, 0));
        }
        boolean[] neutralise = CsvFormat.neutralisedColumns(cols, exporter.neutraliseFormulas());
        return CsvFormat.writeAll(rs, w, header, neutralise, -1, FETCH_SIZE); // no count query for an arbitrary query
    }

    private static void logged(ReaderConnections readers, String ran, long t0, RuntimeException f) {
        if (ran != null) {
            readers.logged(ran, System.nanoTime() - t0, 0, f.getMessage() == null ? f.getClass().getSimpleName() : f.getMessage());
        }
    }
}
