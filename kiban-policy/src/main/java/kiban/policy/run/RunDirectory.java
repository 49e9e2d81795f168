package kiban.policy.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import kiban.core.error.KibanException;
import kiban.core.io.AtomicFiles;

/** The files of one training run (see the package documentation for the layout). */
public record RunDirectory(Path root) {

    /** Complete checkpoints kept; older ones are deleted to bound disk use. */
    public static final int KEEP_CHECKPOINTS = 3;

    public Path config() {
        return root.resolve("config.json");
    }

    public Path policy() {
        return root.resolve("policy.json");
    }

    public Path normalization() {
        return root.resolve("normalization.json");
    }

    public Path lineage() {
        return root.resolve("lineage.json");
    }

    public Path metricsJsonl() {
        return root.resolve("metrics.jsonl");
    }

    public Path metricsCsv() {
        return root.resolve("metrics.csv");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    /** Whether this folder holds a run (its config). */
    public boolean exists() {
        return Files.isRegularFile(config());
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> latestCheckpoint() {
        Path latest = checkpoints().resolve("latest");
        if (!Files.isRegularFile(latest)) {
            return Optional.empty();
        }
        try {
            Path dir = checkpoints().resolve(Files.readString(latest).strip());
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        } catch (IOException e) {
            throw new KibanException(latest + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The training step of the newest complete checkpoint; 0 when there is none. */
    public long latestStep() {
        return latestCheckpoint().map(c -> step(c.getFileName().toString())).orElse(0L);
    }

    /** The step a checkpoint folder's name gives ({@link #name}'s inverse); 0 for a name of another form. */
    static long step(String name) {
        return name.matches("step-\\d{1,18}") ? Long.parseLong(name.substring("step-".length())) : 0L;
    }

    /** A fresh temporary folder for a checkpoint of {@code step}; {@link #commit} puts it in place. */
    public Path stageCheckpoint(long step) throws IOException {
        Files.createDirectories(checkpoints());
        Path tmp = checkpoints().resolve(name(step) + ".tmp");
        deleteTree(tmp);
        return Files.createDirectories(tmp);
    }

    public Path commit(Path staged, long step) throws IOException {
        Path dir = checkpoints().resolve(name(step));
        deleteTree(dir);
        Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
        writeAtomically(checkpoints().resolve("latest"), name(step));
        prune();
        return dir;
    }

    static String name(long step) {
        return String.format("step-%08d", step);
    }

    private void prune() throws IOException {
        List<Path> complete;
        try (Stream<Path> s = Files.list(checkpoints())) {
            complete = s.filter(p -> p.getFileName().toString().matches("step-\\d{8}") && Files.isDirectory(p))
                    .sorted(Comparator.comparing(Path::getFileName)).toList();
        }
        for (int i = 0; i < complete.size() - KEEP_CHECKPOINTS; i++) {
            deleteTree(complete.get(i));
        }
    }

    /** Writes a text file so that a crash leaves the old content or the new, never a mix. */
    public static void writeAtomically(Path file, String text) {
        Path absolute = file.toAbsolutePath();
        AtomicFiles.writeString(absolute, text, absolute.getParent());
    }

    /** Deletes a folder and everything in it; nothing where there is no folder. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
