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

    /** The value to bind for this filter, or null for IS NULL / IS NOT NULL. */
    public static Object parse(ColumnInfo col, Filter.Op op, String raw) {
        if (!op.needsValue()) {
            return null;
        }
        String v = raw == null ? "" : raw.trim();
        if (op == Filter.Op.CONTAINS) {
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
                try {
                    return Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw bad(col, "'" + raw + "' is not a whole number");
                }
            }
            case Types.DECIMAL, Types.NUMERIC -> {
                try {
                    return new BigDecimal(v);
                } catch (NumberFormatException e) {
                    throw bad(col, "'" + raw + "' is not a number (use a dot for decimals, e.g. 12.50)");
                }
            }
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> {
                try {
                    return Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw bad(col, "'" + raw + "' is not a number");
                }
            }
            case Types.BOOLEAN, Types.BIT -> {
                if (op != Filter.Op.EQUALS) {
                    throw bad(col, "a true/false column can only be compared with '='");
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
