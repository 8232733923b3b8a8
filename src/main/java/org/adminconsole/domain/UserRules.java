package org.adminconsole.domain;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validation rules of a user's fields, shared by the editor (live, per field) and the service (again, before
 * anything is written). Each rule returns the message to show on its field; uniqueness needs the database
 * and is checked by the service.
 */
public final class UserRules {

    public static final int EMAIL_MAX = 254;
    public static final int USERNAME_MIN = 3;
    public static final int USERNAME_MAX = 64;
    public static final int SETTINGS_MAX = 10_000;
    /** NUMERIC(15, 2): at most 13 digits before the point. */
    public static final BigDecimal AMOUNT_MAX = new BigDecimal("9999999999999.99");

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");
    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9._-]+$");

    private UserRules() {
    }

    public static Optional<String> email(String email) {
        String e = email == null ? "" : email.trim();
        if (e.isEmpty()) {
            return Optional.of("Email is required.");
        }
        if (e.length() > EMAIL_MAX) {
            return Optional.of("Email must be at most " + EMAIL_MAX + " characters.");
        }
        if (!EMAIL.matcher(e).matches()) {
            return Optional.of("Email must look like name@example.com.");
        }
        return Optional.empty();
    }

    public static Optional<String> username(String username) {
        String u = username == null ? "" : username.trim();
        if (u.isEmpty()) {
            return Optional.of("Username is required.");
        }
        if (u.length() < USERNAME_MIN || u.length() > USERNAME_MAX) {
            return Optional.of("Username must be " + USERNAME_MIN + " to " + USERNAME_MAX + " characters long.");
        }
        if (!USERNAME.matcher(u).matches()) {
            return Optional.of("Username may contain only letters, digits, '.', '_' and '-'.");
        }
        return Optional.empty();
    }

    public static Optional<String> role(Role role) {
        return role == null ? Optional.of("Role is required.") : Optional.empty();
    }

    /** A money-like amount: required, a number, not negative, at most 2 decimals, fits NUMERIC(15, 2). */
    public static Optional<String> amount(String label, String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return Optional.of(label + " is required.");
        }
        BigDecimal v;
        try {
            v = new BigDecimal(t);
        } catch (NumberFormatException e) {
            return Optional.of(label + " must be a number, e.g. 1500 or 12.50.");
        }
        if (v.signum() < 0) {
            return Optional.of(label + " must not be negative.");
        }
        if (v.stripTrailingZeros().scale() > 2) {
            return Optional.of(label + " may have at most 2 decimal places.");
        }
        if (v.compareTo(AMOUNT_MAX) > 0) {
            return Optional.of(label + " must be at most " + AMOUNT_MAX.toPlainString() + ".");
        }
        return Optional.empty();
    }

    public static Optional<String> settings(String settings) {
        return settings != null && settings.length() > SETTINGS_MAX
                ? Optional.of("Settings must be at most " + SETTINGS_MAX + " characters.") : Optional.empty();
    }

    /** Every field error (field name to message); empty when the fields are valid. */
    public static Map<String, String> validate(String email, String username, Role role, String quota, String usage,
                                               String settings) {
        Map<String, String> errors = new LinkedHashMap<>();
        email(email).ifPresent(m -> errors.put("email", m));
        username(username).ifPresent(m -> errors.put("username", m));
        role(role).ifPresent(m -> errors.put("role", m));
        amount("Quota", quota).ifPresent(m -> errors.put("quota", m));
        amount("Usage", usage).ifPresent(m -> errors.put("usage", m));
        settings(settings).ifPresent(m -> errors.put("settings", m));
        return errors;
    }

    /** Why a user cannot be deleted, if it cannot: only users without usage can be. */
    public static Optional<String> deleteRefusal(UserView u) {
        if (u.usage().signum() != 0) {
            return Optional.of(u.email() + " cannot be deleted: it has usage " + u.usage().toPlainString()
                    + ". Reset the usage first (bulk action \"Reset usage\"), or deactivate the user instead.");
        }
        return Optional.empty();
    }
}
