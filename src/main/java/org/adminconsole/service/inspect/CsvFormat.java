package org.adminconsole.service.inspect;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * How the export writes CSV: RFC 4180 quoting, CRLF line ends, and text that a spreadsheet would run as a formula
 * neutralised with a leading {@code '}.
 */
final class CsvFormat {

    private CsvFormat() {
    }

    /**
     * Writes the header and then every row of {@code rs} (its columns in header order), neutralising the columns
     * marked; every {@code every} rows it stops if the task was cancelled and reports progress ({@code total} < 0:
     * unknown) and the rows written. Returns the rows written (without the header).
     */
    static long writeAll(java.sql.ResultSet rs, Writer w, List<String> header, boolean[] neutralise, long total, int every)
            throws java.sql.SQLException, IOException {
        org.adminconsole.support.TaskHandle task = org.adminconsole.support.TaskHandle.current();
        writeRow(w, header);
        String[] values = new String[header.size()];
        long n = 0;
        while (rs.next()) {
            for (int i = 0; i < values.length; i++) {
                String v = CellFormat.text(rs.getObject(i + 1));
                values[i] = neutralise[i] ? neutralise(v) : v;
            }
            writeRow(w, java.util.Arrays.asList(values));
            if (++n % every == 0) {
                task.throwIfCancelled();
                task.progress(n, total < 0 ? -1 : Math.max(total, n));
                task.message(String.format("%,d rows written", n));
            }
        }
        task.throwIfCancelled();
        task.progress(n, total < 0 ? -1 : Math.max(total, n));
        return n;
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

    /** Per column, whether its text values are neutralised: every non-numeric column when {@code enabled}. */
    static boolean[] neutralisedColumns(List<ColumnInfo> cols, boolean enabled) {
        boolean[] neutralise = new boolean[cols.size()];
        for (int i = 0; i < neutralise.length; i++) {
            neutralise[i] = enabled && !isNumeric(cols.get(i));
        }
        return neutralise;
    }

    private static boolean isNumeric(ColumnInfo c) {
        return switch (c.jdbcType()) {
            case java.sql.Types.TINYINT, java.sql.Types.SMALLINT, java.sql.Types.INTEGER, java.sql.Types.BIGINT,
                 java.sql.Types.DECIMAL, java.sql.Types.NUMERIC, java.sql.Types.REAL, java.sql.Types.FLOAT,
                 java.sql.Types.DOUBLE -> true;
            default -> false;
        };
    }
}
