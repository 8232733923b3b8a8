package org.adminconsole.service.inspect;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
 * The SQL editor's tabs (title and text), kept between runs in {@value #FILE_NAME} in the data folder. Saved through
 * a temporary file and a move (a crash never leaves a half-written file), readable by its owner only (scripts can hold
 * customer data). A file that cannot be read is never fatal: the editor starts with one empty tab and a note, and the
 * unreadable file is kept beside as {@value #UNREADABLE_SUFFIX} so that no text is silently lost.
 *
 * <p>Format (UTF-8): a header line, then {@code selected<TAB>index} and one {@code tab<TAB>title<TAB>text} line per tab,
 * with backslash escapes for backslash, line breaks and tabs.
 */
public final class EditorTabs {

    private static final Logger LOG = LoggerFactory.getLogger(EditorTabs.class);
    public static final String FILE_NAME = "sql-tabs.txt";
    static final String UNREADABLE_SUFFIX = ".unreadable";
    static final String HEADER = "admin-console sql-tabs 1";
    /** A bigger file is not read (a script this size does not belong in an editor tab). */
    static final long MAX_BYTES = 32L << 20;
    static final int MAX_TABS = 100;

    /** One tab. */
    public record Tab(String title, String text) {
        public Tab {
            title = title == null ? "" : title;
            text = text == null ? "" : text;
        }
    }

    /** What was read: at least one tab; {@code note} is non-null when the saved tabs could not be read. */
    public record Loaded(List<Tab> tabs, int selected, String note) {
    }

    private final Path file;

    public EditorTabs(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The saved tabs; one empty tab when there is no file, and a note as well when it cannot be read. */
    public synchronized Loaded load() {
        if (!Files.exists(file)) {
            return fresh(null);
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException("larger than " + (MAX_BYTES >> 20) + " MB");
            }
            String content = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
            return parse(content);
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof CharacterCodingException ? "not UTF-8 text" : e.getMessage();
            Path kept = file.resolveSibling(file.getFileName() + UNREADABLE_SUFFIX);
            String keptNote = "";
            try {
                Files.copy(file, kept, StandardCopyOption.REPLACE_EXISTING);
                FilePermissions.ownerOnly(kept);
                keptNote = " The file was kept as " + kept + ".";
            } catch (IOException | RuntimeException copyFailure) {
                LOG.warn("Cannot keep the unreadable SQL tabs file {}: {}", file, copyFailure.toString());
            }
            LOG.warn("Cannot read the SQL editor's tabs {}: {}", file, why);
            return fresh("The saved SQL tabs could not be read (" + why + "): the editor starts with one empty tab." + keptNote);
        }
    }

    private static Loaded fresh(String note) {
        return new Loaded(List.of(new Tab("Query 1", "")), 0, note);
    }

    static Loaded parse(String content) {
        String[] lines = content.split("\r?\n", -1);
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("it does not start with '" + HEADER + "'");
        }
        List<Tab> tabs = new ArrayList<>();
        int selected = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\t", -1);
            if (parts[0].equals("selected") && parts.length == 2) {
                try {
                    selected = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + (i + 1) + " has a bad tab number");
                }
            } else if (parts[0].equals("tab") && parts.length == 3) {
                if (tabs.size() == MAX_TABS) {
                    throw new IllegalArgumentException("more than " + MAX_TABS + " tabs");
                }
                tabs.add(new Tab(unescape(parts[1]), unescape(parts[2])));
            } else {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a tab");
            }
        }
        if (tabs.isEmpty()) {
            throw new IllegalArgumentException("it holds no tab");
        }
        return new Loaded(List.copyOf(tabs), Math.max(0, Math.min(selected, tabs.size() - 1)), null);
    }

    /** Saves the tabs (temporary file, then a move); a failure is logged and returned as a message, never thrown. */
    public synchronized String save(List<Tab> tabs, int selected) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("selected\t").append(selected).append('\n');
        for (Tab t : tabs.subList(0, Math.min(tabs.size(), MAX_TABS))) {
            sb.append("tab\t").append(escape(t.title())).append('\t').append(escape(t.text())).append('\n');
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".sql-tabs", ".tmp");
            try {
                FilePermissions.ownerOnly(tmp);
                Files.writeString(tmp, sb, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            FilePermissions.ownerOnly(file);
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot save the SQL editor's tabs {}: {}", file, e.toString());
            return "The SQL tabs could not be saved to " + file + ": " + e.getMessage();
        }
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 == s.length()) {
                    throw new IllegalArgumentException("a text ends with a lone backslash");
                }
                char d = s.charAt(++i);
                switch (d) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case '\\' -> sb.append('\\');
                    default -> throw new IllegalArgumentException("a text has an unknown escape \\" + d);
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
