package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.core.json.Json;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.table.Table;
import kiban.data.video.RgbFrame;
import kiban.policy.data.CameraFrames;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.TrainingData;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camera observations end to end: record pusht with --video, train a policy on its frames and the
 * agent's position, evaluate it (the env renders the frames the recorder stored), and refuse it where
 * images cannot go yet.
 */
class ImagePolicyCommandTest {

    static final String CAMERA = "observation.images.image";

    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void record() {
        data = dir.resolve("data");
        CliRun record = CliRun.of("data", "record", "--env", "pusht", "--episodes", "2", "--seed", "3", "--video",
                "--out", data.toString());
        assertThat(record.exitCode()).as(record.err()).isZero();
    }

    /**
     * Every decoded frame of an episode is close to what the env renders when its recorded actions
     * are replayed: the layout (HWC RGB, 96x96) matches and only H.264's yuv420p loss remains.
     */
    @Test
    void decodedFramesMatchTheRenderedObservations() {
        LeRobotDataset dataset = LeRobotDataset.open(data);
        int length = Math.toIntExact(dataset.episode(0).length());
        List<RgbFrame> decoded = dataset.videoFrames(CAMERA, 0, 0, length);
        Table t = dataset.readEpisode(0, java.util.Set.of("action"));
        double worst = 0;
        double sum = 0;
        try (Env env = EnvRegistry.load().get("pusht").create(EnvConfig.DEFAULT.withImages(true))) {
            Observation obs = env.reset(3);
            for (int f = 0; f < length; f++) {
                RgbFrame rendered = new RgbFrame(obs.image().height(), obs.image().width(), obs.image().rgb());
                double mae = decoded.get(f).meanAbsError(rendered);
                worst = Math.max(worst, mae);
                sum += mae;
                double[] action = {t.floats("action").get(f, 0), t.floats("action").get(f, 1)};
                obs = env.step(action).observation();
            }
            // A different scene (another seed's first frame) is far further off than codec loss.
            Observation other = env.reset(4);
            double unlike = decoded.getFirst().meanAbsError(new RgbFrame(96, 96, other.image().rgb()));
            assertThat(unlike).isGreaterThan(3 * worst);
        }
        // Measured: 0.50 on average, 0.64 at worst (of 255), for seed 3's 73 frames.
        assertThat(sum / length).as("mean absolute difference per channel value").isLessThan(1.0);
        assertThat(worst).isLessThan(1.5);
    }

    /**
     * Training's episodes leave their frames in the frame cache's mapping instead of copying them
     * onto the heap, and every frame read from there is the decoded frame, byte for byte.
     */
    @Test
    void trainingEpisodesReadTheirFramesFromTheCacheAsDecoded() {
        TrainingData d = DatasetEpisodes.load(data, 0, List.of(CAMERA), Integer.MAX_VALUE, dir.resolve("frame-cache"));
        LeRobotDataset dataset = LeRobotDataset.open(data);
        assertThat(d.train()).hasSize(dataset.episodes().size());
        for (int e = 0; e < d.train().size(); e++) {
            CameraFrames frames = d.train().get(e).images().getFirst();
            assertThat(frames).isInstanceOf(CameraFrames.Cached.class);
            assertThat(((CameraFrames.Cached) frames).episode()).isEqualTo(e);
            List<RgbFrame> decoded = dataset.videoFrames(CAMERA, e, 0, frames.count());
            for (int f = 0; f < frames.count(); f++) {
                assertThat(frames.frame(f)).as("episode %d frame %d", e, f).isEqualTo(decoded.get(f).rgb());
            }
        }
    }

    @Test
    void trainsOnImagesAndEvaluatesWithTheRenderedFrames() throws Exception {
        Path run = dir.resolve("run");
        Path config = dir.resolve("image.yaml");
        Files.writeString(config, """
                policy: flow
                image_features: [observation.images.image]
                state_features: [agent_pos]
                image_feature_dim: 8
                hidden: [32]
                flow_steps: 2
                checkpoint_every: 3
                """);
        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--config", config.toString(), "--steps", "6",
                "--batch", "8", "--out", run.toString(), "--json");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(Json.MAPPER.readTree(train.out()).get("final_loss").asDouble()).isFinite();
        JsonNode policy = Json.MAPPER.readTree(run.resolve("policy.json").toFile());
        assertThat(policy.get("images").get(0).get("name").asText()).isEqualTo(CAMERA);
        assertThat(policy.get("images").get(0).get("height").asInt()).isEqualTo(96);

        CliRun resume = CliRun.of("train", "--dataset", data.toString(), "--steps", "9", "--out", run.toString(), "--resume",
                "--json");
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(Json.MAPPER.readTree(resume.out()).get("steps").asLong()).isEqualTo(9);

        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "2", "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode e = Json.MAPPER.readTree(eval.out());
        assertThat(e.get("episodes").asInt()).isEqualTo(2);
        assertThat(e.get("mean_score").asDouble()).isBetween(0.0, 1.0);

        // kiban serve takes it too (frames as uint8 arrays; kiban-serve's ServeImagesTest); kiban run does not.
        CliRun deploy = CliRun.of("run", "--checkpoint", run.toString(), "--env", "pusht", "--duration", "1");
        assertThat(deploy.exitCode()).isEqualTo(1);
        assertThat(deploy.err()).contains("reads camera images [" + CAMERA + "]");

        // Exported to TorchScript (Debian's python3-torch), the CNN goes with it and Kiban feeds it the frames.
        Path exported = dir.resolve("ts");
        CliRun export = CliRun.of("export", "--checkpoint", run.toString(), "--out", exported.toString(), "--python",
                "/usr/bin/python3");
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(Json.MAPPER.readTree(exported.resolve("policy.json").toFile()).get("images").get(0).get("name").asText())
                .isEqualTo(CAMERA);
        CliRun evalExport = CliRun.of("eval", "--checkpoint", exported.toString(), "--env", "pusht", "--episodes", "2", "--json");
        assertThat(evalExport.exitCode()).as(evalExport.err()).isZero();
        JsonNode x = Json.MAPPER.readTree(evalExport.out());
        assertThat(x.get("policy").asText()).isEqualTo("torchscript");
        assertThat(x.get("mean_score").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void namesAMissingVideoFeature() {
        Path config = dir.resolve("wrong.yaml");
        CliRun train;
        try {
            Files.writeString(config, "image_features: [observation.images.front]\n");
            train = CliRun.of("train", "--dataset", data.toString(), "--config", config.toString(), "--steps", "1",
                    "--out", dir.resolve("wrong").toString());
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        assertThat(train.exitCode()).isEqualTo(1);
        assertThat(train.err()).contains("image_features").contains(CAMERA).contains("observation.images.front");
    }
}
