package org.adminconsole.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code console.properties}: UTF-8 (a byte-order mark is skipped), one {@code key = value} (or
 * {@code key: value}) per line, {@code #} or {@code !} starts a comment line. Values are taken literally:
 * a backslash is just a character, so Windows paths such as {@code C:\\users\\admin\\console} work as typed
 * (java.util.Properties would read {@code \\u} as a Unicode escape and fail). Every problem is a
 * {@link SettingsException} naming the file and the line.
 */
final class SettingsFile {

    private SettingsFile() {
    }

    static Map<String, String> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SettingsException("Cannot read the settings file " + file + ": " + e.getMessage() + ".");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SettingsException("The settings file " + file + " is not UTF-8 text. Save it as UTF-8 and start again.");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int eq = line.indexOf('=');
            int colon = line.indexOf(':');
            int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            if (sep <= 0) {
                throw new SettingsException("Line " + (i + 1) + " of the settings file " + file + " is not a setting: '"
                        + line + "'. Write key = value, e.g. pool.maxSize = 4.");
            }
            String key = line.substring(0, sep).strip();
            String value = line.substring(sep + 1).strip();
            if (out.containsKey(key)) {
                throw new SettingsException("The settings file " + file + " sets " + key + " twice (line " + (i + 1) + "). Keep one.");
            }
            out.put(key, value);
        }
        return out;
    }
}
