package kiban.policy.train;

import static kiban.testing.LineCamera.strip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kiban.core.policy.ActionChunkBroker;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.PolicyObservation;
import kiban.core.progress.Progress;
import kiban.policy.data.Episode;
import kiban.policy.data.TrainingData;
import kiban.policy.run.PolicyFiles;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainConfig;
import kiban.policy.run.TrainedPolicy;
import kiban.testing.LineCamera;
import kiban.testing.LineEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Training on camera images: the line's target is only in the image, the network reads the position only. */
class ImageTrainingTest {

    static final ImageSpec CAMERA = LineCamera.CAMERA;

    static TrainingData data() {
        SplittableRandom r = new SplittableRandom(3);
        List<Episode> out = new ArrayList<>();
        for (int e = 0; e < 40; e++) {
            double pos = r.nextDouble(-5, 5);
            double target = r.nextDouble(-5, 5);
            int len = 10;
            double[][] obs = new double[len][];
            double[][] act = new double[len][];
            byte[][] frames = new byte[len][];
            for (int t = 0; t < len; t++) {
                obs[t] = new double[] {pos, target};
                act[t] = new double[] {PolicyTrainerTest.expert(pos, target)};
                frames[t] = strip(target);
                pos += act[t][0];
            }
            out.add(new Episode(obs, act, List.<byte[][]>of(frames)));
        }
        return TrainingData.split(LineEnv.EMBODIMENT.state(), LineEnv.EMBODIMENT.action(), List.of(CAMERA), out, 0.1,
                "synthetic", "none");
    }

    static TrainConfig config(long steps) {
        return PolicyTrainerTest.config("mlp", steps).with(c -> {
            c.put("observation_steps", 2).put("image_feature_dim", 8).put("checkpoint_every", 30);
            c.putArray("state_features").add("pos");
            c.putArray("image_features").add(CAMERA.name());
        });
    }

    private static Progress quiet() {
        return Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 0);
    }

    @Test
    void aPolicyReadsTheTargetFromTheImage(@TempDir Path dir) {
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        new PolicyTrainer(config(150), data(), run).train(false, quiet());
        assertThat(PolicyFiles.read(run.policy()).images()).containsExactly(CAMERA);
        try (TrainedPolicy p = TrainedPolicy.load(run.root())) {
            assertThat(p.metadata().images()).containsExactly(CAMERA);
            double[] state = {0, 0}; // the target in the state is not read: state_features is [pos]
            double left = p.infer(history(state, strip(-4)))[0][0];
            double right = p.infer(history(state, strip(4)))[0][0];
            // The expert moves -1 and +1; a policy blind to the image gives both the same.
            assertThat(right - left).isGreaterThan(0.5);
            assertThatThrownBy(() -> p.infer(new double[][] {state, state})).hasMessageContaining("reads image " + CAMERA.name())
                    .hasMessageContaining("has no images");
            // The executor carries the image history to the policy.
            ActionChunkBroker broker = new ActionChunkBroker(p);
            broker.reset();
            double[] a = broker.act(new PolicyObservation(state, Map.of(CAMERA.name(), strip(4))));
            assertThat(a[0]).isCloseTo(right, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flow", "flow-film", "diffusion", "act", "flow-resnet", "act-resnet-shared"})
    void everyPolicyTypeTakesImages(String variant, @TempDir Path dir) {
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        TrainConfig c = config(4).with(t -> {
            t.put("policy", variant.split("-")[0]).put("flow_steps", 2);
            if (variant.endsWith("-film")) {
                t.put("flow_head", "film").putArray("hidden").add(32).add(32);
            }
            if (variant.contains("-resnet")) {
                t.put("image_encoder", "resnet").put("shared_image_encoder", variant.endsWith("-shared"));
            }
        });
        new PolicyTrainer(c, data(), run).train(false, quiet());
        try (TrainedPolicy p = TrainedPolicy.load(run.root())) {
            p.seed(1);
            double[][] left = p.infer(history(new double[] {0, 0}, strip(-4)));
            p.seed(1);
            double[][] right = p.infer(history(new double[] {0, 0}, strip(4)));
            assertThat(left).hasNumberOfRows(4);
            assertThat(left[0][0]).isFinite();
            // Untrained, but already a function of the image.
            assertThat(java.util.Arrays.deepEquals(left, right)).isFalse();
        }
    }

    private static PolicyObservation[] history(double[] state, byte[] image) {
        PolicyObservation o = new PolicyObservation(state, Map.of(CAMERA.name(), image));
        return new PolicyObservation[] {o, o};
    }

    @Test
    void resumingAnImageRunContinuesExactly(@TempDir Path dir) throws Exception {
        RunDirectory straight = new RunDirectory(dir.resolve("straight"));
        new PolicyTrainer(config(60), data(), straight).train(false, quiet());
        RunDirectory interrupted = new RunDirectory(dir.resolve("interrupted"));
        new PolicyTrainer(config(60), data(), interrupted).stopAfter(30).train(false, quiet());
        new PolicyTrainer(config(60), data(), interrupted).train(true, quiet());
        Path a = straight.latestCheckpoint().orElseThrow();
        Path b = interrupted.latestCheckpoint().orElseThrow();
        assertThat(b.getFileName()).isEqualTo(a.getFileName());
        assertThat(Files.readAllBytes(b.resolve("ema.ndlist"))).isEqualTo(Files.readAllBytes(a.resolve("ema.ndlist")));
    }

    @Test
    void imageFeaturesMustMatchTheData(@TempDir Path dir) {
        TrainConfig stateOnly = PolicyTrainerTest.config("mlp", 2);
        assertThatThrownBy(() -> new PolicyTrainer(stateOnly, data(), new RunDirectory(dir)))
                .hasMessageContaining("image_features");
    }

    /** Random crops of 8 x 14 from the 8 x 16 strip and colour jitter; the policy reads the centre crop. */
    static TrainConfig augmented(long steps) {
        return config(steps).with(c -> {
            c.putArray("image_crop").add(8).add(14);
            c.put("image_jitter", 0.1);
        });
    }

    @Test
    void aPolicyTrainedOnAugmentedCropsReadsTheTargetFromTheCentreCrop(@TempDir Path dir) {
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        TrainConfig c = augmented(150);
        assertThat(TrainConfig.read(c.toTree(), "config", TrainConfig.defaults()).imageAugmentation())
                .isEqualTo(new kiban.policy.data.ImageAugmentation(8, 14, 0.1));
        new PolicyTrainer(c, data(), run).train(false, quiet());
        try (TrainedPolicy p = TrainedPolicy.load(run.root())) {
            // The camera delivers whole frames; the policy crops them itself.
            assertThat(p.metadata().images()).containsExactly(CAMERA);
            double[] state = {0, 0};
            double left = p.infer(history(state, strip(-4)))[0][0];
            double right = p.infer(history(state, strip(4)))[0][0];
            assertThat(right - left).isGreaterThan(0.5);
        }
    }

    @Test
    void resumingAnAugmentedRunContinuesExactly(@TempDir Path dir) throws Exception {
        RunDirectory straight = new RunDirectory(dir.resolve("straight"));
        new PolicyTrainer(augmented(40), data(), straight).train(false, quiet());
        RunDirectory interrupted = new RunDirectory(dir.resolve("interrupted"));
        new PolicyTrainer(augmented(40), data(), interrupted).stopAfter(30).train(false, quiet());
        new PolicyTrainer(augmented(40), data(), interrupted).train(true, quiet());
        Path a = straight.latestCheckpoint().orElseThrow();
        Path b = interrupted.latestCheckpoint().orElseThrow();
        assertThat(Files.readAllBytes(b.resolve("ema.ndlist"))).isEqualTo(Files.readAllBytes(a.resolve("ema.ndlist")));
    }

    @Test
    void aCropLargerThanTheFramesIsRefused(@TempDir Path dir) {
        TrainConfig tooTall = config(2).with(c -> c.putArray("image_crop").add(9).add(14));
        assertThatThrownBy(() -> new PolicyTrainer(tooTall, data(), new RunDirectory(dir)))
                .hasMessageContaining("image_crop").hasMessageContaining("8x16");
        assertThatThrownBy(() -> config(2).with(c -> c.putArray("image_crop").add(8)))
                .hasMessageContaining("image_crop").hasMessageContaining("[height, width]");
    }
}
