package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {

    /** The acceptance: a TorchScript policy made in Python PyTorch is evaluated by kiban eval. */
    @Test
    void evaluatesATorchScriptPolicyFromPyTorch(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("from-pytorch");
        Path script = Path.of("..", "examples", "torchscript", "pusht_policy.py").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), policy.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(log).isZero();

        Path report = dir.resolve("report.html");
        CliRun run = CliRun.of("eval", "--checkpoint", policy.toString(), "--env", "pusht", "--episodes", "3", "--seed", "100000",
                "--report", report.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = Json.MAPPER.readTree(run.out());
        assertThat(r.get("policy").asText()).isEqualTo("torchscript");
        assertThat(r.get("episodes").asInt()).isEqualTo(3);
        assertThat(r.get("success_rate_ci95")).hasSize(2);
        assertThat(Files.readString(report)).contains("torchscript policy");
    }

    @Test
    void aMissingCheckpointIsNamed(@TempDir Path dir) {
        CliRun run = CliRun.of("eval", "--checkpoint", dir.resolve("nothing").toString(), "--env", "pusht");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("kiban: error: " + dir.resolve("nothing") + ": no such folder");
    }

    @Test
    void actionStepsOverrideTheRunsAndAreChecked(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        CliRun plain = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "1", "--json");
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(Json.MAPPER.readTree(plain.out()).get("action_steps").asInt()).isEqualTo(8);
        CliRun one = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "1", "--action-steps", "1",
                "--json");
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(Json.MAPPER.readTree(one.out()).get("action_steps").asInt()).isEqualTo(1);
        CliRun tooMany = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--action-steps", "17");
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.err()).contains("--action-steps must lie in [1, 16]", "got 17");
        CliRun ensemble = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--action-steps", "2",
                "--execution", "ensemble");
        assertThat(ensemble.exitCode()).isEqualTo(2);
        assertThat(ensemble.err()).contains("--action-steps applies to --execution chunks");
    }

    @Test
    void observationNoiseIsReportedAndItsFeaturesAndDeviationsAreChecked(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        CliRun noisy = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "1",
                "--observation-noise", "block_pos=2,block_angle=0.035", "--json");
        assertThat(noisy.exitCode()).as(noisy.err()).isZero();
        var o = Json.MAPPER.readTree(noisy.out()).get("observation_noise");
        assertThat(o.get("block_pos").asDouble()).isEqualTo(2.0);
        assertThat(o.get("block_angle").asDouble()).isEqualTo(0.035);
        CliRun unknown = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--observation-noise", "block=2");
        assertThat(unknown.exitCode()).as(unknown.err()).isNotZero();
        assertThat(unknown.err()).contains("'block'", "block_pos", "agent_pos");
        CliRun negative = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--observation-noise", "block_pos=-2");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("--observation-noise", "block_pos", "-2.0");
        CliRun notANumber = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--observation-noise", "block_pos=far");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).contains("far");
    }

    @Test
    void anInferenceDelayChangesTheEpisodesAndIsChecked(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("ur5e-pick-place", dir);
        CliRun prompt = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "ur5e-pick-place", "--episodes", "2", "--json");
        CliRun late = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "ur5e-pick-place", "--episodes", "2", "--delay-steps", "4",
                "--json");
        assertThat(late.exitCode()).as(late.err()).isZero();
        var p = Json.MAPPER.readTree(prompt.out());
        var l = Json.MAPPER.readTree(late.out());
        assertThat(l.get("delay_steps").asInt()).isEqualTo(4);
        assertThat(p.get("delay_steps").asInt()).isZero();
        // Chunks that start 4 rows in move the arm elsewhere: the same seeds end with other rewards (reaching counts).
        assertThat(l.get("mean_reward").asDouble()).isNotEqualTo(p.get("mean_reward").asDouble());
        CliRun tooLong = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "ur5e-pick-place", "--delay-steps", "9");
        assertThat(tooLong.exitCode()).as(tooLong.err()).isEqualTo(2);
        assertThat(tooLong.err()).contains("--delay-steps must lie in [0, 8]", "got 9");
        CliRun ensembleTooLong = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "ur5e-pick-place", "--delay-steps", "16",
                "--execution", "ensemble");
        assertThat(ensembleTooLong.exitCode()).as(ensembleTooLong.err()).isEqualTo(2);
        assertThat(ensembleTooLong.err()).contains("--delay-steps must lie in [0, 15] with ensembling", "got 16");
    }

    @Test
    void crossFadingAndEnsemblingRunWithADelay(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("ur5e-pick-place", dir);
        JsonNode chunks = eval(run, "chunks", 4);
        JsonNode faded = eval(run, "crossfade", 4);
        assertThat(faded.get("execution").asText()).isEqualTo("crossfade");
        assertThat(faded.get("action_steps").asInt()).isEqualTo(chunks.get("action_steps").asInt());
        // Fading each chunk in from the last moves the arm elsewhere on the same seeds.
        assertThat(faded.get("mean_reward").asDouble()).isNotEqualTo(chunks.get("mean_reward").asDouble());
        JsonNode prompt = eval(run, "ensemble", 0);
        JsonNode late = eval(run, "ensemble", 6);
        assertThat(late.get("delay_steps").asInt()).isEqualTo(6);
        assertThat(late.get("mean_reward").asDouble()).isNotEqualTo(prompt.get("mean_reward").asDouble());
    }

    @Test
    void rtcRunsAFlowPolicyAndRefusesAnMlp(@TempDir Path dir) throws Exception {
        Path mlp = CliRun.tinyCheckpoint("ur5e-pick-place", dir);
        Path flow = dir.resolve("flow");
        CliRun train = CliRun.of("train", "--dataset", dir.resolve("data").toString(), "--policy", "flow", "--steps", "5", "--batch",
                "8", "--out", flow.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        JsonNode chunks = eval(flow, "chunks", 0);
        JsonNode rtc = eval(flow, "rtc", 0);
        assertThat(rtc.get("execution").asText()).isEqualTo("rtc");
        // Without a delay nothing is frozen: the same seeds play the same episodes as chunks.
        assertThat(rtc.get("mean_reward").asDouble()).isEqualTo(chunks.get("mean_reward").asDouble());
        JsonNode late = eval(flow, "rtc", 4);
        JsonNode lateChunks = eval(flow, "chunks", 4);
        assertThat(late.get("delay_steps").asInt()).isEqualTo(4);
        // Frozen rows change the chunks sampled during the delay, so the episodes end elsewhere.
        assertThat(late.get("mean_reward").asDouble()).isNotEqualTo(lateChunks.get("mean_reward").asDouble());

        CliRun refused = CliRun.of("eval", "--checkpoint", mlp.toString(), "--env", "ur5e-pick-place", "--execution", "rtc",
                "--delay-steps", "2");
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("--execution rtc needs a policy that samples its chunks (flow or diffusion)",
                "a mlp policy cannot continue a chunk");
    }

    @Test
    void rtcRunsADiffusionPolicyWithEitherMask(@TempDir Path dir) throws Exception {
        CliRun.tinyCheckpoint("ur5e-pick-place", dir);
        Path diffusion = dir.resolve("diffusion");
        CliRun train = CliRun.of("train", "--dataset", dir.resolve("data").toString(), "--policy", "diffusion", "--steps", "5",
                "--batch", "8", "--out", diffusion.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        JsonNode hard = eval(diffusion, "rtc", 4);
        JsonNode soft = eval(diffusion, "rtc", 4, "--rtc-mask", "soft");
        assertThat(hard.get("rtc_mask").asText()).isEqualTo("hard");
        assertThat(soft.get("rtc_mask").asText()).isEqualTo("soft");
        // The soft mask guides more rows, so the same seeds sample other chunks and end elsewhere.
        assertThat(soft.get("mean_reward").asDouble()).isNotEqualTo(hard.get("mean_reward").asDouble());

        CliRun chunksSoft = CliRun.of("eval", "--checkpoint", diffusion.toString(), "--env", "ur5e-pick-place", "--rtc-mask", "soft");
        assertThat(chunksSoft.exitCode()).as(chunksSoft.err()).isEqualTo(2);
        assertThat(chunksSoft.err()).contains("--rtc-mask applies to --execution rtc");
        CliRun unknown = CliRun.of("eval", "--checkpoint", diffusion.toString(), "--env", "ur5e-pick-place", "--execution", "rtc",
                "--rtc-mask", "fuzzy");
        assertThat(unknown.exitCode()).as(unknown.err()).isEqualTo(2);
        assertThat(unknown.err()).contains("--rtc-mask", "hard or soft", "'fuzzy'");
    }

    private static JsonNode eval(Path run, String execution, int delay, String... more) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("eval", "--checkpoint", run.toString(), "--env",
                "ur5e-pick-place", "--episodes", "2", "--execution", execution, "--delay-steps", String.valueOf(delay), "--json"));
        args.addAll(java.util.List.of(more));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return Json.MAPPER.readTree(r.out());
    }
}
