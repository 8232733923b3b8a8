package org.adminconsole.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data folder holds the database, settings (possibly with passwords), logs and the SQL history: on POSIX
 * systems it is readable by its owner only (0700) and so are those files (0600). Elsewhere (Windows) the
 * user profile's own access rules apply and nothing is changed.
 */
public final class FilePermissions {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private FilePermissions() {
    }

    /** Creates the folder (and parents) if needed and makes the folder itself owner-only. */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, DIR);
        }
    }

    /** Makes an existing file owner-only (0600); does nothing where POSIX permissions do not exist. */
    public static void ownerOnly(Path file) throws IOException {
        if (POSIX && Files.exists(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /** Makes every regular file directly inside {@code dir} owner-only, best effort. */
    public static void ownerOnlyFilesIn(Path dir) {
        if (!POSIX || !Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    Files.setPosixFilePermissions(f, FILE);
                } catch (IOException | UnsupportedOperationException e) {
                    // a file owned by someone else: left as it is
                }
            });
        } catch (IOException e) {
            // an unreadable folder: nothing to tighten
        }
    }

    public static boolean isPosix() {
        return POSIX;
    }
}
