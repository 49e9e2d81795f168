package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import kiban.core.json.Json;
import kiban.data.lerobot.DatasetValidator;
import kiban.data.lerobot.FrameRandomization;
import kiban.data.lerobot.KibanMeta;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.video.RgbFrame;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Observation;
import kiban.sim.env.Randomization;
import kiban.sim.env.RenderRandomization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomizeOptionTest {

    private static final String CAMERA = ImagePolicyCommandTest.CAMERA;

    /**
     * {@code data record --randomize render} records the plain recording's states and actions with
     * other pictures: the camera frames differ well beyond the codec's loss.
     */
    @Test
    void recordsTheSameEpisodesSeenDifferently(@TempDir Path dir) {
        Path plain = dir.resolve("plain");
        Path varied = dir.resolve("varied");
        CliRun a = CliRun.of("data", "record", "--env", "pusht", "--episodes", "1", "--seed", "3", "--video", "--out", plain.toString());
        CliRun b = CliRun.of("data", "record", "--env", "pusht", "--episodes", "1", "--seed", "3", "--video", "--randomize", "render",
                "--out", varied.toString());
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(b.exitCode()).as(b.err()).isZero();
        LeRobotDataset p = LeRobotDataset.open(plain);
        LeRobotDataset v = LeRobotDataset.open(varied);
        Set<String> columns = Set.of("observation.state", "action");
        assertThat(v.readEpisode(0, columns).floats("observation.state"))
                .isEqualTo(p.readEpisode(0, columns).floats("observation.state"));
        assertThat(v.readEpisode(0, columns).floats("action")).isEqualTo(p.readEpisode(0, columns).floats("action"));
        int length = Math.toIntExact(p.episode(0).length());
        List<RgbFrame> pf = p.videoFrames(CAMERA, 0, 0, length);
        List<RgbFrame> vf = v.videoFrames(CAMERA, 0, 0, length);
        double sum = 0;
        for (int f = 0; f < length; f++) {
            sum += pf.get(f).meanAbsError(vf.get(f));
        }
        // The codec's own loss is about 0.5 per channel value (ImagePolicyCommandTest).
        assertThat(sum / length).as("mean absolute difference of the plain and randomised frames").isGreaterThan(5);

        // The dataset says so in Kiban's metadata, with what redraws every picture (the settings and
        // the seeds); LeRobot's info.json stays LeRobot's and the dataset validates.
        assertThat(KibanMeta.read(plain).orElseThrow().randomization()).isEmpty();
        FrameRandomization drawn = KibanMeta.read(varied).orElseThrow().randomization().orElseThrow();
        assertThat(drawn.kind()).isEqualTo("render");
        assertThat(drawn.firstEpisodeSeed()).isEqualTo(3);
        assertThat(drawn.settings()).isEqualTo(RenderRandomization.DEFAULT.settings());
        assertThat(Json.readTree(varied.resolve("meta/info.json")).has("frame_randomization")).isFalse();
        assertThat(DatasetValidator.validate(varied).valid()).isTrue();
        RenderRandomization settings = new RenderRandomization(drawn.settings().get("colour_spread"),
                drawn.settings().get("brightness_spread"), drawn.settings().get("tint_spread"),
                drawn.settings().get("shift_fraction"), drawn.settings().get("rotation_degrees"), drawn.settings().get("scale_spread"));
        EnvConfig redraw = EnvConfig.DEFAULT.withImages(true)
                .withRandomization(Randomization.NONE.withRender(settings));
        try (Env env = EnvRegistry.load().get("pusht").create(redraw)) {
            Observation first = env.reset(drawn.firstEpisodeSeed());
            double again = vf.getFirst().meanAbsError(new RgbFrame(96, 96, first.image().rgb()));
            double unlike = vf.getFirst().meanAbsError(pf.getFirst());
            // Redrawn from the metadata, the first picture is the recorded one up to the codec's loss, which is
            // larger on randomised pictures (measured 2.2 of 255 per channel value, against 0.5 on plain ones).
            assertThat(again).as("redrawn against recorded; plain against recorded: %s", unlike).isLessThan(3).isLessThan(unlike);
        }

        CliRun info = CliRun.of("data", "info", varied.toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.out()).contains("frames: render randomised, episode i drawn from seed 3 + i (brightness_spread 0.2,");
        CliRun plainInfo = CliRun.of("data", "info", plain.toString());
        assertThat(plainInfo.out()).doesNotContain("frames:");
        CliRun infoJson = CliRun.of("data", "info", varied.toString(), "--json");
        try {
            JsonNode n = Json.MAPPER.readTree(infoJson.out()).get("frame_randomization");
            assertThat(n.get("kind").asText()).isEqualTo("render");
            assertThat(n.get("first_episode_seed").asLong()).isEqualTo(3);
            assertThat(n.get("settings").get("rotation_degrees").asDouble()).isEqualTo(RenderRandomization.DEFAULT.rotationDegrees());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A dataset's frames are drawn one way: appending episodes drawn otherwise (plain, or from
     * other seeds) is refused and leaves it as it was; the same --randomize and --seed continue it.
     */
    @Test
    void aRandomisedDatasetContinuesOnlyAsItWasDrawn(@TempDir Path dir) {
        Path varied = dir.resolve("varied");
        CliRun first = CliRun.of("data", "record", "--env", "pusht", "--episodes", "1", "--seed", "3", "--video", "--randomize",
                "render", "--out", varied.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();

        CliRun plain = CliRun.of("data", "record", "--env", "pusht", "--episodes", "2", "--seed", "3", "--video", "--resume",
                "--out", varied.toString());
        assertThat(plain.exitCode()).isEqualTo(1);
        assertThat(plain.err()).contains("frames are render randomised").contains("would be plain").contains("--randomize");
        CliRun otherSeed = CliRun.of("data", "record", "--env", "pusht", "--episodes", "2", "--seed", "9", "--video", "--resume",
                "--randomize", "render", "--out", varied.toString());
        assertThat(otherSeed.exitCode()).isEqualTo(1);
        assertThat(otherSeed.err()).contains("drawn from seed 3 + i").contains("drawn from seed 9 + i");
        assertThat(LeRobotDataset.open(varied).episodes()).hasSize(1);

        CliRun same = CliRun.of("data", "record", "--env", "pusht", "--episodes", "2", "--seed", "3", "--video", "--resume",
                "--randomize", "render", "--out", varied.toString());
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(LeRobotDataset.open(varied).episodes()).hasSize(2);
        assertThat(KibanMeta.read(varied).orElseThrow().randomization()).isPresent();

        // Without --video nothing randomised would be recorded: refused.
        CliRun noVideo = CliRun.of("data", "record", "--env", "pusht", "--episodes", "1", "--randomize", "render", "--out",
                dir.resolve("none").toString());
        assertThat(noVideo.exitCode()).isEqualTo(2);
        assertThat(noVideo.err()).contains("--randomize render").contains("add --video");
        assertThat(dir.resolve("none")).doesNotExist();
    }

    /** A state policy sees no pixels, so {@code eval --randomize render} plays it the very same episodes. */
    @Test
    void evaluatesAStatePolicyOnTheSameEpisodes(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        CliRun plain = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "2", "--json");
        CliRun varied = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "2", "--randomize",
                "render", "--json");
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(varied.exitCode()).as(varied.err()).isZero();
        JsonNode a = Json.MAPPER.readTree(plain.out());
        JsonNode b = Json.MAPPER.readTree(varied.out());
        assertThat(b.get("randomize").get(0).asText()).isEqualTo("render");
        assertThat(a.has("randomize")).isFalse();
        for (String figure : List.of("success_rate", "mean_score", "mean_reward", "mean_length")) {
            assertThat(b.get(figure)).as(figure).isEqualTo(a.get(figure));
        }
    }

    @Test
    void anUnknownKindIsAUsageError() {
        CliRun r = CliRun.of("eval", "--checkpoint", "nowhere", "--env", "pusht", "--randomize", "render,lights");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--randomize", "'lights'", "render");
        CliRun rec = CliRun.of("data", "record", "--env", "pusht", "--episodes", "1", "--out", "nowhere", "--randomize", "colour");
        assertThat(rec.exitCode()).isEqualTo(2);
        assertThat(rec.err()).contains("'colour'");
    }
}
