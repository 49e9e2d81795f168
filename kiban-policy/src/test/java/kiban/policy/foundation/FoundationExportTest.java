package kiban.policy.foundation;

import static kiban.policy.export.Chunks.maxDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import kiban.core.error.KibanException;
import kiban.core.error.UnknownNameException;
import kiban.core.json.Json;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;
import kiban.policy.data.InstructionTokens;
import kiban.policy.export.TorchScriptExport;
import kiban.policy.run.Policies;
import kiban.policy.run.RunDirectory;
import kiban.policy.torchscript.TorchScriptPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports embodiments of a tiny foundation run (two embodiments of different sizes) and of a
 * low-rank fine-tuning of it with Debian's python3-torch, and compares the TorchScript module with
 * Kiban's own {@link FoundationPolicy} on the same observations, instructions and noise.
 */
class FoundationExportTest {

    static final String PYTHON = "/usr/bin/python3";
    /** The datasets' actions lie in [-1.25, 1.25]; the export must agree to 1e-5 of that range, as single policies' do. */
    static final double TOLERANCE = 1e-5 * 2.5;

    @TempDir
    static Path shared;
    static Path pretrained;
    static Path adapted;

    @BeforeAll
    static void trainAndExport() {
        Path line = TinyFoundation.dataset(shared.resolve("line"), "line", 2, 1,
                List.of(TinyFoundation.RIGHT, TinyFoundation.LEFT));
        Path arm = TinyFoundation.dataset(shared.resolve("arm"), "arm", 5, 3,
                List.of(TinyFoundation.UP, TinyFoundation.DOWN));
        pretrained = shared.resolve("pretrained");
        new FoundationTrainer(TinyFoundation.config(60), TinyFoundation.mix(line, arm),
                new RunDirectory(pretrained), Optional.empty()).train(false, TinyFoundation.quiet());
        // Low-rank adapters: the export must merge them into the trunk it writes.
        Path flipped = TinyFoundation.dataset(shared.resolve("flipped"), "line", 2, 1, List.of("head west", "head east"));
        adapted = shared.resolve("adapted");
        new FoundationTrainer(TinyFoundation.config(40).with(t -> t.put("lora_rank", 2)), TinyFoundation.mix(flipped),
                new RunDirectory(adapted), Optional.of(new FoundationTrainer.Base(FoundationCheckpoint.open(pretrained),
                        FoundationTrainer.Freeze.TRUNK))).train(false, TinyFoundation.quiet());
    }

    static double[] state(SplittableRandom r, int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.nextDouble(-1, 1);
        }
        return s;
    }

    /** Kiban's policy and the export, seeded alike, on random states under each instruction, one unseen and none included. */
    static void assertSameChunks(Path run, String embodiment, Path export, int stateDim, List<String> instructions) {
        SplittableRandom r = new SplittableRandom(17);
        try (Policy kiban = Policies.load(run, Optional.of(embodiment)); Policy exported = Policies.load(export)) {
            assertThat(exported).isInstanceOf(TorchScriptPolicy.class);
            assertThat(exported.metadata().observation()).isEqualTo(kiban.metadata().observation());
            assertThat(exported.metadata().action()).isEqualTo(kiban.metadata().action());
            assertThat(exported.instructions()).isEqualTo(kiban.instructions());
            List<String> all = new ArrayList<>(instructions);
            all.add("an instruction it never saw");
            all.add("");
            for (int i = 0; i < all.size(); i++) {
                PolicyObservation[] h = {new PolicyObservation(state(r, stateDim), Map.of(), all.get(i))};
                kiban.seed(100 + i);
                double[][] a = kiban.infer(h);
                exported.seed(100 + i);
                assertThat(maxDifference(exported.infer(h), a)).as("instruction '%s'", all.get(i)).isLessThan(TOLERANCE);
                // The comparison means something only if the noise does, and the instruction: other ones, other actions.
                exported.seed(999);
                assertThat(maxDifference(exported.infer(h), a)).isGreaterThan(100 * TOLERANCE);
                exported.seed(100 + i);
                String other = all.get((i + 1) % all.size());
                assertThat(maxDifference(exported.infer(new PolicyObservation[] {h[0].withInstruction(other)}), a))
                        .isGreaterThan(100 * TOLERANCE);
            }
        }
    }

    @Test
    void eachEmbodimentsExportSamplesKibansChunks() {
        var arm = TorchScriptExport.export(pretrained, Optional.of("arm"), shared.resolve("arm-ts"), PYTHON);
        assertThat(arm.policy()).isEqualTo("foundation");
        assertThat(arm.embodiment()).isEqualTo("arm");
        assertSameChunks(pretrained, "arm", arm.dir(), 5, List.of(TinyFoundation.UP, TinyFoundation.DOWN));
        var line = TorchScriptExport.export(pretrained, Optional.of("line"), shared.resolve("line-ts"), PYTHON);
        assertSameChunks(pretrained, "line", line.dir(), 2, List.of(TinyFoundation.RIGHT, TinyFoundation.LEFT));

        JsonNode policy = Json.readTree(arm.dir().resolve("policy.json"));
        assertThat(policy.path("type").asText()).isEqualTo(TorchScriptPolicy.TYPE);
        assertThat(policy.path("embodiment").asText()).isEqualTo("arm");
        assertThat(policy.path("instructions").path("encoder").asText()).isEqualTo(InstructionTokens.NAME);
        assertThat(policy.path("instructions").path("trained_on").toString()).isEqualTo("[\"lower the arm\",\"raise the arm\"]");
        JsonNode provenance = Json.readTree(arm.dir().resolve(TorchScriptExport.PROVENANCE_FILE));
        assertThat(provenance.path("policy").asText()).isEqualTo("foundation");
        assertThat(provenance.path("embodiment").asText()).isEqualTo("arm");
        assertThat(arm.dir().resolve("normalization.json")).doesNotExist();
    }

    @Test
    void aLowRankFineTuningIsExportedWithItsAdaptersMerged() {
        var r = TorchScriptExport.export(adapted, Optional.of("line"), shared.resolve("adapted-ts"), PYTHON);
        assertSameChunks(adapted, "line", r.dir(), 2, List.of("head west", "head east"));
    }

    @Test
    void severalEmbodimentsAndNoChoiceAreRefusedNamingThem(@TempDir Path tmp) {
        assertThatThrownBy(() -> TorchScriptExport.export(pretrained, tmp.resolve("a"), PYTHON))
                .isInstanceOf(KibanException.class).hasMessageContaining("[line, arm]").hasMessageContaining("--embodiment");
        assertThatThrownBy(() -> TorchScriptExport.export(pretrained, Optional.of("gripper"), tmp.resolve("b"), PYTHON))
                .isInstanceOf(UnknownNameException.class).hasMessageContaining("gripper").hasMessageContaining("arm");
        assertThat(tmp.resolve("a")).doesNotExist();
        assertThat(tmp.resolve("b")).doesNotExist();
    }

    @Test
    void anExportWhoseTokenizerThisKibanDoesNotHaveIsRefused(@TempDir Path tmp) throws Exception {
        Path out = TorchScriptExport.export(pretrained, Optional.of("line"), tmp.resolve("line-ts"), PYTHON).dir();
        Path file = out.resolve("policy.json");
        ObjectNode policy = (ObjectNode) Json.readTree(file);
        ((ObjectNode) policy.path("instructions")).put("encoder", "sentencepiece");
        Files.writeString(file, Json.pretty(policy));
        assertThatThrownBy(() -> Policies.load(out)).hasMessageContaining(file.toString()).hasMessageContaining("encoder")
                .hasMessageContaining(InstructionTokens.NAME).hasMessageContaining("sentencepiece");
    }

    /** The export's Python tokenizer gives Kiban's word ids, Unicode letters and digits included. */
    @Test
    void theExportsPythonTokenizerGivesKibansIds(@TempDir Path tmp) throws Exception {
        Path out = TorchScriptExport.export(pretrained, Optional.of("line"), tmp.resolve("line-ts"), PYTHON).dir();
        InstructionTokens tokens = new InstructionTokens(1024, 8);
        List<String> texts = List.of("Place the cube in the LEFT zone!", "go  right -- now, 2x faster", "",
                "Schiebe das T nach links, bitte: Größe 3", "ΣΟΦΟΣ λόγος", "İstanbul café naïve", "把方块放在左边 ok",
                "robot_arm 42nd/step; \uD83E\uDD16 done", "one two three four five six seven eight nine ten");
        // Through a UTF-8 file: process arguments would pass through the platform's charset.
        Files.writeString(tmp.resolve("texts.json"), Json.compact(Json.MAPPER.valueToTree(texts)),
                java.nio.charset.StandardCharsets.UTF_8);
        String script = """
                import json, sys
                sys.path.insert(0, sys.argv[1])
                import word_tokens
                for t in json.load(open(sys.argv[2], encoding="utf-8")):
                    print(json.dumps(word_tokens.encode(t, 1024, 8)))
                """;
        Process p = new ProcessBuilder(PYTHON, "-c", script, out.toString(), tmp.resolve("texts.json").toString())
                .redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip()
                .lines().toList();
        assertThat(p.waitFor()).as(String.join("\n", lines)).isZero();
        assertThat(lines).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] ids = tokens.encode(texts.get(i));
            long[] expected = new long[ids.length];
            for (int j = 0; j < ids.length; j++) {
                expected[j] = (long) ids[j];
            }
            assertThat(Json.MAPPER.readValue(lines.get(i), long[].class)).as(texts.get(i)).containsExactly(expected);
        }
    }

    /** PyTorch itself runs the module: the same noise and word ids give Kiban's chunk. */
    @Test
    void pytorchRunsTheExportWithTheInstructionsWordIds(@TempDir Path tmp) throws Exception {
        Path out = TorchScriptExport.export(pretrained, Optional.of("arm"), tmp.resolve("arm-ts"), PYTHON).dir();
        SplittableRandom r = new SplittableRandom(5);
        InstructionTokens tokens = FoundationCheckpoint.open(pretrained).config().tokens();
        ArrayNode cases = Json.array();
        List<double[][]> expected = new ArrayList<>();
        try (Policy kiban = Policies.load(pretrained, Optional.of("arm")); NDManager m = NDManager.newBaseManager()) {
            for (String instruction : List.of(TinyFoundation.UP, TinyFoundation.DOWN)) {
                double[] s = state(r, 5);
                Engine.getInstance().setRandomSeed(7);
                float[] noise = m.randomNormal(new Shape(1, 4 * 3)).toFloatArray();
                kiban.seed(7);
                expected.add(kiban.infer(new PolicyObservation[] {new PolicyObservation(s, Map.of(), instruction)}));
                ObjectNode c = cases.addObject();
                c.set("obs", Json.MAPPER.valueToTree(new double[][][] {{s}}));
                c.set("noise", Json.MAPPER.valueToTree(new float[][] {noise}));
                c.set("tokens", Json.MAPPER.valueToTree(new float[][] {tokens.encode(instruction)}));
            }
        }
        Files.writeString(tmp.resolve("cases.json"), Json.compact(cases));
        String script = """
                import json, sys, torch
                m = torch.jit.load(sys.argv[1])
                out = []
                for c in json.load(open(sys.argv[2])):
                    y = m(torch.tensor(c["obs"]), torch.tensor(c["noise"]), torch.tensor(c["tokens"]).long())
                    out.append(y[0].tolist())
                print(json.dumps(out))
                """;
        Process p = new ProcessBuilder(PYTHON, "-c", script, out.resolve("model.pt").toString(), tmp.resolve("cases.json").toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(log).isZero();
        JsonNode got = Json.parseTree(log.strip().lines().reduce((a, b) -> b).orElseThrow(), "python");
        for (int i = 0; i < expected.size(); i++) {
            assertThat(maxDifference(Json.MAPPER.convertValue(got.get(i), double[][].class), expected.get(i))).isLessThan(TOLERANCE);
        }
    }
}
