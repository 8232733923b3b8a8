package org.adminconsole.service.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.HexFormat;

/**
 * Reads result-set values and turns them into text the same way everywhere (grids, copy, CSV), so an export
 * can be compared with what the screen showed. Large values are read only up to a limit for display.
 */
public final class CellFormat {

    /** Display limits: longer text / binary values become a {@link TruncatedValue}. */
    public static final int MAX_DISPLAY_CHARS = 500;
    public static final int MAX_DISPLAY_BYTES = 64;

    private CellFormat() {
    }

    /** Reads column {@code i} for display: small values as they are, large text or binary truncated. */
    public static Object readForDisplay(ResultSet rs, int i, int jdbcType) throws SQLException {
        switch (jdbcType) {
            case Types.CLOB, Types.NCLOB, Types.LONGVARCHAR, Types.LONGNVARCHAR -> {
                Reader r = rs.getCharacterStream(i);
                if (r == null) {
                    return null;
                }
                try (r) {
                    char[] buf = new char[MAX_DISPLAY_CHARS + 1];
                    int n = 0;
                    int k;
                    while (n < buf.length && (k = r.read(buf, n, buf.length - n)) > 0) {
                        n += k;
                    }
                    if (n <= MAX_DISPLAY_CHARS) {
                        return new String(buf, 0, Math.max(0, n));
                    }
                    return new TruncatedValue(new String(buf, 0, MAX_DISPLAY_CHARS), -1, false);
                } catch (IOException e) {
                    throw new SQLException("Cannot read column " + i + ": " + e.getMessage(), e);
                }
            }
            case Types.BLOB, Types.LONGVARBINARY -> {
                InputStream in = rs.getBinaryStream(i);
                if (in == null) {
                    return null;
                }
                try (in) {
                    byte[] b = in.readNBytes(MAX_DISPLAY_BYTES + 1);
                    return b.length <= MAX_DISPLAY_BYTES ? b : new TruncatedValue(hex(b, MAX_DISPLAY_BYTES), -1, true);
                } catch (IOException e) {
                    throw new SQLException("Cannot read column " + i + ": " + e.getMessage(), e);
                }
            }
            default -> {
                Object v = rs.getObject(i);
                if (v instanceof String s && s.length() > MAX_DISPLAY_CHARS) {
                    return new TruncatedValue(s.substring(0, MAX_DISPLAY_CHARS), s.length(), false);
                }
                if (v instanceof byte[] b && b.length > MAX_DISPLAY_BYTES) {
                    return new TruncatedValue(hex(b, MAX_DISPLAY_BYTES), b.length, true);
                }
                return v;
            }
        }
    }

    /** The full text of a value (CSV, full-value viewer); null stays null. */
    public static String text(Object v) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime().toString().replace('T', ' ');
        }
        if (v instanceof Time t) {
            return t.toLocalTime().toString();
        }
        if (v instanceof java.time.LocalDateTime t) {
            return t.toString().replace('T', ' ');
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (v instanceof Clob c) {
            long len = c.length();
            return c.getSubString(1, (int) Math.min(len, Integer.MAX_VALUE - 8));
        }
        if (v instanceof Blob b) {
            return HexFormat.of().formatHex(b.getBytes(1, (int) Math.min(b.length(), Integer.MAX_VALUE - 8)));
        }
        if (v instanceof Array a) {
            Object arr = a.getArray();
            return arr instanceof Object[] oa ? java.util.Arrays.deepToString(oa) : String.valueOf(arr);
        }
        if (v instanceof Object[] oa) {
            return java.util.Arrays.deepToString(oa);
        }
        return v.toString();
    }

    /** What a grid cell shows: the text, the truncated preview, or NULL. */
    public static String display(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof TruncatedValue t) {
            return t.toString();
        }
        try {
            return text(v);
        } catch (SQLException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static String hex(byte[] b, int max) {
        return HexFormat.of().formatHex(b, 0, Math.min(max, b.length));
    }

    /** Tab-separated text of rows (for the clipboard): one line per row, tabs and newlines inside cells as spaces. */
    public static String tsv(java.util.List<? extends java.util.List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        for (java.util.List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    sb.append('\t');
                }
                String s = row.get(i);
                sb.append(s == null ? "" : s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' '));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
