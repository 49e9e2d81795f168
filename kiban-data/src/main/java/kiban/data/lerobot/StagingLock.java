package kiban.data.lerobot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import kiban.core.error.KibanException;

/**
 * The lock that makes one writer at a time own a dataset: {@code .kiban-staging/lock}, locked with
 * the operating system's file lock (released when the process dies, however it dies). It is taken
 * before anything in staging is touched, so a second writer cannot delete the first one's
 * temporary files; only then are the leftovers of a dead writer cleared.
 */
final class StagingLock {

    static final String FILE = "lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StagingLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code root}'s staging folder (creating it), then clears a dead writer's temporary files. */
    static StagingLock acquire(Path root, DatasetFiles files) {
        Path staging = root.resolve(LeRobotDatasetWriter.STAGING);
        Path file = staging.resolve(FILE);
        files.createDirectories(staging);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            Object key = fileKey(file);
            FileLock lock = ch.tryLock();
            // The lock file may have been deleted (by a writer closing) between our open and our lock:
            // then the lock is on a file nobody else can find, and does not exclude anyone.
            if (lock == null || !Objects.equals(key, fileKey(file))) {
                throw busy(root, file);
            }
            StagingLock held = new StagingLock(file, ch, lock);
            clearTemporaryFiles(staging);
            return held;
        } catch (OverlappingFileLockException e) {
            close(ch);
            throw busy(root, file);
        } catch (KibanException e) {
            close(ch);
            throw e;
        } catch (IOException e) {
            close(ch);
            throw new KibanException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static KibanException busy(Path root, Path file) {
        return new KibanException(root + " is being written by another writer (lock " + file + "); wait for it to finish");
    }

    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return "deleted";
        }
    }

    /** Deletes the {@code tmp-*} files a dead writer left in staging. */
    private static void clearTemporaryFiles(Path staging) throws IOException {
        try (var s = Files.list(staging)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().startsWith("tmp-")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Deletes the lock file and the staging folder while still holding the lock, then releases it. */
    void releaseAndClean() {
        try {
            clearTemporaryFiles(file.getParent());
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            // Leftovers in staging are harmless; the next writer clears them.
        } finally {
            release();
        }
    }

    /** Releases the lock, leaving staging as it is (as a killed process would). */
    void release() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel releases it too.
        }
        close(channel);
    }

    private static void close(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }
}
