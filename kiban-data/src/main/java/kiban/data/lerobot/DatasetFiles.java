package kiban.data.lerobot;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import kiban.core.error.KibanException;
import kiban.core.io.AtomicFiles;

/**
 * Every change the dataset writer makes to the file system, in one place: each operation forces
 * what it changed to disk (the file, and the folder whose entries changed, including the parent
 * of each new folder), so that a commit survives power loss, not only a killed process. Tests
 * subclass it to make any one operation fail, as a full disk or a kill would. The system property
 * {@code kiban.fsync=false} turns forcing off (a killed process still loses nothing).
 */
class DatasetFiles {

    static final DatasetFiles SYSTEM = new DatasetFiles();

    /** Creates {@code dir} and its missing parents; returns the folders it created, outermost first. */
    List<Path> createDirectories(Path dir) {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.addFirst(p);
        }
        try {
            for (Path p : missing) {
                Files.createDirectory(p);
                // The new folder is an entry of its parent: without this a power cut can lose it, and every file in it.
                forceDirectory(p.getParent());
            }
        } catch (IOException e) {
            throw new KibanException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        return missing;
    }

    /** Lets {@code writer} fill the new file {@code tmp}, then forces it to disk. */
    void write(Path tmp, Consumer<Path> writer) {
        writer.accept(tmp);
        force(tmp);
    }

    /** Renames {@code from} over {@code to} atomically (creating {@code to}'s folder if needed) and forces the folder. */
    void rename(Path from, Path to) {
        createDirectories(to.getParent());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new KibanException("cannot rename " + from + " to " + to + " atomically: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new KibanException("cannot write " + to + ": " + e.getMessage(), e);
        }
        forceDirectory(to.getParent());
    }

    /**
     * Gives the file {@code existing} the second name {@code link}, which must not exist yet: a hard
     * link, which takes no space, or a copy where the file system has no hard links.
     */
    void link(Path existing, Path link) {
        createDirectories(link.getParent());
        try {
            try {
                Files.createLink(link, existing);
            } catch (UnsupportedOperationException | FileSystemException noLinks) {
                if (Files.exists(link)) {
                    throw noLinks;
                }
                Path copy = link.resolveSibling(link.getFileName() + ".copy");
                Files.copy(existing, copy, StandardCopyOption.REPLACE_EXISTING);
                force(copy);
                Files.move(copy, link, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new KibanException("cannot write " + link + ": " + e.getMessage(), e);
        }
        // No folder force: links are only made in staging, which a restart clears; the rename that publishes one forces its folder.
    }

    /** Writes {@code text} (UTF-8) to {@code file}, as a writer of {@link #write} or {@link FileChanges#replace} does. */
    static void writeText(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new KibanException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file or an empty folder, if it exists. */
    void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new KibanException("cannot delete " + p + ": " + e.getMessage(), e);
        }
        forceDirectory(p.getParent());
    }

    /** Forces a folder's entries to disk; file systems that cannot open folders are left as they are. */
    void forceDirectory(Path dir) {
        AtomicFiles.forceDirectory(dir);
    }

    /** Forces a file's contents to disk. */
    void force(Path file) {
        AtomicFiles.force(file);
    }
}
