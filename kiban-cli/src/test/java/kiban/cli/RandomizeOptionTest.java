package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import kiban.core.json.Json;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.video.RgbFrame;
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
