package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import kiban.core.json.Json;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.table.Table;
import kiban.policy.run.Policies;
import kiban.policy.run.TrainedPolicy;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Observation;
import kiban.testing.LineEnv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiban train --policy estimated-state} on the {@code line} test env: a state policy trained
 * on the point's position and the target drives from the camera instead, an estimator reading the
 * point's position from the picture. The camera draws the point in one of 32 columns across
 * [-10, 10], so the picture places it to a column (0.625).
 */
class EstimatedStatePolicyTest {

    static final String CAMERA = "observation.images.strip";
    static final double COLUMN = 20.0 / LineEnv.EMBODIMENT.cameras().getFirst().width();

    @TempDir
    static Path dir;
    static Path data;
    static Path statePolicy;

    @BeforeAll
    static void recordAndTrainTheStatePolicy() throws Exception {
        data = dir.resolve("data");
        CliRun record = CliRun.of("data", "record", "--env", "line", "--episodes", "12", "--seed", "0", "--video", "--out",
                data.toString());
        assertThat(record.exitCode()).as(record.err()).isZero();
        Path config = dir.resolve("state.yaml");
        Files.writeString(config, """
                policy: mlp
                hidden: [64, 64]
                observation_steps: 1
                horizon: 2
                action_steps: 1
                batch: 32
                warmup_steps: 50
                validation_fraction: 0
                """);
        statePolicy = dir.resolve("state-policy");
        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--config", config.toString(), "--steps", "800",
                "--out", statePolicy.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
    }

    private static Path estimatorConfig(String name, String extra) throws Exception {
        Path config = dir.resolve(name);
        Files.writeString(config, """
                policy: estimated-state
                state_policy: %s
                estimate: [pos]
                image_features: [observation.images.strip]
                image_encoder: resnet
                image_feature_dim: 16
                hidden: [64, 64]
                batch: 32
                warmup_steps: 50
                validation_fraction: 0.2
                checkpoint_every: 100
                validate_every: 100
                %s
                """.formatted(statePolicy, extra));
        return config;
    }

    /**
     * Trained, the estimator reads the point from held-out pictures to within a column; the policy
     * answers from the picture whatever position the state carries, drives the line from it as
     * well as the picture allows, and resumes its training.
     */
    @Test
    void theStatePolicyDrivesFromTheCameraWhateverTheStateSays() throws Exception {
        Path run = dir.resolve("estimated");
        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--config", estimatorConfig("est.yaml", "").toString(),
                "--steps", "300", "--out", run.toString(), "--json");
        assertThat(train.exitCode()).as(train.err()).isZero();
        JsonNode out = Json.MAPPER.readTree(train.out());
        assertThat(out.get("policy").asText()).isEqualTo("estimated-state");
        JsonNode pos = out.get("held_out_error").get("pos");
        assertThat(pos.get("frames").asInt()).isPositive();
        assertThat(pos.get("median").asDouble()).as(train.out()).isLessThan(COLUMN);
        assertThat(Files.isDirectory(run.resolve("state-policy").resolve("checkpoints"))).isTrue();
        // The model card reports the estimator's checkpoint and both networks' parameters, for the line.
        JsonNode card = Json.MAPPER.readTree(run.resolve("model_card.json").toFile());
        assertThat(card.get("checkpoint_step").asLong()).isEqualTo(300);
        assertThat(card.get("parameters").asLong()).isPositive();
        assertThat(card.get("embodiments").get(0).get("name").asText()).isEqualTo("line");

        try (Policy p = Policies.load(run); TrainedPolicy alone = TrainedPolicy.load(statePolicy);
                Env env = EnvRegistry.load().get("line").create(EnvConfig.DEFAULT.withImages(true))) {
            assertThat(p.metadata().images()).extracting(i -> i.name()).containsExactly(CAMERA);
            assertThat(p.metadata().observation()).isEqualTo(alone.metadata().observation());
            Observation o = env.reset(3);
            Map<String, byte[]> frames = Map.of(CAMERA, o.image().rgb());
            double[] truth = o.state();
            // The point mirrored about the target: the state policy alone would move the other way.
            double[] lie = {Math.max(-10, Math.min(10, 2 * truth[1] - truth[0])), truth[1]};
            double[][] fromTruth = p.infer(new PolicyObservation[] {new PolicyObservation(truth, frames)});
            double[][] fromLie = p.infer(new PolicyObservation[] {new PolicyObservation(lie, frames)});
            assertThat(fromLie).isDeepEqualTo(fromTruth);
            // Given the lie itself, the state policy moves the other way, so a policy reading it would show.
            assertThat(Math.signum(alone.infer(new double[][] {lie})[0][0]))
                    .isNotEqualTo(Math.signum(alone.infer(new double[][] {truth})[0][0]));
        }

        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "line", "--episodes", "12", "--seed", "0",
                "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode evaluated = Json.MAPPER.readTree(eval.out());
        assertThat(evaluated.get("closest_distance").asDouble()).as(eval.out()).isLessThan(COLUMN);
        // The estimator's error on the states the policy drove into: one reading a step (one action of each chunk).
        JsonNode driven = evaluated.get("estimate_error").get("pos");
        assertThat(driven.get("frames").asLong()).isEqualTo(Math.round(12 * evaluated.get("mean_length").asDouble()));
        assertThat(driven.get("median").asDouble()).as(eval.out()).isLessThan(COLUMN);
        // --measured gives it the truth instead of the estimator's reading: no error left, the same episodes.
        CliRun oracle = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "line", "--episodes", "12", "--seed", "0",
                "--measured", "pos", "--json");
        assertThat(oracle.exitCode()).as(oracle.err()).isZero();
        JsonNode told = Json.MAPPER.readTree(oracle.out());
        assertThat(told.get("measured").get(0).asText()).isEqualTo("pos");
        assertThat(told.get("estimate_error").get("pos").get("rms").asDouble()).isZero();
        assertThat(driven.get("rms").asDouble()).isPositive();
        CliRun notEstimated = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "line", "--episodes", "1",
                "--measured", "target");
        assertThat(notEstimated.exitCode()).isNotZero();
        assertThat(notEstimated.err()).contains("--measured").contains("\"target\"").contains("[pos]");
        CliRun statesAlone = CliRun.of("eval", "--checkpoint", statePolicy.toString(), "--env", "line", "--episodes", "1",
                "--measured", "pos");
        assertThat(statesAlone.exitCode()).isNotZero();
        assertThat(statesAlone.err()).contains("--measured applies to").contains("estimated-state");

        CliRun resume = CliRun.of("train", "--dataset", data.toString(), "--out", run.toString(), "--resume", "--steps", "320");
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(resume.out()).contains("from step 300").contains("held-out error");
    }

    /**
     * An estimator of two frames (to see motion) estimates the newest: the policy asks for one
     * observation more than its state policy, reads the point from each window's newest picture
     * whatever the states say, and drives the line from it.
     */
    @Test
    void aTwoFrameEstimatorReadsTheNewestFrameOfEachWindow() throws Exception {
        Path run = dir.resolve("two-frames");
        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--config",
                estimatorConfig("two.yaml", "observation_steps: 2").toString(), "--steps", "300", "--out", run.toString(),
                "--json");
        assertThat(train.exitCode()).as(train.err()).isZero();
        JsonNode pos = Json.MAPPER.readTree(train.out()).get("held_out_error").get("pos");
        assertThat(pos.get("median").asDouble()).as(train.out()).isLessThan(COLUMN);

        try (Policy p = Policies.load(run); Env env = EnvRegistry.load().get("line").create(EnvConfig.DEFAULT.withImages(true))) {
            assertThat(p.metadata().observationSteps()).isEqualTo(2);
            Observation before = env.reset(5);
            Observation after = env.step(new double[] {Math.signum(before.state(1) - before.state(0))}).observation();
            PolicyObservation[] truth = {new PolicyObservation(before.state(), Map.of(CAMERA, before.image().rgb())),
                    new PolicyObservation(after.state(), Map.of(CAMERA, after.image().rgb()))};
            PolicyObservation[] lies = {new PolicyObservation(new double[] {9, before.state(1)}, truth[0].images()),
                    new PolicyObservation(new double[] {-9, after.state(1)}, truth[1].images())};
            assertThat(p.infer(lies)).isDeepEqualTo(p.infer(truth));
        }

        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "line", "--episodes", "12", "--seed", "0",
                "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(Json.MAPPER.readTree(eval.out()).get("closest_distance").asDouble()).as(eval.out()).isLessThan(COLUMN);

        // Exported, the two networks and the substitution between them are one TorchScript module that
        // answers as the run does, from the pictures and not the states.
        Path exported = dir.resolve("two-frames-ts");
        CliRun export = CliRun.of("export", "--checkpoint", run.toString(), "--out", exported.toString(), "--python",
                "/usr/bin/python3");
        assertThat(export.exitCode()).as(export.err()).isZero();
        try (Policy p = Policies.load(run); Policy ts = Policies.load(exported);
                Env env = EnvRegistry.load().get("line").create(EnvConfig.DEFAULT.withImages(true))) {
            assertThat(ts.metadata().type()).isEqualTo("torchscript");
            assertThat(ts.metadata().observationSteps()).isEqualTo(2);
            assertThat(ts.metadata().images()).isEqualTo(p.metadata().images());
            for (int seed = 0; seed < 4; seed++) {
                Observation before = env.reset(seed);
                Observation after = env.step(new double[] {Math.signum(before.state(1) - before.state(0))}).observation();
                PolicyObservation[] truth = {new PolicyObservation(before.state(), Map.of(CAMERA, before.image().rgb())),
                        new PolicyObservation(after.state(), Map.of(CAMERA, after.image().rgb()))};
                PolicyObservation[] lies = {new PolicyObservation(new double[] {9, before.state(1)}, truth[0].images()),
                        new PolicyObservation(new double[] {-9, after.state(1)}, truth[1].images())};
                double expected = p.infer(truth)[0][0];
                assertThat(ts.infer(truth)[0][0]).as("seed " + seed).isCloseTo(expected, offset(1e-4));
                assertThat(ts.infer(lies)[0][0]).as("seed " + seed).isCloseTo(expected, offset(1e-4));
            }
        }
    }

    /**
     * With {@code relative_to} the estimator regresses the point's offset from the target and the
     * measured target is added back: where the state says the target is moves the estimated point
     * with it, in the run and in its TorchScript export alike. (A few steps of training: the two
     * must agree whatever the estimator has learnt. An export that dropped the target would take the
     * offset for the point itself, which lies near the target in the run, and answer otherwise.)
     */
    @Test
    void anEstimateRelativeToAMeasuredFeatureIsReadBackFromItInTheRunAndItsExport() throws Exception {
        Path run = dir.resolve("relative");
        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--config",
                estimatorConfig("relative.yaml", "relative_to: {pos: target}").toString(), "--steps", "20", "--out",
                run.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(Json.MAPPER.readTree(run.resolve("policy.json").toFile()).get("relative_to").get("pos").asText())
                .isEqualTo("target");
        Path exported = dir.resolve("relative-ts");
        CliRun export = CliRun.of("export", "--checkpoint", run.toString(), "--out", exported.toString(), "--python",
                "/usr/bin/python3");
        assertThat(export.exitCode()).as(export.err()).isZero();
        try (Policy p = Policies.load(run); Policy ts = Policies.load(exported);
                Env env = EnvRegistry.load().get("line").create(EnvConfig.DEFAULT.withImages(true))) {
            for (int seed = 0; seed < 4; seed++) {
                Observation o = env.reset(seed);
                Map<String, byte[]> frames = Map.of(CAMERA, o.image().rgb());
                double[] truth = o.state();
                double[] elsewhere = {truth[0], truth[1] + 2};
                double fromTruth = p.infer(new PolicyObservation[] {new PolicyObservation(truth, frames)})[0][0];
                double fromElsewhere = p.infer(new PolicyObservation[] {new PolicyObservation(elsewhere, frames)})[0][0];
                assertThat(ts.infer(new PolicyObservation[] {new PolicyObservation(truth, frames)})[0][0]).as("seed " + seed)
                        .isCloseTo(fromTruth, offset(1e-4));
                assertThat(ts.infer(new PolicyObservation[] {new PolicyObservation(elsewhere, frames)})[0][0])
                        .as("seed " + seed).isCloseTo(fromElsewhere, offset(1e-4));
            }
        }
    }

    /**
     * With {@code retrain_state_policy} the run's state policy is trained again, with its own config,
     * on the estimator's readings of the recorded frames, and put in place of the copy.
     */
    @Test
    void theStatePolicyCanBeRetrainedOnTheEstimatorsReadings() throws Exception {
        Path run = dir.resolve("retrained");
        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--config",
                estimatorConfig("retrain.yaml", "retrain_state_policy: true").toString(), "--steps", "300", "--out",
                run.toString(), "--json");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(Json.MAPPER.readTree(train.out()).get("state_policy_retrained").get("steps").asLong()).isEqualTo(800);
        Path retrained = run.resolve("state-policy");
        JsonNode original = Json.MAPPER.readTree(statePolicy.resolve("config.json").toFile());
        assertThat(Json.MAPPER.readTree(retrained.resolve("config.json").toFile())).isEqualTo(original);
        assertThat(Json.MAPPER.readTree(run.resolve("lineage.json").toFile()).get("state_policy_retrained_on_estimates")
                .asBoolean()).isTrue();
        try (var left = Files.list(run)) {
            assertThat(left.map(p -> p.getFileName().toString())).doesNotContain("state-policy.retrain", "state-policy.old");
        }

        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "line", "--episodes", "12", "--seed", "0",
                "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(Json.MAPPER.readTree(eval.out()).get("closest_distance").asDouble()).as(eval.out()).isLessThan(COLUMN);
    }

    /**
     * DAgger with an estimated-state student: the student drives from the camera, the expert labels
     * the states it reached and the frames are recorded beside them, and the next student is an
     * estimated-state run trained as the first was, with its config, on the aggregated data.
     */
    @Test
    void daggerTrainsTheNextEstimatedStateStudentAsTheFirstWasTrained() throws Exception {
        Path first = dir.resolve("dagger-first");
        // No retraining of the state policy here: the retrain test covers it, and the round runs the first's config.
        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--config",
                estimatorConfig("dagger.yaml", "").toString(), "--steps", "40", "--out", first.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        Path out = dir.resolve("dagger");
        CliRun dagger = CliRun.of("dagger", "--env", "line", "--policy-run", first.toString(), "--dataset", data.toString(),
                "--rounds", "1", "--episodes", "3", "--steps", "40", "--seed", "0", "--out", out.toString(), "--json");
        assertThat(dagger.exitCode()).as(dagger.err()).isZero();
        JsonNode round = Json.MAPPER.readTree(dagger.out()).get("rounds").get(0);
        assertThat(round.get("dataset_episodes").asInt()).isEqualTo(15);
        assertThat(round.get("final_loss").asDouble()).isFinite();

        LeRobotDataset aggregated = LeRobotDataset.open(out.resolve("data"));
        assertThat(aggregated.episodes()).hasSize(15);
        for (int e = 12; e < 15; e++) {
            Table t = aggregated.readEpisode(e, Set.of("observation.state", "action"));
            assertThat(aggregated.videoFrames(CAMERA, e, 0, t.rows())).as("episode " + e).hasSize(t.rows());
            for (int i = 0; i < t.rows(); i++) {
                double pos = t.floats("observation.state").get(i, 0);
                double target = t.floats("observation.state").get(i, 1);
                double label = t.floats("action").get(i, 0);
                // The line env's expert at the state the student reached.
                assertThat(label).isCloseTo(Math.max(-1, Math.min(1, target - pos)), offset(1e-5));
            }
        }

        Path student = out.resolve("round-1");
        assertThat(Json.MAPPER.readTree(student.resolve("policy.json").toFile()).get("type").asText())
                .isEqualTo("estimated-state");
        assertThat(Json.MAPPER.readTree(student.resolve("model_card.json").toFile()).get("checkpoint_step").asLong())
                .as("the estimator trained for --steps").isEqualTo(40);
        JsonNode firstConfig = Json.MAPPER.readTree(first.resolve("config.json").toFile());
        JsonNode studentConfig = Json.MAPPER.readTree(student.resolve("config.json").toFile());
        assertThat(studentConfig.get("state_policy")).isEqualTo(firstConfig.get("state_policy"));
        assertThat(studentConfig.get("image_feature_dim").asInt()).isEqualTo(16);
        try (Policy p = Policies.load(student)) {
            assertThat(p.metadata().images()).extracting(i -> i.name()).containsExactly(CAMERA);
        }
    }

    @Test
    void aConfigThatWouldLetTheEstimatorReadWhatItEstimatesOrNamesNoSuchThingIsRefused() throws Exception {
        CliRun reads = CliRun.of("train", "--dataset", data.toString(), "--config",
                estimatorConfig("reads.yaml", "state_features: [pos, target]").toString(), "--out", dir.resolve("r1").toString());
        assertThat(reads.exitCode()).isNotZero();
        assertThat(reads.err()).contains("reads.yaml").contains("state_features").contains("\"pos\"");

        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, Files.readString(estimatorConfig("u.yaml", "")).replace("estimate: [pos]",
                "estimate: [velocity]"));
        CliRun noSuch = CliRun.of("train", "--dataset", data.toString(), "--config", unknown.toString(), "--out",
                dir.resolve("r2").toString());
        assertThat(noSuch.exitCode()).isNotZero();
        assertThat(noSuch.err()).contains("estimate").contains("[pos, target]").contains("\"velocity\"");

        Path everything = dir.resolve("all.yaml");
        Files.writeString(everything, Files.readString(estimatorConfig("a.yaml", "")).replace("estimate: [pos]",
                "estimate: [pos, target]"));
        CliRun all = CliRun.of("train", "--dataset", data.toString(), "--config", everything.toString(), "--out",
                dir.resolve("r3").toString());
        assertThat(all.exitCode()).isNotZero();
        assertThat(all.err()).contains("but not all");

        Path noPolicy = dir.resolve("none.yaml");
        Files.writeString(noPolicy, Files.readString(estimatorConfig("n.yaml", "")).replaceAll("state_policy: .*\n", ""));
        CliRun none = CliRun.of("train", "--dataset", data.toString(), "--config", noPolicy.toString(), "--out",
                dir.resolve("r4").toString());
        assertThat(none.exitCode()).isNotZero();
        assertThat(none.err()).contains("state_policy");

        Path chunk = estimatorConfig("chunk.yaml", "horizon: 4");
        CliRun chunked = CliRun.of("train", "--dataset", data.toString(), "--config", chunk.toString(), "--out",
                dir.resolve("r5").toString());
        assertThat(chunked.exitCode()).isNotZero();
        assertThat(chunked.err()).contains("horizon").contains("newest frame");
        CliRun relative = CliRun.of("train", "--dataset", data.toString(), "--config",
                estimatorConfig("rel.yaml", "relative_to: {pos: pos}").toString(), "--out", dir.resolve("r6").toString());
        assertThat(relative.exitCode()).isNotZero();
        assertThat(relative.err()).contains("rel.yaml").contains("relative_to.pos").contains("measured").contains("\"pos\"");
        // Nothing refused left a run behind.
        for (String r : new String[] {"r1", "r2", "r3", "r4", "r5", "r6"}) {
            assertThat(dir.resolve(r).resolve("config.json")).doesNotExist();
        }
    }
}
