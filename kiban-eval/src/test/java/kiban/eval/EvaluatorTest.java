package kiban.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.core.policy.EstimatesState;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;
import kiban.core.progress.Progress;
import kiban.eval.report.EvalReport;
import kiban.eval.report.Series;
import kiban.sim.env.EnvConfig;
import kiban.testing.LineEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {

    /** Predicts a chunk by stepping its own model of the line: a perfect policy with horizon 4. */
    static final class LinePolicy implements UnbatchedPolicy {
        final double gain;
        int calls;

        LinePolicy(double gain) {
            this.gain = gain;
        }

        @Override
        public PolicyMetadata metadata() {
            return new PolicyMetadata("test", LineEnv.EMBODIMENT.state(), LineEnv.EMBODIMENT.action(), 2, 4, 2);
        }

        @Override
        public double[][] inferOne(PolicyObservation[] observed) {
            double[][] history = PolicyObservation.states(observed);
            calls++;
            assertThat(history).hasNumberOfRows(2);
            double pos = history[1][0];
            double target = history[1][1];
            double[][] chunk = new double[4][];
            for (int h = 0; h < 4; h++) {
                double a = Math.max(-1, Math.min(1, gain * (target - pos)));
                chunk[h] = new double[] {a};
                pos += a;
            }
            return chunk;
        }
    }

    private static Progress quiet() {
        return Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "e", 0);
    }

    /** A line policy that keeps the instruction of each observation it is given. */
    static final class Listening implements UnbatchedPolicy {
        final java.util.List<String> heard = new java.util.ArrayList<>();
        final LinePolicy line = new LinePolicy(1.0);

        @Override
        public PolicyMetadata metadata() {
            return line.metadata();
        }

        @Override
        public double[][] inferOne(PolicyObservation[] history) {
            heard.add(history[history.length - 1].instruction());
            return line.infer(PolicyObservation.states(history));
        }
    }

    /** A line policy that keeps every target it reads. */
    static final class Reading implements UnbatchedPolicy {
        final java.util.List<Double> targets = new java.util.ArrayList<>();
        final LinePolicy line = new LinePolicy(1.0);

        @Override
        public PolicyMetadata metadata() {
            return line.metadata();
        }

        @Override
        public double[][] inferOne(PolicyObservation[] history) {
            for (PolicyObservation o : history) {
                targets.add(o.state()[1]);
            }
            return line.infer(PolicyObservation.states(history));
        }
    }

    /** A line policy that reads the point's position 1 too far, as an estimator might, and says what it read. */
    static final class Estimating implements UnbatchedPolicy, EstimatesState {
        final LinePolicy line = new LinePolicy(1.0);
        double[] last;

        @Override
        public PolicyMetadata metadata() {
            return line.metadata();
        }

        @Override
        public double[][] inferOne(PolicyObservation[] history) {
            double[][] states = PolicyObservation.states(history);
            for (int i = 0; i < states.length; i++) {
                states[i] = states[i].clone(); // the history's own arrays are the caller's
                states[i][0] += 1;
            }
            last = states[states.length - 1].clone();
            return line.infer(states);
        }

        @Override
        public List<String> estimatedFeatures() {
            return List.of("pos");
        }

        @Override
        public double[] lastReading() {
            return last;
        }

        @Override
        public void measure(List<String> features) {
            throw new UnsupportedOperationException("not evaluated here");
        }
    }

    @Test
    void aPolicyThatEstimatesItsStateHasWhatItReadKeptBesideTheTrueState() {
        Estimating policy = new Estimating();
        EvalResult r = new Evaluator(0).withObservationNoise(new ObservationNoise(java.util.Map.of("target", 0.5)))
                .evaluate(new LineEnv(EnvConfig.DEFAULT), policy, "line", 2, 100, quiet());
        int calls = policy.line.calls;
        int steps = r.episodes().stream().mapToInt(EpisodeRecord::length).sum();
        // Chunks of 4, 2 executed: a reading for each answer, not for each step.
        assertThat(r.readings()).hasSize(calls);
        assertThat(calls).isLessThan(steps);
        for (EvalResult.StateReading s : r.readings()) {
            assertThat(s.read()[0] - s.truth()[0]).isCloseTo(1.0, org.assertj.core.api.Assertions.offset(1e-12));
        }
        // The truth is the simulator's, not the noisy observation the policy was given.
        assertThat(r.readings()).anySatisfy(s -> assertThat(s.read()[1]).isNotEqualTo(s.truth()[1]));
        assertThat(r.readings().stream().map(s -> s.truth()[1]).distinct().count()).isEqualTo(2);
        assertThat(new Evaluator(0).evaluate(new LineEnv(EnvConfig.DEFAULT), new LinePolicy(1.0), "line", 1, 100, quiet())
                .readings()).isEmpty();
    }

    @Test
    void observationNoiseReachesThePolicyOnlyRepeatsPerSeedAndNamesItsFeatures() {
        // One action of each chunk: each call's history is the newest step of the call before and a new one.
        Evaluator stepwise = new Evaluator(0, kiban.core.policy.ChunkExecutor.Mode.CHUNKS, java.util.OptionalInt.of(1));
        Reading exact = new Reading();
        stepwise.evaluate(new LineEnv(EnvConfig.DEFAULT), exact, "line", 2, 100, quiet());
        ObservationNoise noise = new ObservationNoise(java.util.Map.of("target", 0.5));
        Reading noisy = new Reading();
        EvalResult r = stepwise.withObservationNoise(noise).evaluate(new LineEnv(EnvConfig.DEFAULT), noisy, "line", 2, 100, quiet());
        Reading again = new Reading();
        stepwise.withObservationNoise(noise).evaluate(new LineEnv(EnvConfig.DEFAULT), again, "line", 2, 100, quiet());
        assertThat(again.targets).isEqualTo(noisy.targets);
        // The line's target stays put in an episode: exactly read it is one value, read with noise it scatters about it.
        double first = exact.targets.getFirst();
        assertThat(exact.targets.subList(0, 4)).containsOnly(first);
        double[] errors = noisy.targets.stream().limit(20).mapToDouble(t -> t - first).toArray();
        double sd = Math.sqrt(java.util.Arrays.stream(errors).map(e -> e * e).average().orElseThrow());
        assertThat(sd).isBetween(0.2, 1.0);
        // Each observation draws once: a history's older step is the newer step of the call before, noise and all.
        assertThat(noisy.targets.get(2)).isEqualTo(noisy.targets.get(1));
        assertThat(noisy.targets.get(3)).isNotEqualTo(noisy.targets.get(1));
        assertThat(r.episodes()).hasSize(2);
        assertThatThrownBy(() -> new Evaluator(0).withObservationNoise(new ObservationNoise(java.util.Map.of("trget", 1.0)))
                .evaluate(new LineEnv(EnvConfig.DEFAULT), new Reading(), "line", 1, 100, quiet()))
                .hasMessageContaining("trget").hasMessageContaining("target");
        assertThatThrownBy(() -> new ObservationNoise(java.util.Map.of("target", -1.0))).hasMessageContaining("target")
                .hasMessageContaining(">= 0");
    }

    @Test
    void anEnvOfOneTaskGivesNoInstructionAndAnOverrideIsHeardInsteadOfTheTasks() {
        Listening plain = new Listening();
        EvalResult r = new Evaluator(0).evaluate(new LineEnv(EnvConfig.DEFAULT), plain, "line", 2, 100, quiet());
        assertThat(plain.heard).isNotEmpty().containsOnly(""); // one task: nothing to tell
        assertThat(r.episodes()).extracting(EpisodeRecord::task).containsOnly(kiban.sim.env.EnvSpec.DEFAULT_TASK);
        Listening told = new Listening();
        new Evaluator(0).withInstruction("go left").evaluate(new LineEnv(EnvConfig.DEFAULT), told, "line", 2, 100, quiet());
        assertThat(told.heard).isNotEmpty().containsOnly("go left");
    }

    @Test
    void evaluatesOnFixedSeedsThroughTheChunkBroker() {
        LinePolicy good = new LinePolicy(1.0);
        EvalResult r = new Evaluator(2).evaluate(new LineEnv(EnvConfig.DEFAULT), good, "line", 10, 100, quiet());
        assertThat(r.episodes()).hasSize(10);
        assertThat(r.episodes().getFirst().seed()).isEqualTo(100);
        assertThat(r.successRate()).isEqualTo(1.0);
        assertThat(r.successInterval()[0]).isLessThan(1.0);
        // Two of every four predicted actions are executed, so a call every two steps.
        int steps = r.episodes().stream().mapToInt(EpisodeRecord::length).sum();
        assertThat(good.calls).isBetween(steps / 2, steps / 2 + 10);
        assertThat(r.episodes().get(0).animation()).isNotNull();
        assertThat(r.episodes().get(0).actions()).hasNumberOfRows(r.episodes().get(0).length());
        assertThat(r.episodes().get(2).animation()).isNull();

        EvalResult bad = new Evaluator(0).evaluate(new LineEnv(EnvConfig.DEFAULT), new LinePolicy(-1.0), "away", 10, 100, quiet());
        assertThat(bad.successRate()).isLessThan(r.successRate());
        assertThat(bad.meanScore()).isLessThan(r.meanScore());
    }

    @Test
    void executesTheGivenActionStepsInsteadOfThePolicys() {
        LinePolicy each = new LinePolicy(1.0);
        EvalResult r = new Evaluator(0, kiban.core.policy.ChunkExecutor.Mode.CHUNKS, java.util.OptionalInt.of(1))
                .evaluate(new LineEnv(EnvConfig.DEFAULT), each, "line", 5, 100, quiet());
        // One of every four predicted actions executed: a call every step.
        assertThat(each.calls).isEqualTo(r.episodes().stream().mapToInt(EpisodeRecord::length).sum());
        LinePolicy all = new LinePolicy(1.0);
        EvalResult r4 = new Evaluator(0, kiban.core.policy.ChunkExecutor.Mode.CHUNKS, java.util.OptionalInt.of(4))
                .evaluate(new LineEnv(EnvConfig.DEFAULT), all, "line", 5, 100, quiet());
        int steps = r4.episodes().stream().mapToInt(EpisodeRecord::length).sum();
        assertThat(all.calls).isBetween(steps / 4, steps / 4 + 5);
    }

    @Test
    void givesAnImagePolicyTheCamerasItNamesOfAnEnvWithSeveral() {
        var env = kiban.sim.env.EnvRegistry.load().get("ur5e-pick-place").create(EnvConfig.DEFAULT.withImages(true));
        var wrist = kiban.core.policy.ImageSpec.ofCamera("wrist", 96, 96);
        var front = kiban.core.policy.ImageSpec.ofCamera("front", 96, 96);
        Evaluator.checkCamera(env.spec(), List.of(wrist));
        Evaluator.checkCamera(env.spec(), List.of(wrist, front));
        assertThatThrownBy(() -> Evaluator.checkCamera(env.spec(), List.of(kiban.core.policy.ImageSpec.ofCamera("top", 96, 96))))
                .hasMessageContaining("observation.images.top").hasMessageContaining("observation.images.wrist");
        assertThatThrownBy(() -> Evaluator.checkCamera(env.spec(), List.of(kiban.core.policy.ImageSpec.ofCamera("wrist", 84, 84))))
                .hasMessageContaining("84x84x3").hasMessageContaining("96x96x3");
        var obs = env.reset(2);
        PolicyObservation given = Evaluator.observe(obs, List.of(wrist), "");
        assertThat(given.images()).containsOnlyKeys(wrist.name());
        assertThat(given.images().get(wrist.name())).isEqualTo(obs.images().get("wrist").rgb())
                .isNotEqualTo(obs.images().get("front").rgb());
        assertThat(Evaluator.observe(obs, List.of(wrist, front), "").images().get(front.name()))
                .isEqualTo(obs.images().get("front").rgb());
        assertThatThrownBy(() -> Evaluator.observe(kiban.sim.env.Observation.of(obs.state()), List.of(wrist), ""))
                .hasMessageContaining("withImages");
    }

    @Test
    void refusesAPolicyForAnotherEnv() {
        Policy wrong = new UnbatchedPolicy() {
            @Override
            public PolicyMetadata metadata() {
                return new PolicyMetadata("x", LineEnv.EMBODIMENT.action(), LineEnv.EMBODIMENT.action(), 1, 1, 1);
            }

            @Override
            public double[][] inferOne(PolicyObservation[] history) {
                return new double[][] {{0}};
            }
        };
        assertThatThrownBy(() -> new Evaluator(0).evaluate(new LineEnv(EnvConfig.DEFAULT), wrong, "x", 1, 0, quiet()))
                .hasMessageContaining("reads 1 observation").hasMessageContaining("env line has 2");
    }

    @Test
    void writesASelfContainedReport(@TempDir Path dir) throws Exception {
        EvalResult r = new Evaluator(2).evaluate(new LineEnv(EnvConfig.DEFAULT), new LinePolicy(1.0), "line", 4, 0, quiet());
        Path csv = dir.resolve("metrics.csv");
        Files.writeString(csv, "step,loss,learning_rate,grad_norm,steps_per_second,validation_loss\n"
                + "50,0.5,0.001,1,10,\n100,0.25,0.001,1,10,0.3\n");
        List<Series> curves = EvalReport.curvesFromCsv(csv, "loss", "validation_loss");
        assertThat(curves).hasSize(2);
        assertThat(curves.get(1).x()).containsExactly(100);
        Path html = dir.resolve("report.html");
        EvalReport.write(html, "line <test>", r, curves);
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("line &lt;test&gt;").contains("data:image/gif;base64,")
                .contains("<svg").contains("success rate").doesNotContain("<script").doesNotContain("http://")
                .doesNotContain("https://");
    }
}
