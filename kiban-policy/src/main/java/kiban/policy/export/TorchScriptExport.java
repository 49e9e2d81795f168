package kiban.policy.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.PolicyMetadata;
import kiban.policy.data.EncodingLayout;
import kiban.policy.model.Networks;
import kiban.policy.model.PolicyTypes;
import kiban.policy.model.ScriptedNetwork;
import kiban.policy.run.PolicyFiles;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.RunKind;
import kiban.policy.run.RunKinds;
import kiban.policy.run.ScriptSpecs;
import kiban.policy.run.ScriptedRun;
import kiban.policy.run.TrainConfig;
import kiban.policy.run.TrainedPolicy;
import kiban.policy.torchscript.TorchScriptPolicy;

/**
 * Writes a run's newest checkpoint (EMA weights) as a TorchScript policy folder:
 * {@code model.pt}, {@code policy.json} (type {@code torchscript}) and {@code export.json}
 * (where it came from). The module takes physical observations and returns physical actions: the
 * feature encoding and the normalisation are inside it, so the folder has no
 * {@code normalization.json}.
 */
public final class TorchScriptExport {

    public static final String FORMAT = "torchscript";
    /** Where an export came from: the source run, its checkpoint and policy type, the PyTorch version. */
    public static final String PROVENANCE_FILE = "export.json";
    static final String SCRIPT = "torchscript_export.py";
    /** The script and the modules it imports, copied beside each other. */
    private static final List<String> SCRIPTS = List.of(SCRIPT, "foundation_network.py", "estimated_state.py");
    /** Kiban's word tokenizer in Python, written beside an export whose module reads word ids. */
    public static final String TOKENIZER = "word_tokens.py";
    /** Exit status of the script when the Python it runs in has no PyTorch. */
    private static final int NO_TORCH = 3;
    private static final long TIMEOUT_MINUTES = 10;

    /**
     * @param embodiment the embodiment exported from a run of several (a foundation policy's), else empty
     * @param torchVersion the PyTorch version that scripted the module
     */
    public record Result(Path dir, String policy, String embodiment, Path checkpoint, String torchVersion) {}

    private TorchScriptExport() {}

    /** {@code KIBAN_PYTHON} if set, else Debian's {@code /usr/bin/python3} if present, else {@code python3}. */
    public static String defaultPython() {
        String env = System.getenv("KIBAN_PYTHON");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** The policy type {@code dir}'s export was made from ({@code export.json}'s {@code policy}), if it is an export. */
    public static Optional<String> sourcePolicy(Path dir) {
        Path file = dir.resolve(PROVENANCE_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode policy = Json.readTree(file).path("policy");
        return policy.isTextual() ? java.util.Optional.of(policy.asText()) : java.util.Optional.empty();
    }

    /** Exports a single-embodiment training run (or a run of a {@link RunKind} with one embodiment). */
    public static Result export(Path runDir, Path out, String python) {
        return export(runDir, Optional.empty(), out, python);
    }

    /**
     * Exports the run in {@code runDir}; for a run of several embodiments (a foundation policy's) the
     * one that answers to {@code embodiment}, which a single-embodiment run ignores, as loading does.
     */
    public static Result export(Path runDir, Optional<String> embodiment, Path out, String python) {
        if (Files.exists(out) && !isEmptyDirectory(out)) {
            throw new KibanException(out + ": already exists and is not an empty folder; export into a new folder");
        }
        Optional<RunKind> kind = RunKinds.of(runDir);
        if (kind.isPresent()) {
            return exportKind(kind.get(), runDir, embodiment, out, python);
        }
        Path checkpoint = new RunDirectory(runDir).latestCheckpoint().orElse(null);
        try (TrainedPolicy policy = TrainedPolicy.load(runDir)) {
            if (!policy.instructions().isEmpty()) {
                throw new KibanException(runDir + ": this policy follows instructions (it was trained on "
                        + policy.instructions().size() + " tasks), and kiban export does not write"
                        + " the instruction encoder into TorchScript yet; serve the run itself with kiban serve, which"
                        + " takes the instruction as openpi's prompt");
            }
            Path stage = Files.createTempDirectory("kiban-export");
            try {
                writeSpec(policy, stage);
                String torch = runScript(python, stage);
                PolicyMetadata m = policy.metadata();
                PolicyMetadata exported = new PolicyMetadata(TorchScriptPolicy.TYPE, m.observation(), m.action(),
                        m.observationSteps(), m.horizon(), m.actionSteps(), m.deltaActions(), m.images());
                // The module returns what the trained policy returns: steps for the delta actions.
                publish(stage, out, PolicyFiles.toTree(exported), provenance(policy.config().policy(), "", runDir, checkpoint,
                        sampling(policy), torch));
                return new Result(out, policy.config().policy(), "", checkpoint, torch);
            } finally {
                deleteTree(stage);
            }
        } catch (IOException e) {
            throw new KibanException(out + ": cannot write the export: " + e.getMessage(), e);
        }
    }

    /** One embodiment of a run kind's run, staged by the kind; a kind that cannot be scripted is refused. */
    private static Result exportKind(RunKind kind, Path runDir, Optional<String> embodiment, Path out, String python) {
        ScriptedRun scripted = kind.torchScript().orElseThrow(() -> new KibanException(runDir + ": kiban export cannot"
                + " write a " + kind.type() + " run as TorchScript yet; serve the run itself with kiban serve"));
        try {
            Path stage = Files.createTempDirectory("kiban-export");
            try {
                ScriptedRun.Stage staged = scripted.stage(runDir, embodiment, stage);
                String torch = runScript(python, stage);
                publish(stage, out, staged.policyFile(), provenance(kind.type(), staged.embodiment(), runDir,
                        staged.checkpoint(), staged.sampling(), torch));
                return new Result(out, kind.type(), staged.embodiment(), staged.checkpoint(), torch);
            } finally {
                deleteTree(stage);
            }
        } catch (IOException e) {
            throw new KibanException(out + ": cannot write the export: " + e.getMessage(), e);
        }
    }

    /**
     * Moves the scripted module and writes the two files into a folder beside {@code out}, then
     * renames it to {@code out} (an empty one is replaced), so that a failure leaves no half-written export.
     */
    private static void publish(Path stage, Path out, ObjectNode policyFile, ObjectNode provenance) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        Path ready = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".export-");
        try {
            Files.move(stage.resolve(TorchScriptPolicy.MODEL_FILE), ready.resolve(TorchScriptPolicy.MODEL_FILE));
            Files.writeString(ready.resolve("policy.json"), Json.pretty(policyFile));
            Files.writeString(ready.resolve(PROVENANCE_FILE), Json.pretty(provenance));
            if (policyFile.has("instructions")) {
                // The module reads word ids: the tokenizer in Python, for PyTorch users who hold the text.
                copyResource(TOKENIZER, ready);
            }
            if (Files.isDirectory(target)) {
                Files.delete(target); // empty: checked before the export began
            }
            Files.move(ready, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(ready)) {
                deleteTree(ready);
            }
        }
    }

    private static ObjectNode provenance(String policy, String embodiment, Path runDir, Path checkpoint, ObjectNode sampling,
            String torch) {
        ObjectNode o = Json.object();
        o.put("format_version", 1);
        o.put("source_run", runDir.toAbsolutePath().normalize().toString());
        o.put("checkpoint", checkpoint == null ? null : checkpoint.getFileName().toString());
        o.put("policy", policy);
        if (!embodiment.isEmpty()) {
            o.put("embodiment", embodiment);
        }
        o.setAll(sampling);
        o.put("torch", torch);
        o.put("inputs", "obs: float32 (batch, observation_steps, observation_dim) in physical units, oldest first;"
                + " noise: flow and diffusion policies take an optional standard normal noise (batch, horizon * action_dim),"
                + " else draw torch.randn; a flow policy scales either by flow_noise_scale;"
                + " images: a policy that reads cameras takes a list of uint8 tensors, one per camera of policy.json's"
                + " images in order, each (batch, observation_steps, height, width, channels);"
                + " tokens: a foundation policy takes the instruction's word ids instead, int64 (batch, max_tokens), as"
                + " policy.json's instructions tokenizer gives them");
        o.put("outputs", "float32 (batch, horizon, action_dim) in physical units");
        return o;
    }

    /**
     * Writes what the export script reads into {@code dir}: {@code spec.json} and
     * {@code weights.bin}. The Python serving peer of {@code kiban bench serve --peer python}
     * rebuilds the same network from them.
     */
    public static void writeStage(TrainedPolicy policy, Path dir) {
        try {
            Files.createDirectories(dir);
            writeSpec(policy, dir);
        } catch (IOException e) {
            throw new KibanException(dir + ": cannot write the policy's spec and weights: " + e.getMessage(), e);
        }
    }

    /** spec.json (everything but the weights) and weights.bin (little-endian float32 in spec order). */
    private static void writeSpec(TrainedPolicy policy, Path stage) throws IOException {
        TrainConfig c = policy.config();
        EncodingLayout l = policy.codec().layout();
        ObjectNode spec = Json.object();
        spec.put("format_version", 1);
        spec.put("policy", c.policy());
        spec.put("observation_steps", policy.metadata().observationSteps());
        spec.put("horizon", policy.metadata().horizon());
        spec.put("action_dim", policy.codec().actionDim());
        if (!policy.metadata().images().isEmpty()) {
            ArrayNode cameras = spec.putArray("images");
            for (ImageSpec i : policy.metadata().images()) {
                ObjectNode camera = ScriptSpecs.addImage(cameras, i);
                // Trained on crops: the module centre-crops each frame as TrainedPolicy does.
                var crop = c.imageAugmentation();
                if (crop.crops()) {
                    var centre = crop.centre(i);
                    camera.putArray("crop").add(centre.top()).add(centre.left()).add(crop.cropHeight()).add(crop.cropWidth());
                }
            }
            spec.put("image_feature_dim", c.imageFeatureDim());
            spec.put("image_encoder", c.imageEncoding().encoder());
            spec.put("shared_image_encoder", c.imageEncoding().shared());
        }
        ScriptSpecs.putEncoding(spec, l);
        scripted(c).writeSpec(c.model(), Networks.chunk(c, policy.metadata().horizon() * policy.codec().actionDim()), spec);
        ScriptSpecs.write(spec, policy.weights(), stage);
    }

    /** The sampling settings {@code export.json} lists for {@code policy}'s type (a flow policy's steps; none for mlp). */
    public static ObjectNode sampling(TrainedPolicy policy) {
        ObjectNode sampling = Json.object();
        scripted(policy.config()).describeSampling(policy.config().model(), sampling);
        return sampling;
    }

    /** How the export script rebuilds {@code c}'s type of network; a type it cannot rebuild is refused. */
    private static ScriptedNetwork scripted(TrainConfig c) {
        return PolicyTypes.registry().get(c.policy()).torchScript().orElseThrow(() -> new KibanException(
                "kiban export cannot write a " + c.policy() + " policy as TorchScript yet (its export script does not"
                        + " rebuild that network); serve the run itself with kiban serve"));
    }

    /** Copies the export scripts into {@code stage} and runs them there; returns the PyTorch version. */
    private static String runScript(String python, Path stage) throws IOException {
        for (String name : SCRIPTS) {
            copyResource(name, stage);
        }
        Path script = stage.resolve(SCRIPT);
        Path model = stage.resolve(TorchScriptPolicy.MODEL_FILE);
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), stage.toString(), model.toString())
                .redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new KibanException("cannot run '" + python + "' (" + e.getMessage() + "); exporting to TorchScript needs"
                    + " Python 3 with PyTorch (Debian: apt-get install python3-torch); name it with --python or KIBAN_PYTHON", e);
        }
        String log = new String(p.getInputStream().readAllBytes());
        int status;
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new KibanException("the TorchScript export script did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            status = p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new KibanException("interrupted while exporting to TorchScript", e);
        }
        if (status == NO_TORCH) {
            throw new KibanException("'" + python + "' has no PyTorch (" + log.strip() + "); install it (Debian:"
                    + " apt-get install python3-torch) or name another Python with --python or KIBAN_PYTHON");
        }
        if (status != 0 || !Files.isRegularFile(model)) {
            throw new KibanException("the TorchScript export script failed (exit status " + status + "):\n" + tail(log));
        }
        String last = log.strip().lines().reduce((a, b) -> b).orElse("{}");
        JsonNode info = Json.parseTree(last, "the export script's output");
        return info.path("torch").asText("unknown");
    }

    private static void copyResource(String name, Path dir) throws IOException {
        try (InputStream in = TorchScriptExport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the kiban-policy jar");
            }
            Files.copy(in, dir.resolve(name));
        }
    }

    private static String tail(String log) {
        var lines = log.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new KibanException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
