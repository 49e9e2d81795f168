package kiban.health.failures;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/**
 * A failure classifier's run folder: {@code config.json} (data, folds, seed, settings and each
 * data file's SHA-256), {@code cv.json} (the cross-validated results), {@code report.html}, and per
 * problem {@code lpN/model.params} (the network trained on every instance) with
 * {@code lpN/normalization.json} (the standardisation it was trained with).
 */
public record FailureRun(Path root) {

    /** What {@code config.json} says it is, so that another run folder is refused by name. */
    public static final String FORMAT = "kiban-health-failures";
    public static final int VERSION = 1;

    /** What a run was trained from and with. */
    public record Config(String data, int folds, long seed, List<LearningProblem> problems, MlpSettings mlp, int neighbours,
            Map<LearningProblem, String> sha256) {

        public ObjectNode toJson() {
            ObjectNode o = Json.object().put("format", FORMAT).put("version", VERSION).put("data", data).put("folds", folds)
                    .put("seed", seed).put("features", FailureFeatures.SIZE);
            ArrayNode p = o.putArray("problems");
            problems.forEach(x -> p.add(x.id()));
            o.set("mlp", mlp.toJson());
            o.put("neighbours", neighbours);
            ObjectNode files = o.putObject("sha256");
            sha256.forEach((k, v) -> files.put(k.fileName(), v));
            return o;
        }
    }

    public Path config() {
        return root.resolve("config.json");
    }

    public Path results() {
        return root.resolve("cv.json");
    }

    public Path report() {
        return root.resolve("report.html");
    }

    public Path model(LearningProblem p) {
        return root.resolve(p.id()).resolve("model.params");
    }

    public Path normalization(LearningProblem p) {
        return root.resolve(p.id()).resolve("normalization.json");
    }

    /** Refuses an {@code --out} that holds anything: a run is written whole or not at all. */
    public static void checkNew(Path out) {
        if (Files.isRegularFile(out)) {
            throw new InvalidInputException(out.toString(), "", "a new or empty folder for the run", "a file");
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new InvalidInputException(out.toString(), "", "a new or empty folder for the run", "a folder with files in it");
                }
            } catch (IOException e) {
                throw new KibanException(out + ": cannot list: " + e.getMessage(), e);
            }
        }
    }

    /** A fresh staging folder beside {@code out}, on the same file system, for {@link #commit}. */
    public static FailureRun stage(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs.getParent());
            Path dir = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".partial-");
            // A temporary folder is private; the run it becomes is as readable as any other folder.
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return new FailureRun(dir);
        } catch (IOException e) {
            throw new KibanException("cannot create a folder beside " + out + ": " + e.getMessage(), e);
        }
    }

    /** Moves this staged run to {@code out} in one rename (an empty {@code out} is replaced). */
    public void commit(Path out) {
        try {
            checkNew(out);
            Files.deleteIfExists(out);
            Files.move(root, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KibanException("cannot move the run into " + out + ": " + e.getMessage(), e);
        }
    }

    /** Removes a staged run that failed part-way; best effort. */
    public void discard() {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover hidden staging folder is harmless; the run itself was never written.
        }
    }

    public Config readConfig() {
        FieldReader r = read(config());
        String format = r.requireText("format");
        if (!FORMAT.equals(format)) {
            throw r.require("format").invalid("'" + FORMAT + "' (a run of kiban health train)", "'" + format + "'");
        }
        r.requireInt("version", VERSION, VERSION);
        r.requireInt("features", FailureFeatures.SIZE, FailureFeatures.SIZE);
        List<LearningProblem> problems = r.requireList("problems", e -> LearningProblem.of(e.node().asText()));
        Map<LearningProblem, String> sha = new LinkedHashMap<>();
        FieldReader files = r.requireObject("sha256");
        for (LearningProblem p : problems) {
            sha.put(p, files.requireText(p.fileName()));
        }
        return new Config(r.requireText("data"), r.requireInt("folds", 2, Integer.MAX_VALUE),
                (long) r.require("seed").asDouble(Long.MIN_VALUE, Long.MAX_VALUE), problems, MlpSettings.read(r.require("mlp")),
                r.requireInt("neighbours", 1, Integer.MAX_VALUE), sha);
    }

    public List<ProblemResult> readResults() {
        return read(results()).requireList("problems", ProblemResult::read);
    }

    public Standardizer readNormalization(LearningProblem p) {
        return Standardizer.read(read(normalization(p)), FailureFeatures.SIZE);
    }

    public MlpClassifier loadModel(LearningProblem p, MlpSettings settings) {
        return MlpClassifier.load(model(p), settings, FailureFeatures.SIZE, p.labels().size());
    }

    /** Whether {@code root} looks like a run folder at all, for a message that says what it is not. */
    public void checkExists() {
        if (!Files.isDirectory(root)) {
            throw new InvalidInputException(root.toString(), "", "a run folder of kiban health train",
                    Files.exists(root) ? "a file" : "no such folder");
        }
    }

    private static FieldReader read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "", "a file of a kiban health train run", "no such file");
        }
        return FieldReader.root(Json.readTree(file), file.toString());
    }

    /** The SHA-256 of a data file, so that eval can tell the training data from new data. */
    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file.toString(), "", "an existing file", "no such file");
        } catch (IOException e) {
            throw new KibanException(file + ": cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
