package kiban.policy.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.progress.Progress;
import kiban.policy.data.Episode;
import kiban.policy.data.TrainingData;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainConfig;
import kiban.policy.run.TrainedPolicy;
import kiban.testing.LineEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyTrainerTest {

    /** A point driven to a target at up to 1 unit a step; the expert action is clip(target - pos). */
    static final EmbodimentSpec LINE = LineEnv.EMBODIMENT;

    static double expert(double pos, double target) {
        return Math.max(-1, Math.min(1, target - pos));
    }

    static List<Episode> episodes(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Episode> out = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            double pos = r.nextDouble(-5, 5);
            double target = r.nextDouble(-5, 5);
            int len = 20;
            double[][] obs = new double[len][];
            double[][] act = new double[len][];
            for (int t = 0; t < len; t++) {
                obs[t] = new double[] {pos, target};
                act[t] = new double[] {expert(pos, target)};
                pos += act[t][0];
            }
            out.add(new Episode(obs, act));
        }
        return out;
    }

    static TrainingData data() {
        return TrainingData.split(LINE.state(), LINE.action(), episodes(40, 1), 0.1, "synthetic", "none");
    }

    static TrainConfig config(long steps) {
        return config("mlp", steps);
    }

    static TrainConfig config(String policy, long steps) {
        return TrainConfig.defaults().with(c -> {
            c.put("policy", policy).put("steps", steps).put("batch", 64).put("learning_rate", 3e-3).put("warmup_steps", 10)
                    .put("ema_max_decay", 0.99).put("seed", 7).put("checkpoint_every", 20).put("validate_every", 20)
                    .put("observation_steps", 1).put("horizon", 4).put("action_steps", 2).put("validation_fraction", 0.1)
                    .put("model_dim", 32).put("heads", 4).put("encoder_layers", 1).put("decoder_layers", 1);
            c.putArray("hidden").add(64).add(64);
        });
    }

    private static Progress quiet() {
        return Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "flow", "diffusion", "act"})
    void learnsTheExpertAndWritesARunThatLoads(String policy, @TempDir Path dir) throws Exception {
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        // Diffusion's noise-prediction loss teaches the mapping more slowly: it gets more steps.
        var result = new PolicyTrainer(config(policy, policy.equals("diffusion") ? 1000 : 300), data(), run).train(false, quiet());
        if (policy.equals("mlp") || policy.equals("act")) {
            // Regression (MSE for mlp, L1 for act) can drive its loss to zero; flow matching's and diffusion's losses keep the noise's variance.
            assertThat(result.finalLoss()).isLessThan(policy.equals("mlp") ? 0.05 : 0.15);
            assertThat(result.validationLoss()).isLessThan(policy.equals("mlp") ? 0.1 : 0.15);
        }
        assertThat(result.finalLoss()).isFinite();
        assertThat(run.latestCheckpoint()).isPresent();
        for (Path p : List.of(run.config(), run.policy(), run.normalization(), run.lineage(), run.metricsCsv())) {
            assertThat(p).exists();
        }
        assertThat(Files.readAllLines(run.metricsCsv()).getFirst()).isEqualTo(MetricsLog.CSV_HEADER);
        assertThat(Files.readString(run.metricsJsonl())).contains("\"validation_loss\"");
        try (TrainedPolicy trained = TrainedPolicy.load(run.root())) {
            assertThat(trained.metadata().horizon()).isEqualTo(4);
            assertThat(trained.metadata().type()).isEqualTo(policy);
            // the same seed gives the same chunk, also for the sampling heads (flow, diffusion)
            trained.seed(11);
            double[][] first = trained.infer(new double[][] {{1, -2}});
            trained.seed(11);
            assertThat(trained.infer(new double[][] {{1, -2}})).isDeepEqualTo(first);
            double error = 0;
            int probes = 0;
            for (double pos = -4; pos <= 4; pos += 2) {
                for (double target = -4; target <= 4; target += 2) {
                    double[][] chunk = trained.infer(new double[][] {{pos, target}});
                    assertThat(chunk).hasNumberOfRows(4);
                    error += Math.abs(chunk[0][0] - expert(pos, target));
                    probes++;
                }
            }
            // A constant policy (the best one that ignores the observation) errs by about 0.8 here; flow
            // matching and diffusion, sampling from noise, and the transformer converge more slowly than the MLP.
            assertThat(error / probes).isLessThan(switch (policy) {
                case "mlp" -> 0.15;
                case "act" -> 0.3;
                default -> 0.5;
            });
        }
    }

    @Test
    void resumingContinuesExactlyWhereTheRunStopped(@TempDir Path dir) throws Exception {
        RunDirectory straight = new RunDirectory(dir.resolve("straight"));
        new PolicyTrainer(config(80), data(), straight).train(false, quiet());

        RunDirectory interrupted = new RunDirectory(dir.resolve("interrupted"));
        new PolicyTrainer(config(80), data(), interrupted).stopAfter(40).train(false, quiet());
        assertThat(interrupted.latestCheckpoint().orElseThrow().getFileName().toString()).isEqualTo("step-00000040");
        new PolicyTrainer(config(80), data(), interrupted).train(true, quiet());

        Path a = straight.latestCheckpoint().orElseThrow();
        Path b = interrupted.latestCheckpoint().orElseThrow();
        assertThat(b.getFileName()).isEqualTo(a.getFileName());
        assertThat(Files.readAllBytes(b.resolve("model.params"))).isEqualTo(Files.readAllBytes(a.resolve("model.params")));
        assertThat(Files.readAllBytes(b.resolve("ema.ndlist"))).isEqualTo(Files.readAllBytes(a.resolve("ema.ndlist")));
        assertThat(Files.readAllLines(interrupted.metricsCsv()).stream().filter(l -> l.startsWith("step")).count()).isEqualTo(1);
    }

    @Test
    void resumingAfterAnInterruptionBetweenCheckpointsKeepsOneMetricsRowPerStep(@TempDir Path dir) throws Exception {
        RunDirectory straight = new RunDirectory(dir.resolve("straight"));
        new PolicyTrainer(config(120), data(), straight).train(false, quiet());

        // Checkpoints every 20 steps, rows every 20 (validation) and 50: stopped at 50, the rows of
        // steps 41-50 were written after the checkpoint at 40 that the resumed run starts from.
        RunDirectory interrupted = new RunDirectory(dir.resolve("interrupted"));
        new PolicyTrainer(config(120), data(), interrupted).stopAfter(50).train(false, quiet());
        assertThat(steps(interrupted.metricsCsv(), true)).containsExactly(20L, 40L, 50L);
        // A kill in the middle of a write leaves a row cut short.
        Files.writeString(interrupted.metricsCsv(), "60,0.01", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(interrupted.metricsJsonl(), "{\"step\":60,\"lo", java.nio.file.StandardOpenOption.APPEND);
        var resumed = new PolicyTrainer(config(120), data(), interrupted).train(true, quiet());

        assertThat(resumed.firstStep()).isEqualTo(40);
        assertThat(resumed.steps()).isEqualTo(120);
        assertThat(steps(interrupted.metricsCsv(), true)).isEqualTo(steps(straight.metricsCsv(), true))
                .containsExactly(20L, 40L, 50L, 60L, 80L, 100L, 120L);
        assertThat(steps(interrupted.metricsJsonl(), false)).isEqualTo(steps(straight.metricsJsonl(), false));
        assertThat(Files.readAllLines(interrupted.metricsCsv()).getFirst()).isEqualTo(MetricsLog.CSV_HEADER);
    }

    /** The step of each row of a metrics file. */
    private static List<Long> steps(Path file, boolean csv) throws Exception {
        return Files.readAllLines(file).stream().skip(csv ? 1 : 0)
                .map(l -> csv ? Long.parseLong(l.substring(0, l.indexOf(','))) : kiban.core.json.Json.parseTree(l, file.toString()).get("step").asLong())
                .toList();
    }

    @Test
    void theReportedRateIsTheOneTheBarShows(@TempDir Path dir) {
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        new PolicyTrainer(config(240), data(), run).stopAfter(40).train(false, quiet());
        Progress bar = Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 240);
        var r = new PolicyTrainer(config(240), data(), run).train(true, bar);
        // Both count the 200 steps trained now over the time they took, not the 40 resumed nor the setup (200 steps,
        // not 20: a few milliseconds of a busy machine's scheduling between the two clocks is then within the 5%).
        assertThat(bar.done()).isEqualTo(240);
        assertThat(bar.rate()).isCloseTo(r.stepsPerSecond(), org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    void aResumedRunThatIsCompleteTrainsNothingAndSaysSo(@TempDir Path dir) {
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        var first = new PolicyTrainer(config(20), data(), run).train(false, quiet());
        assertThat(first.trained()).isTrue();
        assertThat(first.stepsPerSecond()).isPositive();
        var again = new PolicyTrainer(config(20), data(), run).train(true, quiet());
        assertThat(again.trained()).isFalse();
        assertThat(again.finalLoss()).isEqualTo(first.finalLoss());
        assertThat(again.checkpoint()).isEqualTo(first.checkpoint());
        assertThatThrownBy(() -> new PolicyTrainer(config(10), data(), run).train(true, quiet()))
                .hasMessageContaining("at step 20, past the 10 steps");
    }

    @Test
    void aNewRunGoesOnlyIntoANewOrEmptyFolder(@TempDir Path dir) throws Exception {
        Path dataset = Files.createDirectories(dir.resolve("dataset/meta"));
        Files.writeString(dataset.resolve("info.json"), "{}");
        RunDirectory intoData = new RunDirectory(dir.resolve("dataset"));
        assertThatThrownBy(() -> new PolicyTrainer(config(10), data(), intoData).train(false, quiet()))
                .hasMessageContaining("dataset: the folder is not empty and holds no training run");
        assertThat(Files.list(dir.resolve("dataset")).map(p -> p.getFileName().toString())).containsExactly("meta");
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> PolicyTrainer.checkRunFolder(new RunDirectory(file), false)).hasMessageContaining("not a folder");
        // An empty folder (made for the run) is fine.
        RunDirectory empty = new RunDirectory(Files.createDirectories(dir.resolve("empty")));
        new PolicyTrainer(config(2), data(), empty).train(false, quiet());
        assertThat(empty.exists()).isTrue();
    }

    @Test
    void loadingSomethingElseNamesTheProblem(@TempDir Path dir) {
        assertThatThrownBy(() -> TrainedPolicy.load(dir)).hasMessageContaining("not a training run");
        assertThatThrownBy(() -> TrainedPolicy.load(dir.resolve("typo"))).hasMessage(dir.resolve("typo") + ": no such folder");
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        new PolicyTrainer(config(2), data(), run).train(false, quiet());
        Path checkpoint = run.latestCheckpoint().orElseThrow();
        for (Path inside : List.of(checkpoint, run.checkpoints())) {
            assertThatThrownBy(() -> TrainedPolicy.load(inside)).hasMessage(inside + ": a checkpoint folder of the training run "
                    + run.root() + "; pass the run's folder (it loads the run's newest checkpoint)");
        }
        assertThatThrownBy(() -> TrainedPolicy.load(run.config())).hasMessageContaining("config.json: not a folder");
        assertThatThrownBy(() -> new PolicyTrainer(config(10), data(), new RunDirectory(dir)).train(true, quiet()))
                .hasMessageContaining("nothing to resume: no training run there");
        assertThatThrownBy(() -> PolicyTrainer.checkRunFolder(new RunDirectory(dir.resolve("typo")), true))
                .hasMessageContaining("nothing to resume: the folder does not exist");
    }

    @Test
    void deltaActionsAreFittedOnStepsAndListedInTheRun(@TempDir Path dir) throws Exception {
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        TrainConfig c = config("mlp", 2).with(t -> t.putObject("delta_actions").put("velocity", "pos"));
        TrainingData data = data();
        new PolicyTrainer(c, data, run).train(false, quiet());
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Episode e : data.train()) {
            for (int t = 0; t < e.length(); t++) {
                double step = e.actions()[t][0] - e.observations()[t][0];
                min = Math.min(min, step);
                max = Math.max(max, step);
            }
        }
        var stats = kiban.core.normalize.Normalizer.load(run.normalization()).get("action.velocity").stats();
        assertThat(stats.min()[0]).isCloseTo(min, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(stats.max()[0]).isCloseTo(max, org.assertj.core.data.Offset.offset(1e-6));
        try (TrainedPolicy p = TrainedPolicy.load(run.root())) {
            assertThat(p.metadata().deltaActions()).containsExactly(new kiban.core.policy.DeltaPair("velocity", "pos"));
        }
        RunDirectory bad = new RunDirectory(dir.resolve("bad"));
        TrainConfig wrong = config("mlp", 2).with(t -> t.putObject("delta_actions").put("velocity", "speed"));
        assertThatThrownBy(() -> new PolicyTrainer(wrong, data, bad)).hasMessageContaining("delta_actions")
                .hasMessageContaining("no observation feature speed");
    }

    @Test
    void flowNoiseScaleSetsHowMuchTheSampledChunkVaries(@TempDir Path dir) throws Exception {
        RunDirectory zero = new RunDirectory(dir.resolve("zero"));
        new PolicyTrainer(config("flow", 20).with(t -> t.put("flow_noise_scale", 0.0)), data(), zero).train(false, quiet());
        RunDirectory one = new RunDirectory(dir.resolve("one"));
        new PolicyTrainer(config("flow", 20), data(), one).train(false, quiet());
        double[][] obs = {{1, -2}};
        try (TrainedPolicy z = TrainedPolicy.load(zero.root()); TrainedPolicy o = TrainedPolicy.load(one.root())) {
            // Scale 0 integrates from the noise's mean: every draw gives the same chunk.
            z.seed(1);
            double[][] a = z.infer(obs);
            z.seed(2);
            assertThat(z.infer(obs)).isDeepEqualTo(a);
            o.seed(1);
            double[][] b = o.infer(obs);
            o.seed(2);
            assertThat(o.infer(obs)).isNotEqualTo(b);
        }
    }
}
