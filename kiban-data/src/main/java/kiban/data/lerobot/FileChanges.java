package kiban.data.lerobot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import kiban.core.io.AtomicFiles;

/**
 * The files one {@code saveEpisode} changes, kept so that a failure (a full disk) can put back
 * exactly what was there: a replaced file's old version stays reachable as a hard link in staging
 * (no copy, no space) until {@link #forget}, a new file or folder is deleted again on {@link #undo}.
 * Undo runs in reverse order, so info.json (changed last, the commit point) is restored first:
 * an undo cut short leaves either the new episode committed or an uncommitted tail, which readers
 * ignore and resuming drops.
 */
final class FileChanges {

    private final DatasetFiles files;
    private final Path staging;
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private final Deque<Path> backups = new ArrayDeque<>();

    FileChanges(DatasetFiles files, Path staging) {
        this.files = files;
        this.staging = staging;
    }

    /** Writes {@code target} atomically: {@code writer} fills a staging file, which is renamed over it. */
    void replace(Path target, Consumer<Path> writer) {
        Path tmp = AtomicFiles.tempFile(staging, target.getFileName().toString());
        try {
            files.write(tmp, writer);
            install(tmp, target);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Writes {@code text} (UTF-8) to {@code target} atomically. */
    void replaceText(Path target, String text) {
        replace(target, tmp -> DatasetFiles.writeText(tmp, text));
    }

    /** Moves the finished staging file {@code tmp} to {@code target}. */
    void install(Path tmp, Path target) {
        prepare(target);
        files.rename(tmp, target);
    }

    /** Makes {@code source} (a staging file that is kept, for a retry) appear as {@code target}. */
    void publish(Path source, Path target) {
        Path tmp = AtomicFiles.tempFile(staging, target.getFileName().toString());
        try {
            // A hard link shares the contents: the encoder's file must be on disk before its new name is.
            files.force(source);
            files.link(source, tmp);
            install(tmp, target);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Records how to undo a change of {@code target}, before it is changed. */
    private void prepare(Path target) {
        for (Path dir : files.createDirectories(target.getParent())) {
            undo.push(() -> files.delete(dir));
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new kiban.core.error.KibanException("cannot write " + target + ": something other than a file is in its place");
        }
        if (Files.exists(target)) {
            Path backup = AtomicFiles.tempFile(staging, "undo-" + target.getFileName());
            files.link(target, backup);
            backups.push(backup);
            undo.push(() -> files.rename(backup, target));
        } else {
            undo.push(() -> files.delete(target));
        }
    }

    /** Puts every changed file back as it was, newest change first; stops at the first step that fails. */
    void undo() {
        while (!undo.isEmpty()) {
            undo.peek().run();
            undo.pop();
        }
        forget();
    }

    /** Keeps the changes: drops the old versions. */
    void forget() {
        undo.clear();
        while (!backups.isEmpty()) {
            deleteQuietly(backups.pop());
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A leftover in staging is cleared when the next writer opens the dataset.
        }
    }
}
