package org.adminconsole.service.inspect;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.adminconsole.config.FilePermissions;
import org.adminconsole.service.ValidationException;

import static org.adminconsole.service.inspect.CsvExporter.PATH_FIELD;

/**
 * Where an export may write, and how its file gets there: the target is checked before any query (a full path,
 * an existing writable folder, never the console's data folder, a regular file if it exists); rows go to a hidden
 * owner-only {@code .part} file next to it, which is moved into place only when complete, replacing an existing file
 * only when the operator confirmed it.
 */
final class ExportFiles {

    private final Path dataDir;

    ExportFiles(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Checks the target path without writing; a {@link ValidationException} on field {@value CsvExporter#PATH_FIELD} otherwise. */
    CsvExporter.Target check(String path) {
        if (path == null || path.isBlank()) {
            throw new ValidationException(PATH_FIELD, "Choose the file to export to.");
        }
        Path target;
        try {
            target = Path.of(path.trim());
        } catch (java.nio.file.InvalidPathException e) {
            throw new ValidationException(PATH_FIELD, "'" + path + "' is not a valid file name: " + e.getReason() + ".");
        }
        if (!target.isAbsolute()) {
            // a relative name would land in whatever folder the console was started from
            throw new ValidationException(PATH_FIELD, "Give the full path of the file, e.g. "
                    + Path.of(System.getProperty("user.home"), "export.csv") + " (Browse… picks one).");
        }
        Path parent = target.getParent();
        if (Files.isDirectory(target)) {
            throw new ValidationException(PATH_FIELD, target + " is a folder: give a file name, e.g. " + target.resolve("export.csv") + ".");
        }
        if (parent == null || !Files.exists(parent)) {
            throw new ValidationException(PATH_FIELD, "Cannot export to " + target + ": the folder " + parent + " does not exist.");
        }
        if (!Files.isDirectory(parent)) {
            throw new ValidationException(PATH_FIELD, "Cannot export to " + target + ": " + parent + " is a file, not a folder.");
        }
        if (!Files.isWritable(parent)) {
            throw new ValidationException(PATH_FIELD, "Cannot export to " + target + ": the folder " + parent + " is not writable.");
        }
        if (insideDataFolder(parent) || Files.exists(target, LinkOption.NOFOLLOW_LINKS) && insideDataFolder(target)) {
            throw new ValidationException(PATH_FIELD, "Cannot export to " + target + ": it is inside the console's data folder "
                    + dataDir + ", which holds the database, settings and history. Choose another folder.");
        }
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (exists && !Files.isRegularFile(target)) {
            throw new ValidationException(PATH_FIELD, "Cannot export to " + target + ": it exists and is not a regular file.");
        }
        return new CsvExporter.Target(target, exists);
    }

    /** Whether {@code p} (links resolved) is the data folder or inside it. */
    private boolean insideDataFolder(Path p) {
        if (dataDir == null) {
            return false;
        }
        try {
            Path data = dataDir.toAbsolutePath().normalize();
            data = Files.exists(data) ? data.toRealPath() : data;
            Path real = Files.exists(p) ? p.toRealPath() : p.toAbsolutePath().normalize();
            return real.startsWith(data);
        } catch (IOException e) {
            return true; // cannot tell: refuse rather than risk the database
        }
    }

    /** The hidden, owner-only file the rows are written to, next to {@code target}. */
    static Path createPart(Path target) {
        try {
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
            FilePermissions.ownerOnly(tmp);
            return tmp;
        } catch (IOException e) {
            throw new ValidationException(PATH_FIELD, "Cannot write to " + target.getParent() + ": " + reason(e) + ".");
        }
    }

    /** Deletes the part file of an export that did not complete. */
    static void discard(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // best effort: the .part file is hidden and named after the target
        }
    }

    static void moveIntoPlace(Path tmp, Path target, boolean replace) throws IOException {
        if (replace) {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return;
        }
        try {
            // a hard link fails if the name exists, atomically: a file that appeared meanwhile is never replaced
            Files.createLink(target, tmp);
            Files.delete(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new CsvExporter.TargetExistsException(target);
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new CsvExporter.TargetExistsException(target);
            }
            Files.move(tmp, target); // no REPLACE_EXISTING: fails if the name exists
        }
    }

    /** An I/O failure in the operator's words. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "access denied";
        }
        if (e instanceof NoSuchFileException) {
            return "the folder does not exist";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage();
    }
}
