package org.adminconsole.service.audit;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Filters of the Activity view: operator (exact), table, and a time range in UTC ({@code from} inclusive,
 * {@code to} exclusive). {@link #parse} turns the operator's text into one, or into messages per field.
 */
public record ActivityFilter(String operator, String table, LocalDateTime from, LocalDateTime to) {

    public static final Set<String> TABLES = Set.of("users", "departments", "user_departments");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    public static ActivityFilter none() {
        return new ActivityFilter(null, null, null, null);
    }

    /** The parsed filter, or the messages for the fields that are wrong (keys: operator, table, from, to). */
    public sealed interface Parsed permits Valid, Invalid {
    }

    public record Valid(ActivityFilter filter) implements Parsed {
    }

    public record Invalid(Map<String, String> errors) implements Parsed {
        public Invalid {
            errors = Map.copyOf(errors);
        }
    }

    /**
     * Dates as {@code yyyy-MM-dd} or {@code yyyy-MM-dd HH:mm} (UTC). A "to" date alone covers that whole day, a "to"
     * with a time covers that minute.
     */
    public static Parsed parse(String operator, String table, String from, String to) {
        Map<String, String> errors = new LinkedHashMap<>();
        LocalDateTime f = null;
        LocalDateTime t = null;
        try {
            f = blank(from) ? null : time(from.trim(), false);
        } catch (DateTimeParseException e) {
            errors.put("from", "Not a date: use yyyy-MM-dd or yyyy-MM-dd HH:mm (UTC).");
        }
        try {
            t = blank(to) ? null : time(to.trim(), true);
        } catch (DateTimeParseException e) {
            errors.put("to", "Not a date: use yyyy-MM-dd or yyyy-MM-dd HH:mm (UTC).");
        }
        if (f != null && t != null && !t.isAfter(f)) {
            errors.put("to", "\"To\" is before \"from\": nothing could match.");
        }
        String tb = blank(table) ? null : table.trim();
        if (tb != null && !TABLES.contains(tb)) {
            errors.put("table", "Unknown table " + tb + ".");
        }
        if (operator != null && operator.trim().length() > 64) {
            errors.put("operator", "Operator names have at most 64 characters.");
        }
        if (!errors.isEmpty()) {
            return new Invalid(errors);
        }
        return new Valid(new ActivityFilter(blank(operator) ? null : operator.trim(), tb, f, t));
    }

    private static LocalDateTime time(String s, boolean end) {
        if (s.length() <= 10) {
            LocalDate d = LocalDate.parse(s);
            return end ? d.plusDays(1).atStartOfDay() : d.atStartOfDay();
        }
        LocalDateTime t = LocalDateTime.parse(s, MINUTE);
        return end ? t.plusMinutes(1) : t;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
