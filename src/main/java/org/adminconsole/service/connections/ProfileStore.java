package org.adminconsole.service.connections;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.adminconsole.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection profiles, kept in {@value #FILE_NAME} in the data folder (owner-only, written to a temporary file and
 * moved into place). The file never holds a password: a profile names where its password comes from (asked at
 * connect, an environment variable, a password file). A file that cannot be read is kept as
 * {@code connections.properties.unreadable} and the list starts empty.
 */
public final class ProfileStore {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileStore.class);
    public static final String FILE_NAME = "connections.properties";

    private final Path file;

    public ProfileStore(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** Every profile, sorted by name. */
    public synchronized List<ConnectionProfile> list() {
        if (!Files.exists(file)) {
            return List.of();
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Cannot read {}: {}; kept as .unreadable, starting without profiles", file, e.getMessage());
            try {
                Files.move(file, file.resolveSibling(FILE_NAME + ".unreadable"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailure) {
                LOG.warn("Cannot move {} aside", file, moveFailure);
            }
            return List.of();
        }
        List<ConnectionProfile> out = new ArrayList<>();
        for (int i = 1; p.containsKey("profile." + i + ".name"); i++) {
            String k = "profile." + i + ".";
            try {
                out.add(new ConnectionProfile(p.getProperty(k + "name"), ConnectionProfile.Kind.valueOf(p.getProperty(k + "kind", "H2_FILE")),
                        p.getProperty(k + "file"), p.getProperty(k + "host"), Integer.parseInt(p.getProperty(k + "port", "0")),
                        p.getProperty(k + "database"), p.getProperty(k + "user"),
                        ConnectionProfile.PasswordSource.valueOf(p.getProperty(k + "password.source", "ASK")),
                        p.getProperty(k + "password.ref")));
            } catch (IllegalArgumentException e) {
                LOG.warn("Skipping profile {} of {}: {}", i, file, e.getMessage());
            }
        }
        out.sort(Comparator.comparing(ConnectionProfile::name, String.CASE_INSENSITIVE_ORDER));
        return List.copyOf(out);
    }

    /**
     * Validates {@code profile} (see {@link ConnectionProfile#validated}) and saves it, replacing the profile named
     * {@code replacing} (null: a new one). Nothing is written when a field is wrong.
     */
    public synchronized ConnectionProfile save(ConnectionProfile profile, String portText, String replacing) {
        List<ConnectionProfile> others = new ArrayList<>(list());
        others.removeIf(p -> replacing != null && p.name().equalsIgnoreCase(replacing));
        ConnectionProfile ok = ConnectionProfile.validated(profile, portText, others.stream().map(ConnectionProfile::name).toList());
        others.add(ok);
        write(others);
        return ok;
    }

    public synchronized void remove(String name) {
        List<ConnectionProfile> rest = new ArrayList<>(list());
        if (rest.removeIf(p -> p.name().equalsIgnoreCase(name))) {
            write(rest);
        }
    }

    private void write(Collection<ConnectionProfile> profiles) {
        StringBuilder sb = new StringBuilder("# Admin Console connection profiles. No passwords: each profile says where its password comes from.\n");
        int i = 0;
        for (ConnectionProfile p : profiles.stream().sorted(Comparator.comparing(ConnectionProfile::name, String.CASE_INSENSITIVE_ORDER)).toList()) {
            String k = "profile." + (++i) + ".";
            line(sb, k + "name", p.name());
            line(sb, k + "kind", p.kind().name());
            line(sb, k + "file", p.file());
            line(sb, k + "host", p.host());
            line(sb, k + "port", String.valueOf(p.port()));
            line(sb, k + "database", p.database());
            line(sb, k + "user", p.user());
            line(sb, k + "password.source", p.passwordSource().name());
            line(sb, k + "password.ref", p.passwordRef());
        }
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Settings.writePrivate(tmp, sb.toString());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the connection profiles to " + file + ": " + e.getMessage(), e);
        }
    }

    /** One {@code key=value} line with {@link Properties}' escapes (so any text reads back as written). */
    private static void line(StringBuilder sb, String key, String value) {
        Properties one = new Properties();
        one.setProperty(key, value == null ? "" : value);
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            one.store(w, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String l : w.toString().split("\n")) {
            if (!l.startsWith("#")) {
                sb.append(l.strip()).append('\n');
            }
        }
    }
}
