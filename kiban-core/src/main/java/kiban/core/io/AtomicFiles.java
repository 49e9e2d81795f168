package kiban.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import kiban.core.error.KibanException;

/**
 * Replaces files atomically: content goes to a temporary file in a staging directory on the same
 * file system, is forced to disk, then renamed over the target, and the target's directory is
 * forced too. A kill at any moment leaves the old file or the new one, never a partial one.
 */
public final class AtomicFiles {

    /**
     * Whether to force files and directories to disk. Renames alone survive a killed process (the
     * page cache outlives it); forcing also survives power loss, at a few milliseconds per file.
     * The system property {@code kiban.fsync=false} turns it off.
     */
    private static final boolean FSYNC = !"false".equals(System.getProperty("kiban.fsync"));

    private AtomicFiles() {
    }

    /** Writes {@code text} (UTF-8) to {@code target} atomically, staging under {@code staging}. */
    public static void writeString(Path target, String text, Path staging) {
        replace(target, staging, tmp -> {
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new KibanException("cannot write " + tmp + ": " + e.getMessage(), e);
            }
        });
    }

    /** Lets {@code writer} fill a temporary file, then moves it over {@code target} atomically. */
    public static void replace(Path target, Path staging, Consumer<Path> writer) {
        Path tmp = tempFile(staging, target.getFileName().toString());
        try {
            writer.accept(tmp);
            commit(tmp, target);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // Best effort: a leftover file in staging is harmless and removed on the next open.
            }
        }
    }

    /** A fresh path in {@code staging} (created if needed) whose name ends like {@code name}. */
    public static Path tempFile(Path staging, String name) {
        try {
            Files.createDirectories(staging);
            Path p = Files.createTempFile(staging, "tmp-", "-" + name);
            Files.delete(p);
            return p;
        } catch (IOException e) {
            throw new KibanException("cannot create a file in " + staging + ": " + e.getMessage(), e);
        }
    }

    /** Forces {@code tmp} to disk and renames it over {@code target} atomically. */
    public static void commit(Path tmp, Path target) {
        force(tmp, target);
        try {
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new KibanException("cannot rename " + tmp + " to " + target + " atomically: " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new KibanException("cannot write " + target + ": " + e.getMessage(), e);
        }
        forceDirectory(target.getParent());
    }

    /** Forces {@code file}'s contents to disk (unless {@code kiban.fsync=false}). */
    public static void force(Path file) {
        force(file, file);
    }

    /** Forces {@code file}, naming {@code named} (the file it becomes) in an error. */
    private static void force(Path file, Path named) {
        if (!FSYNC) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new KibanException("cannot write " + named + ": " + e.getMessage(), e);
        }
    }

    /** Forces a folder's entries to disk (unless {@code kiban.fsync=false}); file systems that cannot open folders are left as they are. */
    public static void forceDirectory(Path dir) {
        if (!FSYNC || dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot open directories; the rename itself is still atomic.
        }
    }
}
