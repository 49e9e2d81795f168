package kiban.data.lerobot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;

/**
 * What a folder holds before a writer creates a dataset in it. A creation writes the marker
 * {@code .kiban-staging/creating} first and deletes it last, after info.json; a replacement
 * (force) writes the marker and deletes info.json before anything else. So a folder with the
 * marker and no info.json, whenever the writer was killed, holds only the writer's own files and
 * no committed episode: an {@link Contents#UNFINISHED} creation, which the next creation or
 * resumed recording takes over. So does a folder left by a writer killed before it wrote the
 * marker: nothing but the staging folder and the meta files of a new, empty dataset.
 */
final class DatasetFolder {

    static final String MARKER = "creating";
    /** Files a creation writes, relative to meta/ (the writer's own, and the extra files of the options). */
    private static final Set<String> CREATION_FILES = Set.of("tasks.parquet", "stats.json", "kiban.json", "runtime.json",
            "episodes/chunk-000/file-000.parquet");

    /** A folder's contents, as far as creating a dataset there is concerned. */
    enum Contents {
        /** Missing, or nothing but an idle staging folder. */
        EMPTY,
        /** A creation or replacement that was interrupted: no committed episode, only the writer's files. */
        UNFINISHED,
        /** A dataset (meta/info.json). */
        DATASET,
        /** Anything else: not the writer's to delete. */
        OTHER
    }

    private DatasetFolder() {
    }

    static Contents classify(Path dir) {
        if (!Files.exists(dir)) {
            return Contents.EMPTY;
        }
        if (!Files.isDirectory(dir)) {
            return Contents.OTHER;
        }
        if (Files.isRegularFile(dir.resolve("meta/info.json"))) {
            return Contents.DATASET;
        }
        if (Files.isRegularFile(dir.resolve(LeRobotDatasetWriter.STAGING).resolve(MARKER))) {
            return Contents.UNFINISHED;
        }
        List<Path> entries = list(dir);
        if (entries.isEmpty()) {
            return Contents.EMPTY;
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (!name.equals(LeRobotDatasetWriter.STAGING) && !(name.equals("meta") && onlyCreationFiles(p))) {
                return Contents.OTHER;
            }
        }
        return entries.size() == 1 && entries.get(0).getFileName().toString().equals(LeRobotDatasetWriter.STAGING)
                && list(entries.get(0)).stream().allMatch(p -> p.getFileName().toString().equals(StagingLock.FILE))
                ? Contents.EMPTY : Contents.UNFINISHED;
    }

    /** The error for a folder that holds no dataset yet because a writer was killed while creating it. */
    static InvalidInputException unfinished(Path dir) {
        return new InvalidInputException(dir.toString(), "", "a LeRobot dataset (meta/info.json)", "no dataset yet: a recording "
                + "into it was interrupted before its dataset was created; nothing was recorded ('kiban data record --resume' starts "
                + "it)");
    }

    private static boolean onlyCreationFiles(Path meta) {
        if (!Files.isDirectory(meta)) {
            return false;
        }
        try (var s = Files.walk(meta)) {
            return s.filter(p -> !Files.isDirectory(p))
                    .allMatch(p -> CREATION_FILES.contains(meta.relativize(p).toString().replace('\\', '/')));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes {@code dir} (locked by the caller) ready for a new dataset: checks its contents against
     * {@code force}, writes the creation marker, and deletes an interrupted creation or, with
     * {@code force}, a dataset (info.json first).
     */
    static void prepare(Path dir, boolean force, DatasetFiles files) {
        Contents contents = classify(dir);
        check(dir, contents, force);
        Path staging = dir.resolve(LeRobotDatasetWriter.STAGING);
        Path marker = staging.resolve(MARKER);
        if (!Files.exists(marker)) {
            Path tmp = kiban.core.io.AtomicFiles.tempFile(staging, MARKER);
            files.write(tmp, p -> DatasetFiles.writeText(p, "a dataset is being created here; its writer was interrupted if this stays\n"));
            files.rename(tmp, marker);
        }
        if (contents == Contents.EMPTY) {
            return;
        }
        // Without info.json nothing is committed, whatever else is left when a kill stops the deletion.
        files.delete(dir.resolve("meta/info.json"));
        for (Path p : list(dir)) {
            if (!p.getFileName().toString().equals(LeRobotDatasetWriter.STAGING)) {
                deleteTree(p, files);
            }
        }
    }

    /** Refuses a folder that a new dataset may not replace: anything but a dataset (and that only with {@code force}). */
    static void check(Path dir, Contents contents, boolean force) {
        switch (contents) {
            case OTHER -> throw new InvalidInputException(dir.toString(), "", force ? "a LeRobot dataset to replace (meta/info.json)"
                    : "a new or empty directory (use --resume to continue it, --force to replace it)",
                    force ? "a directory that is not a dataset; not deleting it" : "an existing non-empty directory");
            case DATASET -> {
                if (!force) {
                    throw new InvalidInputException(dir.toString(), "", "a new or empty directory (use --resume to continue it, "
                            + "--force to replace it)", "an existing dataset");
                }
            }
            default -> {
            }
        }
    }

    /** Removes the creation marker: the dataset's info.json is in place. */
    static void finish(Path dir, DatasetFiles files) {
        files.delete(dir.resolve(LeRobotDatasetWriter.STAGING).resolve(MARKER));
    }

    private static List<Path> list(Path dir) {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new InvalidInputException(dir.toString(), "", "a readable directory", e.getMessage());
        }
    }

    /** Deletes a folder and everything in it. */
    static void deleteTree(Path root) {
        deleteTree(root, DatasetFiles.SYSTEM);
    }

    private static void deleteTree(Path root, DatasetFiles files) {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                files.delete(p);
            }
        } catch (IOException e) {
            throw new KibanException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
