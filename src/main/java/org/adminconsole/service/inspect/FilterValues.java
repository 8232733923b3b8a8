package org.adminconsole.service.inspect;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import org.adminconsole.service.ValidationException;

/**
 * Parses a filter value typed by the operator into the Java type of its column, before any query is sent.
 * A value that does not parse is a {@link ValidationException} keyed by the column name.
 */
public final class FilterValues {

    private FilterValues() {
    }

    /** Values an IN list may hold. */
    public static final int MAX_IN_VALUES = 1000;

    private static final java.util.regex.Pattern BETWEEN_AND = java.util.regex.Pattern.compile("(?i)\\s+and\\s+");

    /**
     * The value to bind for this filter, or null for IS NULL / IS NOT NULL; for IN the list of values (split at
     * commas), for BETWEEN the two bounds (split at "and", or at a comma), each parsed for the column.
     */
    public static Object parse(ColumnInfo col, Filter.Op op, String raw) {
        if (!op.needsValue()) {
            return null;
        }
        if (op == Filter.Op.IN) {
            String text = raw == null ? "" : raw;
            java.util.List<String> parts = java.util.Arrays.stream(text.split(",", -1)).map(String::trim).toList();
            if (text.isBlank()) {
                throw bad(col, "'in' needs one or more values separated by commas (e.g. 1, 2, 3)");
            }
            if (parts.stream().anyMatch(String::isEmpty)) {
                throw bad(col, "the list '" + shown(text) + "' has an empty value (two commas in a row, or one at an end)");
            }
            if (parts.size() > MAX_IN_VALUES) {
                throw bad(col, "'in' takes at most " + MAX_IN_VALUES + " values (this list has " + parts.size() + ")");
            }
            java.util.List<Object> out = new java.util.ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                out.add(element(col, parts.get(i), "value " + (i + 1) + " of the list"));
            }
            return java.util.List.copyOf(out);
        }
        if (op == Filter.Op.BETWEEN) {
            String text = raw == null ? "" : raw.trim();
            String[] parts = BETWEEN_AND.split(text, -1);
            if (parts.length != 2) {
                parts = text.split(",", -1);
            }
            if (text.isEmpty() || parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw bad(col, "'between' needs two values, from and to (e.g. 10 and 20)"
                        + (text.isEmpty() ? "" : "; '" + shown(text) + "' is not two values"));
            }
            Object from = element(col, parts[0].trim(), "the 'from' value");
            Object to = element(col, parts[1].trim(), "the 'to' value");
            return java.util.List.of(from, to);
        }
        return single(col, op, raw);
    }

    /** One value of an IN list or a BETWEEN bound, its message saying which one failed. */
    private static Object element(ColumnInfo col, String raw, String which) {
        try {
            return single(col, Filter.Op.EQUALS, raw);
        } catch (ValidationException e) {
            String prefix = "Filter on " + col.name() + ": ";
            String m = e.getMessage();
            throw new ValidationException(col.name(), prefix + which + ": " + (m.startsWith(prefix) ? m.substring(prefix.length()) : m));
        }
    }

    private static Object single(ColumnInfo col, Filter.Op op, String raw) {
        String v = raw == null ? "" : raw.trim();
        if (raw != null && raw.indexOf('\u0000') >= 0) {
            throw bad(col, "the value contains the character U+0000 (NUL), which the database cannot compare");
        }
        if (raw != null && hasLoneSurrogate(raw)) {
            throw bad(col, "the value contains a broken character (half of a UTF-16 surrogate pair)");
        }
        if (op.isTextMatch()) {
            if (col.isBinary()) {
                throw bad(col, "binary columns can only be filtered with 'is null' / 'is not null'");
            }
            if (raw == null || raw.isEmpty()) {
                throw bad(col, "type the text to look for");
            }
            return raw;
        }
        if (col.isBinary()) {
            throw bad(col, "binary columns can only be filtered with 'is null' / 'is not null'");
        }
        if (col.isUuid()) {
            try {
                return UUID.fromString(v);
            } catch (IllegalArgumentException e) {
                throw bad(col, "'" + raw + "' is not a UUID (e.g. 123e4567-e89b-12d3-a456-426614174000)");
            }
        }
        switch (col.jdbcType()) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> {
                return wholeNumber(col, raw, v);
            }
            case Types.DECIMAL, Types.NUMERIC -> {
                return decimal(col, raw, v);
            }
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> {
                return floating(col, raw, v);
            }
            case Types.BOOLEAN, Types.BIT -> {
                if (op != Filter.Op.EQUALS && op != Filter.Op.NOT_EQUALS) {
                    throw bad(col, "a true/false column can only be compared with '=', '≠' or 'in'");
                }
                return switch (v.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "1", "t", "y" -> Boolean.TRUE;
                    case "false", "no", "0", "f", "n" -> Boolean.FALSE;
                    default -> throw bad(col, "'" + raw + "' is not true or false");
                };
            }
            case Types.DATE -> {
                try {
                    return LocalDate.parse(v);
                } catch (DateTimeParseException e) {
                    throw bad(col, "'" + raw + "' is not a date (yyyy-mm-dd)");
                }
            }
            case Types.TIME -> {
                try {
                    return LocalTime.parse(v);
                } catch (DateTimeParseException e) {
                    throw bad(col, "'" + raw + "' is not a time (hh:mm or hh:mm:ss)");
                }
            }
            case Types.TIMESTAMP -> {
                return timestamp(col, raw, v);
            }
            case Types.TIMESTAMP_WITH_TIMEZONE -> {
                try {
                    return OffsetDateTime.parse(v.replace(' ', 'T'));
                } catch (DateTimeParseException e) {
                    return timestamp(col, raw, v).atOffset(java.time.ZoneOffset.UTC);
                }
            }
            default -> {
                return raw == null ? "" : raw;
            }
        }
    }

    private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile("[+-]?[0-9]{1,4000}");
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?([0-9]{1,4000}(\\.[0-9]{0,4000})?|\\.[0-9]{1,4000})([eE][+-]?[0-9]{1,10})?");
    /** Digits a NUMERIC filter value may have before / after the decimal point when its column has no precision. */
    static final int MAX_NUMERIC_DIGITS = 1000;

    /** A whole number within the column type's range (TINYINT, SMALLINT, INTEGER, BIGINT). */
    private static Long wholeNumber(ColumnInfo col, String raw, String v) {
        if (!WHOLE.matcher(v).matches()) {
            throw bad(col, "'" + shown(raw) + "' is not a whole number");
        }
        java.math.BigInteger n = new java.math.BigInteger(v);
        long min;
        long max;
        String type;
        switch (col.jdbcType()) {
            case Types.TINYINT -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; type = "TINYINT"; }
            case Types.SMALLINT -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; type = "SMALLINT"; }
            case Types.INTEGER -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; type = "INTEGER"; }
            default -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; type = "BIGINT"; }
        }
        if (n.compareTo(java.math.BigInteger.valueOf(min)) < 0 || n.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw bad(col, "'" + shown(raw) + "' is beyond the range of " + type + " ("
                    + String.format(Locale.ROOT, "%,d to %,d", min, max) + ")");
        }
        return n.longValue();
    }

    /** A decimal number that fits the column's digits before the point (and has a sane number after it). */
    private static BigDecimal decimal(ColumnInfo col, String raw, String v) {
        if (!DECIMAL.matcher(v).matches()) {
            throw bad(col, "'" + shown(raw) + "' is not a number (use a dot for decimals, e.g. 12.50)");
        }
        BigDecimal d;
        try {
            d = new BigDecimal(v);
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(col, "'" + shown(raw) + "' is not a number the console can compare (its exponent is too large)");
        }
        boolean bounded = col.size() > 0 && col.size() <= MAX_NUMERIC_DIGITS;
        int maxBefore = bounded ? Math.max(0, col.size() - Math.max(0, col.decimalDigits())) : MAX_NUMERIC_DIGITS;
        BigDecimal plain = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        long before = (long) plain.precision() - plain.scale();
        if (before > maxBefore) {
            throw bad(col, "'" + shown(raw) + "' is beyond the range of " + col.displayType() + " (at most " + maxBefore
                    + " digit" + (maxBefore == 1 ? "" : "s") + " before the decimal point)");
        }
        if (plain.scale() > MAX_NUMERIC_DIGITS) {
            throw bad(col, "'" + shown(raw) + "' has too many decimal places (at most " + MAX_NUMERIC_DIGITS + ")");
        }
        return d;
    }

    /** A finite floating-point number within REAL or DOUBLE PRECISION, not silently rounded to zero or infinity. */
    private static Double floating(ColumnInfo col, String raw, String v) {
        if (!DECIMAL.matcher(v).matches()) {
            throw bad(col, "'" + shown(raw) + "' is not a number");
        }
        double d = Double.parseDouble(v);
        boolean real = col.jdbcType() == Types.REAL;
        double max = real ? Float.MAX_VALUE : Double.MAX_VALUE;
        String type = real ? "REAL (about ±3.4e38)" : "DOUBLE PRECISION (about ±1.8e308)";
        if (Double.isInfinite(d) || Math.abs(d) > max) {
            throw bad(col, "'" + shown(raw) + "' is beyond the range of " + type);
        }
        boolean nonZeroDigits = v.replaceAll("[eE].*$", "").chars().anyMatch(ch -> ch >= '1' && ch <= '9');
        if (nonZeroDigits && (d == 0 || real && (float) d == 0)) {
            throw bad(col, "'" + shown(raw) + "' is too close to zero for " + (real ? "REAL" : "DOUBLE PRECISION")
                    + " (it would be compared as 0)");
        }
        return d;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The operator's value as quoted in a message: long ones shortened. */
    private static String shown(String raw) {
        String r = raw == null ? "" : raw;
        return r.length() > 60 ? r.substring(0, 57) + "…" : r;
    }

    private static LocalDateTime timestamp(ColumnInfo col, String raw, String v) {
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay();
            }
            return LocalDateTime.parse(v.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw bad(col, "'" + raw + "' is not a date-time (yyyy-mm-dd, yyyy-mm-dd hh:mm or yyyy-mm-dd hh:mm:ss)");
        }
    }

    private static ValidationException bad(ColumnInfo col, String message) {
        return new ValidationException(col.name(), "Filter on " + col.name() + ": " + message + ".");
    }

    /** Escapes LIKE wildcards so the operator's text is matched literally (escape character: backslash). */
    static String likeContains(String text) {
        String e = text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + e + "%";
    }

    /** Escapes LIKE wildcards for a prefix match (case as typed). */
    static String likePrefix(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** Whether the column is compared directly with a bound value (else through a text cast). */
    static boolean comparableDirectly(ColumnInfo col) {
        if (col.isUuid()) {
            return true;
        }
        return switch (col.jdbcType()) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL, Types.NUMERIC, Types.REAL,
                 Types.FLOAT, Types.DOUBLE, Types.BOOLEAN, Types.BIT, Types.DATE, Types.TIME, Types.TIMESTAMP,
                 Types.TIMESTAMP_WITH_TIMEZONE, Types.CHAR, Types.VARCHAR, Types.NCHAR, Types.NVARCHAR,
                 Types.LONGVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB -> true;
            default -> false;
        };
    }
}
