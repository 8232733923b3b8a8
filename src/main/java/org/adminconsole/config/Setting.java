package org.adminconsole.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One setting, declared once (in {@link Keys}): its key, default, accepted range or choices, description and
 * how its text is turned into a value. {@link Settings} validates every value through its declaration, and
 * {@code SettingsReadmeTest} checks that the README's table says the same.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {

    /** How a raw text becomes a value; throws {@link IllegalArgumentException} with the rule when it cannot. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String raw);
    }

    private final String key;
    private final String defaultValue;
    private final String rule;
    private final String description;
    private final boolean secret;
    private final Parser<T> parser;

    private Setting(String key, String defaultValue, String rule, String description, boolean secret, Parser<T> parser) {
        this.key = Objects.requireNonNull(key);
        this.defaultValue = Objects.requireNonNull(defaultValue);
        this.rule = rule;
        this.description = Objects.requireNonNull(description);
        this.secret = secret;
        this.parser = parser;
    }

    public String key() { return key; }
    /** The default as text ("" when there is none). */
    public String defaultValue() { return defaultValue; }
    /** What is accepted, for messages and the README ("" when anything is). */
    public String rule() { return rule; }
    public String description() { return description; }
    /** A password: never shown, logged or written back; may come from {@code ${env:NAME}} or {@code ${file:PATH}}. */
    public boolean secret() { return secret; }

    T parse(String raw) {
        return parser.parse(raw);
    }

    static Setting<Integer> integer(String key, int def, int min, int max, String description) {
        return new Setting<>(key, String.valueOf(def), "a whole number from " + min + " to " + max, description, false,
                raw -> (int) whole(raw, min, max));
    }

    static Setting<Long> whole(String key, long def, long min, long max, String description) {
        return new Setting<>(key, String.valueOf(def), "a whole number from " + min + " to " + max, description, false,
                raw -> whole(raw, min, max));
    }

    static Setting<Duration> millis(String key, long def, long min, long max, String description) {
        return new Setting<>(key, String.valueOf(def), "milliseconds from " + min + " to " + max, description, false,
                raw -> Duration.ofMillis(whole(raw, min, max)));
    }

    static Setting<Duration> seconds(String key, long def, long min, long max, String description) {
        return new Setting<>(key, String.valueOf(def), "seconds from " + min + " to " + max, description, false,
                raw -> Duration.ofSeconds(whole(raw, min, max)));
    }

    static Setting<Boolean> flag(String key, boolean def, String description) {
        return new Setting<>(key, String.valueOf(def), "'true' or 'false'", description, false, raw -> {
            String v = raw.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("must be 'true' or 'false'");
            }
            return v.equals("true");
        });
    }

    /** One of a few words; {@code choices} alternates word and explanation. */
    static Setting<String> choice(String key, String def, String description, String... choices) {
        StringBuilder rule = new StringBuilder();
        List<String> words = new java.util.ArrayList<>();
        for (int i = 0; i < choices.length; i += 2) {
            words.add(choices[i]);
            rule.append(rule.length() == 0 ? "" : " or ").append('\'').append(choices[i]).append("' (").append(choices[i + 1]).append(')');
        }
        return new Setting<>(key, def, rule.toString(), description, false, raw -> {
            String v = raw.trim().toLowerCase(Locale.ROOT);
            if (!words.contains(v)) {
                throw new IllegalArgumentException("must be " + rule);
            }
            return v;
        });
    }

    static Setting<String> text(String key, String def, String description) {
        return new Setting<>(key, def, "", description, false, String::trim);
    }

    static Setting<String> text(String key, String def, String rule, String description, Function<String, String> check) {
        return new Setting<>(key, def, rule, description, false, raw -> {
            String v = raw.trim();
            String problem = check.apply(v);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return v;
        });
    }

    static Setting<String> secret(String key, String description) {
        return new Setting<>(key, "", "", description, true, raw -> raw);
    }

    /** A folder or file; empty means "the default", resolved by the caller. Backslashes are literal (Windows). */
    static Setting<String> path(String key, String description) {
        return new Setting<>(key, "", "a folder path", description, false, raw -> {
            String v = raw.trim();
            if (!v.isEmpty()) {
                try {
                    Path.of(v);
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException("must be a folder path (" + e.getReason() + ")");
                }
            }
            return v;
        });
    }

    private static long whole(String raw, long min, long max) {
        long n;
        try {
            n = Long.parseLong(raw.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be from " + min + " to " + max);
        }
        return n;
    }

    @Override
    public String toString() {
        return key;
    }
}
