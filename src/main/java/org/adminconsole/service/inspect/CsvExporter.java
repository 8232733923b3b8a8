package org.adminconsole.service.inspect;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.adminconsole.config.FilePermissions;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.persistence.TxOptions;
import org.adminconsole.support.TaskHandle;
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

    private final Transactions tx;
    private final Path dataDir;
    private final boolean neutraliseFormulas;

    public CsvExporter(Transactions tx, Path dataDir, boolean neutraliseFormulas) {
        this.tx = tx;
        this.dataDir = dataDir;
        this.neutraliseFormulas = neutraliseFormulas;
    }

    /** Checks the target path without writing; a {@link ValidationException} on field {@value #PATH_FIELD} otherwise. */
    public Target checkTarget(String path) {
        if (path == null || path.isBlank()) {
            throw new ValidationException(PATH_FIELD, "Choose the file to export to.");
        }
        Path target;
        try {
            target = Path.of(path.trim());
        } catch (java.nio.file.InvalidPathException e) {
            throw new ValidationException(PATH_FIELD, "'" + path + "' is not a valid file name: " + e.getReason() + ".");
        }
        if (!target.isAbsolute()) {
            // a relative name would land in whatever folder the console was started from
            throw new ValidationException(PATH_FIELD, "Give the full path of the file, e.g. "
                    + Path.of(System.getProperty("user.home"), "export.csv") + " (Browse… picks one).");
        }
        Path parent = target.getParent();
        if (Files.isDirectory(target)) {
            throw new ValidationException(PATH_FIELD, target + " is a folder: give a file name, e.g. " + target.resolve("export.csv") + ".");
        }
        if (parent == null || !Files.exists(parent)) {
            throw new ValidationException(PATH_FIELD, "Cannot export to " + target + ": the folder " + parent + " does not exist.");
        }
        if (!Files.isDirectory(parent)) {
            throw new ValidationException(PATH_FIELD, "Cannot export to " + target + ": " + parent + " is a file, not a folder.");
        }
        if (!Files.isWritable(parent)) {
            throw new ValidationException(PATH_FIELD, "Cannot export to " + target + ": the folder " + parent + " is not writable.");
        }
        if (insideDataFolder(parent) || Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && insideDataFolder(target)) {
            throw new ValidationException(PATH_FIELD, "Cannot export to " + target + ": it is inside the console's data folder "
                    + dataDir + ", which holds the database, settings and history. Choose another folder.");
        }
        boolean exists = Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (exists && !Files.isRegularFile(target)) {
            throw new ValidationException(PATH_FIELD, "Cannot export to " + target + ": it exists and is not a regular file.");
        }
        return new Target(target, exists);
    }

    /** Whether {@code p} (links resolved) is the data folder or inside it. */
    private boolean insideDataFolder(Path p) {
        if (dataDir == null) {
            return false;
        }
        try {
            Path data = dataDir.toAbsolutePath().normalize();
            data = Files.exists(data) ? data.toRealPath() : data;
            Path real = Files.exists(p) ? p.toRealPath() : p.toAbsolutePath().normalize();
            return real.startsWith(data);
        } catch (IOException e) {
            return true; // cannot tell: refuse rather than risk the database
        }
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
        TaskHandle task = TaskHandle.current();
        Target checked = checkTarget(path);
        Path target = checked.file();
        if (checked.exists() && !replaceConfirmed) {
            throw new TargetExistsException(target);
        }
        new TableDataService(tx).validate(query);
        long total = new TableDataService(tx).count(query);
        Path tmp;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
            FilePermissions.ownerOnly(tmp);
        } catch (IOException e) {
            throw new ValidationException(PATH_FIELD, "Cannot write to " + target.getParent() + ": " + reason(e) + ".");
        }
        boolean done = false;
        try {
            long rows = tx.execute(TxOptions.read("inspect.export").timeout(tx.longTimeout()), s -> s.doReturningWork(c -> {
                TableSql.Sql sql = new TableSql(query, Identifiers.of(c)).all();
                List<ColumnInfo> cols = query.table().columns();
                boolean[] neutralise = new boolean[cols.size()];
                for (int i = 0; i < neutralise.length; i++) {
                    neutralise[i] = neutraliseFormulas && !isNumeric(cols.get(i));
                }
                tx.dialect().streamResults(c, true);
                try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8), 1 << 16);
                     PreparedStatement ps = TableDataService.prepare(c, sql)) {
                    ps.setFetchSize(FETCH_SIZE);
                    writeRow(w, query.table().columnNames());
                    long n = 0;
                    String[] values = new String[cols.size()];
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            for (int i = 0; i < values.length; i++) {
                                String v = CellFormat.text(rs.getObject(i + 1));
                                values[i] = neutralise[i] ? neutralise(v) : v;
                            }
                            writeRow(w, java.util.Arrays.asList(values));
                            if (++n % FETCH_SIZE == 0) {
                                task.throwIfCancelled();
                                task.progress(n, Math.max(total, n));
                            }
                        }
                    }
                    task.throwIfCancelled();
                    task.progress(n, Math.max(total, n));
                    return n;
                } catch (SQLException e) {
                    throw Inspection.cancelledOr(e);
                } catch (IOException e) {
                    throw new InspectionException("Writing " + target + " failed: " + reason(e) + ". No file was written.", e);
                } finally {
                    try {
                        tx.dialect().streamResults(c, false); // the pooled connection goes back as it came
                    } catch (SQLException resetFailure) {
                        // a broken connection is evicted by the pool; the export's own failure is what matters
                    }
                }
            }));
            moveIntoPlace(tmp, target, replaceConfirmed);
            done = true;
            return new Result(target, rows, Files.size(target));
        } catch (IOException e) {
            throw new InspectionException("Cannot write " + target + ": " + reason(e) + ". No file was written.", e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the .part file is hidden and named after the target
                }
            }
        }
    }

    private static void moveIntoPlace(Path tmp, Path target, boolean replace) throws IOException {
        if (replace) {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return;
        }
        try {
            // a hard link fails if the name exists, atomically: a file that appeared meanwhile is never replaced
            Files.createLink(target, tmp);
            Files.delete(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new TargetExistsException(target);
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new TargetExistsException(target);
            }
            Files.move(tmp, target); // no REPLACE_EXISTING: fails if the name exists
        }
    }

    /** Characters that make a spreadsheet read a cell as a formula when they come first. */
    static boolean startsLikeFormula(String v) {
        if (v == null || v.isEmpty()) {
            return false;
        }
        char c = v.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    /** The value with a leading {@code '} when a spreadsheet would run it as a formula. */
    static String neutralise(String v) {
        return startsLikeFormula(v) ? "'" + v : v;
    }

    private static boolean isNumeric(ColumnInfo c) {
        return switch (c.jdbcType()) {
            case java.sql.Types.TINYINT, java.sql.Types.SMALLINT, java.sql.Types.INTEGER, java.sql.Types.BIGINT,
                 java.sql.Types.DECIMAL, java.sql.Types.NUMERIC, java.sql.Types.REAL, java.sql.Types.FLOAT,
                 java.sql.Types.DOUBLE -> true;
            default -> false;
        };
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "access denied";
        }
        if (e instanceof NoSuchFileException) {
            return "the folder does not exist";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage();
    }

    /** One CSV record: fields with comma, quote, CR or LF are quoted, quotes doubled; null is an empty field. */
    static void writeRow(Writer w, List<String> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            String v = values.get(i);
            if (v == null) {
                continue;
            }
            if (needsQuotes(v)) {
                w.write('"');
                w.write(v.replace("\"", "\"\""));
                w.write('"');
            } else {
                w.write(v);
            }
        }
        w.write("\r\n");
    }

    private static boolean needsQuotes(String v) {
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r') {
                return true;
            }
        }
        return v.isEmpty();
    }

}
