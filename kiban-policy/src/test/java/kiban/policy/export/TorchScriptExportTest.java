package kiban.policy.export;

import static kiban.policy.export.Chunks.maxDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.json.Json;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;
import kiban.core.progress.Progress;
import kiban.policy.data.Episode;
import kiban.policy.data.TrainingData;
import kiban.policy.run.Policies;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainConfig;
import kiban.policy.run.TrainedPolicy;
import kiban.policy.torchscript.TorchScriptPolicy;
import kiban.policy.train.PolicyTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Exports small trained runs with Debian's python3-torch (installed by scripts/install-test-deps). */
class TorchScriptExportTest {

    static final String PYTHON = "/usr/bin/python3";
    static final int STEPS = 2;
    static final int HORIZON = 4;
    /** Actions are pixels in 0..512; the exported module must agree to 1e-5 of that range. */
    static final double TOLERANCE = 1e-5 * 512;

    /** PushT's layout: agent and block positions and the block's angle, so every encoding path is used. */
    static final List<FeatureSpec> OBSERVATION = List.of(
            feature("agent_pos", "px", 2, 0, 512), feature("block_pos", "px", 2, 0, 512),
            feature("block_angle", "rad", 1, 0, 2 * Math.PI), feature("speed", "px/s", 1, -50, 50));
    static final List<FeatureSpec> ACTION = List.of(feature("target", "px", 2, 0, 512));

    static FeatureSpec feature(String name, String unit, int size, double low, double high) {
        return new FeatureSpec(name, unit, List.of(size), List.of(), java.util.Collections.nCopies(size, low),
                java.util.Collections.nCopies(size, high), List.of());
    }

    static double[] observation(SplittableRandom r) {
        return new double[] {r.nextDouble(512), r.nextDouble(512), r.nextDouble(512), r.nextDouble(512),
            r.nextDouble(2 * Math.PI), r.nextDouble(-50, 50)};
    }

    /** A camera of random pixels: the parity checks need every pixel path used, not a learnable picture. */
    static final ImageSpec CAMERA = ImageSpec.ofCamera("front", 12, 16);

    static byte[] frame(SplittableRandom r) {
        byte[] rgb = new byte[CAMERA.bytes()];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) r.nextInt(256);
        }
        return rgb;
    }

    static TrainingData data(boolean images) {
        SplittableRandom r = new SplittableRandom(3);
        List<Episode> episodes = new ArrayList<>();
        for (int e = 0; e < 12; e++) {
            double[][] obs = new double[10][];
            double[][] act = new double[10][];
            byte[][] frames = new byte[10][];
            for (int t = 0; t < obs.length; t++) {
                obs[t] = observation(r);
                act[t] = new double[] {obs[t][2] + 20 * Math.cos(obs[t][4]), obs[t][3] + 20 * Math.sin(obs[t][4])};
                frames[t] = frame(r);
            }
            episodes.add(images ? new Episode(obs, act, List.<byte[][]>of(frames)) : new Episode(obs, act));
        }
        return TrainingData.split(OBSERVATION, ACTION, images ? List.of(CAMERA) : List.of(), episodes, 0.1, "synthetic",
                "none");
    }

    /**
     * Policy types, {@code -film} for a flow policy with the FiLM residual head, {@code -image} for one reading {@link #CAMERA},
     * through the first image encoder or, with {@code -resnet}, the residual one ({@code -shared}: shared by the cameras).
     */
    static final List<String> VARIANTS = List.of("mlp", "flow", "flow-film", "diffusion", "act", "flow-image", "act-image",
            "flow-resnet-image", "act-shared-resnet-image");

    static List<String> variants() {
        return VARIANTS;
    }

    static String policyType(String variant) {
        return variant.split("-")[0];
    }

    static Path train(String variant, Path dir) {
        boolean film = variant.endsWith("-film");
        boolean images = variant.endsWith("-image");
        String policy = policyType(variant);
        TrainConfig c = TrainConfig.defaults().with(t -> {
            t.put("policy", policy).put("steps", 30).put("batch", 16).put("warmup_steps", 5).put("checkpoint_every", 30)
                    .put("validate_every", 30).put("observation_steps", STEPS).put("horizon", HORIZON).put("action_steps", 2)
                    .put("flow_steps", 4).put("flow_noise_scale", 0.5).put("normalization", "mean_std");
            if (film) {
                t.put("flow_head", "film").putArray("hidden").add(24).add(24);
            } else {
                t.putArray("hidden").add(32).add(24);
            }
            if (policy.equals("diffusion")) {
                // Min-max normalisation makes DDIM clip its clean estimates, the path with most arithmetic.
                t.put("normalization", "min_max");
            }
            if (policy.equals("act")) {
                t.put("model_dim", 16).put("heads", 2).put("encoder_layers", 2).put("decoder_layers", 1);
            }
            if (images) {
                t.put("image_feature_dim", 6).putArray("image_features").add(CAMERA.name());
            }
            if (variant.contains("-resnet")) {
                t.put("image_encoder", "resnet").put("shared_image_encoder", variant.contains("-shared"));
            }
            if (variant.equals("act-image")) {
                // The state the network reads is then a selection: the encoding's select path with cameras.
                t.putArray("state_features").add("agent_pos").add("block_pos").add("block_angle");
                // Trained on off-centre random crops, so the module must centre-crop as TrainedPolicy does.
                t.putArray("image_crop").add(10).add(12);
                t.put("image_jitter", 0.1);
            }
        });
        Progress quiet = Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 0);
        new PolicyTrainer(c, data(images), new RunDirectory(dir)).train(false, quiet);
        return dir;
    }

    @TempDir
    static Path shared;

    /** A trained run and its export per policy type, made once: each export starts Python and PyTorch. */
    static final java.util.Map<String, Path[]> EXPORTS = new java.util.TreeMap<>();

    @BeforeAll
    static void trainAndExport() {
        for (String variant : VARIANTS) {
            Path run = train(variant, shared.resolve(variant + "-run"));
            var result = TorchScriptExport.export(run, shared.resolve(variant + "-out"), PYTHON);
            assertThat(result.policy()).isEqualTo(policyType(variant));
            EXPORTS.put(variant, new Path[] {run, result.dir()});
        }
    }

    /** Two observations, with frames of {@link #CAMERA} for a variant that reads it. */
    static PolicyObservation[] history(SplittableRandom r, String variant) {
        PolicyObservation[] h = new PolicyObservation[STEPS];
        for (int k = 0; k < h.length; k++) {
            h[k] = variant.endsWith("-image") ? new PolicyObservation(observation(r), Map.of(CAMERA.name(), frame(r)))
                    : PolicyObservation.of(observation(r));
        }
        return h;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void kibanLoadsTheExportBackWithTheSameActions(String policy) {
        Path run = EXPORTS.get(policy)[0];
        Path out = EXPORTS.get(policy)[1];
        assertThat(out.resolve("model.pt")).exists();
        assertThat(out.resolve("normalization.json")).doesNotExist();
        assertThat(Json.readTree(out.resolve("export.json")).path("policy").asText()).isEqualTo(policyType(policy));
        SplittableRandom r = new SplittableRandom(11);
        try (TrainedPolicy original = TrainedPolicy.load(run); Policy exported = Policies.load(out)) {
            assertThat(exported).isInstanceOf(TorchScriptPolicy.class);
            assertThat(exported.metadata().horizon()).isEqualTo(HORIZON);
            assertThat(exported.metadata().actionSteps()).isEqualTo(2);
            assertThat(exported.metadata().observation()).isEqualTo(original.metadata().observation());
            assertThat(exported.metadata().images()).isEqualTo(original.metadata().images());
            for (int i = 0; i < 5; i++) {
                PolicyObservation[] h = history(r, policy);
                // Both draw the sampling noise from libtorch's global generator.
                Engine.getInstance().setRandomSeed(100 + i);
                double[][] a = original.infer(h);
                Engine.getInstance().setRandomSeed(100 + i);
                double[][] b = exported.infer(h);
                assertClose(b, a);
                if (policy.startsWith("flow") || policy.equals("diffusion")) {
                    // The comparison means something only if the noise does: another seed, other actions.
                    Engine.getInstance().setRandomSeed(999);
                    assertThat(maxDifference(exported.infer(h), a)).isGreaterThan(100 * TOLERANCE);
                }
                if (policy.endsWith("-image")) {
                    // ... and only if the pictures do: other frames, other actions.
                    PolicyObservation[] other = {new PolicyObservation(h[0].state(), Map.of(CAMERA.name(), frame(r))), h[1]};
                    Engine.getInstance().setRandomSeed(100 + i);
                    assertThat(maxDifference(exported.infer(other), a)).isGreaterThan(100 * TOLERANCE);
                }
            }
            if (policy.endsWith("-image")) {
                double[][] states = {observation(r), observation(r)};
                assertThatThrownBy(() -> exported.infer(states)).hasMessageContaining("reads image " + CAMERA.name())
                        .hasMessageContaining("has no images");
            }
        }
    }

    /** PyTorch itself loads the module and, given the same noise, returns Kiban's actions. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void pytorchRunsTheExport(String policy, @TempDir Path tmp) throws Exception {
        Path run = EXPORTS.get(policy)[0];
        Path out = EXPORTS.get(policy)[1];
        SplittableRandom r = new SplittableRandom(5);
        ArrayNode cases = Json.array();
        List<double[][]> expected = new ArrayList<>();
        try (TrainedPolicy original = TrainedPolicy.load(run); NDManager m = NDManager.newBaseManager()) {
            for (int i = 0; i < 3; i++) {
                PolicyObservation[] h = history(r, policy);
                Engine.getInstance().setRandomSeed(7 + i);
                float[] noise = m.randomNormal(new Shape(1, HORIZON * 2)).toFloatArray();
                Engine.getInstance().setRandomSeed(7 + i);
                expected.add(original.infer(h));
                ObjectNode c = cases.addObject();
                c.set("obs", Json.MAPPER.valueToTree(new double[][][] {{h[0].state(), h[1].state()}}));
                c.set("noise", Json.MAPPER.valueToTree(new float[][] {noise}));
                if (policy.endsWith("-image")) {
                    // The camera's frames, flat (its bytes as 0..255), and the (1, steps, H, W, C) shape they take.
                    ArrayNode pixels = c.putArray("frames");
                    for (PolicyObservation o : h) {
                        for (byte b : o.image(CAMERA)) {
                            pixels.add(b & 0xff);
                        }
                    }
                    c.set("shape", Json.MAPPER.valueToTree(new int[] {1, STEPS, CAMERA.height(), CAMERA.width(), CAMERA.channels()}));
                }
            }
        }
        Files.writeString(tmp.resolve("cases.json"), Json.compact(cases));
        String script = """
                import json, sys, torch
                m = torch.jit.load(sys.argv[1])
                out = []
                for c in json.load(open(sys.argv[2])):
                    obs, noise = torch.tensor(c["obs"], dtype=torch.float64), torch.tensor(c["noise"])
                    if "frames" in c:
                        y = m(obs, noise, [torch.tensor(c["frames"], dtype=torch.uint8).reshape(c["shape"])])
                    else:
                        y = m(obs, noise)
                    out.append(y[0].tolist())
                print(json.dumps(out))
                """;
        Process p = new ProcessBuilder(PYTHON, "-c", script, out.resolve("model.pt").toString(),
                tmp.resolve("cases.json").toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(log).isZero();
        JsonNode got = Json.parseTree(log.strip().lines().reduce((a, b) -> b).orElseThrow(), "python");
        for (int i = 0; i < expected.size(); i++) {
            assertClose(Json.MAPPER.convertValue(got.get(i), double[][].class), expected.get(i));
        }
    }

    @Test
    void badTargetsAndMissingPyTorchAreNamed(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> TorchScriptExport.export(tmp, tmp.resolve("out"), PYTHON))
                .hasMessageContaining("not a training run");
        Path run = EXPORTS.get("mlp")[0];
        Files.createDirectories(tmp.resolve("full"));
        Files.writeString(tmp.resolve("full/x"), "x");
        assertThatThrownBy(() -> TorchScriptExport.export(run, tmp.resolve("full"), PYTHON))
                .hasMessageContaining("not an empty folder");
        assertThatThrownBy(() -> TorchScriptExport.export(run, tmp.resolve("a"), tmp.resolve("no-python").toString()))
                .hasMessageContaining("cannot run").hasMessageContaining("python3-torch");
        // A Python without PyTorch: an interpreter whose import of torch fails.
        Path fake = tmp.resolve("python-without-torch");
        Files.writeString(fake, "#!/bin/sh\nexec " + PYTHON + " -c 'import sys; sys.modules[\"torch\"] = None; "
                + "sys.argv = sys.argv[1:]; exec(open(sys.argv[0]).read())' \"$@\"\n");
        fake.toFile().setExecutable(true);
        assertThatThrownBy(() -> TorchScriptExport.export(run, tmp.resolve("b"), fake.toString()))
                .hasMessageContaining("has no PyTorch").hasMessageContaining("python3-torch");
        assertThat(tmp.resolve("b")).doesNotExist();
    }

    static void assertClose(double[][] actual, double[][] expected) {
        assertThat(actual).hasNumberOfRows(expected.length);
        for (int h = 0; h < expected.length; h++) {
            for (int j = 0; j < expected[h].length; j++) {
                assertThat(Math.abs(actual[h][j] - expected[h][j])).as("row %d element %d: %s vs %s", h, j,
                        actual[h][j], expected[h][j]).isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }
}
