package org.adminconsole.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Passwords need not be written into {@code console.properties}: a secret setting's value may be
 * {@code ${env:NAME}} (the environment variable NAME) or {@code ${file:PATH}} (the first line of that file,
 * e.g. one readable by its owner only). Messages about them never show the password.
 */
final class Secrets {

    private Secrets() {
    }

    static String resolve(Setting<?> s, String value, String origin) {
        String v = value == null ? "" : value.strip();
        if (v.startsWith("${env:") && v.endsWith("}")) {
            String name = v.substring(6, v.length() - 1).strip();
            String env = System.getenv(name);
            if (env == null) {
                throw new SettingsException("Setting " + s.key() + " (from " + origin + ") reads the environment variable " + name
                        + ", which is not set. Set it before starting the console, or give the password another way.");
            }
            return env;
        }
        if (v.startsWith("${file:") && v.endsWith("}")) {
            String name = v.substring(7, v.length() - 1).strip();
            try {
                String text = Files.readString(Path.of(name), StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                return (nl >= 0 ? text.substring(0, nl) : text).strip();
            } catch (IOException | RuntimeException e) {
                throw new SettingsException("Setting " + s.key() + " (from " + origin + ") reads the file " + name
                        + ", which cannot be read (" + e.getClass().getSimpleName() + "). Check the path and its permissions.");
            }
        }
        return value == null ? "" : value;
    }
}
