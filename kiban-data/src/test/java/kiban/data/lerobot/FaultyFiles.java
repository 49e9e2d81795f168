package kiban.data.lerobot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import kiban.core.error.KibanException;

/**
 * The writer's file operations with faults on demand: {@link #failAt} makes the n-th operation from
 * now fail as a full disk does (a write leaves half its file behind), {@link #dieAt} makes it and
 * every later one fail, as if the process had been killed there. Every operation is counted and
 * every file and folder forced to disk is logged.
 */
final class FaultyFiles extends DatasetFiles {

    private int countdown;
    private boolean dying;
    private boolean dead;
    private int operations;
    final List<String> log = new ArrayList<>();

    /** The {@code n}-th operation from now (1 = the next) fails; the others succeed. */
    void failAt(int n) {
        countdown = n;
        dying = false;
    }

    /** The {@code n}-th operation from now and all after it fail. */
    void dieAt(int n) {
        countdown = n;
        dying = true;
    }

    /** Operations so far. */
    int operations() {
        return operations;
    }

    /** Whether an injected failure is still to come. */
    boolean armed() {
        return countdown > 0;
    }

    private boolean failsNow(String op, Path p) {
        operations++;
        log.add(op + " " + p);
        if (dead) {
            return true;
        }
        if (countdown > 0 && --countdown == 0) {
            dead = dying;
            return true;
        }
        return false;
    }

    private static KibanException full(String op, Path p) {
        return new KibanException("cannot write " + p + ": No space left on device (injected into " + op + ")");
    }

    @Override
    List<Path> createDirectories(Path dir) {
        if (!Files.isDirectory(dir) && failsNow("mkdir", dir)) {
            throw full("mkdir", dir);
        }
        return super.createDirectories(dir);
    }

    @Override
    void write(Path tmp, Consumer<Path> writer) {
        if (failsNow("write", tmp)) {
            writer.accept(tmp);
            halve(tmp);
            throw full("write", tmp);
        }
        super.write(tmp, writer);
    }

    @Override
    void rename(Path from, Path to) {
        if (failsNow("rename", to)) {
            throw full("rename", to);
        }
        super.rename(from, to);
    }

    @Override
    void link(Path existing, Path link) {
        if (failsNow("link", link)) {
            throw full("link", link);
        }
        super.link(existing, link);
    }

    @Override
    void delete(Path p) {
        if (failsNow("delete", p)) {
            throw full("delete", p);
        }
        super.delete(p);
    }

    @Override
    void forceDirectory(Path dir) {
        log.add("force " + dir);
        super.forceDirectory(dir);
    }

    @Override
    void force(Path file) {
        log.add("sync " + file);
        super.force(file);
    }

    private static void halve(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        } catch (IOException e) {
            // A writer that failed before creating the file leaves nothing to cut.
        }
    }
}
