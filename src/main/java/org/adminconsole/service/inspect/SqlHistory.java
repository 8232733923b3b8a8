package org.adminconsole.service.inspect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.adminconsole.config.FilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL console's statement history, newest first, kept between runs in a file in the data folder
 * (one statement per line, backslash-escaped). Saved after every change through a temporary file and a move,
 * so a crash never leaves a half-written history. The file is readable by its owner only (POSIX 0600): queries
 * can hold customer data. A history that cannot be read or written is logged and kept in memory only.
 */
public final class SqlHistory {

    private static final Logger LOG = LoggerFactory.getLogger(SqlHistory.class);
    public static final String FILE_NAME = "sql-history.txt";

    private final Path file;
    private final int max;
    private final List<String> entries = new ArrayList<>();

    public SqlHistory(Path file, int max) {
        this.file = file;
        this.max = max;
        load();
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            FilePermissions.ownerOnly(file); // a history written by an older version may be readable by others
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && entries.size() < max) {
                    entries.add(unescape(line));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the SQL history {}: {}", file, e.toString());
        }
    }

    public Path file() {
        return file;
    }

    /** Newest first. */
    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    /** Adds a statement at the top (an equal older entry moves up) and saves. */
    public synchronized void add(String sql) {
        String s = sql == null ? "" : sql.strip();
        if (s.isEmpty()) {
            return;
        }
        entries.remove(s);
        entries.add(0, s);
        while (entries.size() > max) {
            entries.remove(entries.size() - 1);
        }
        save();
    }

    public synchronized void clear() {
        entries.clear();
        save();
    }

    private void save() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".sql-history", ".tmp");
            FilePermissions.ownerOnly(tmp);
            List<String> lines = entries.stream().map(SqlHistory::escape).toList();
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            FilePermissions.ownerOnly(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot save the SQL history {}: {}", file, e.toString());
        }
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(++i);
                sb.append(d == 'n' ? '\n' : d == 'r' ? '\r' : d);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
