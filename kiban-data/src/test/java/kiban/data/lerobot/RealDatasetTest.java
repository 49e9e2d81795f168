package kiban.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Set;
import kiban.data.table.Table;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared LeRobot v2.1 Unitree G1 dataset: read in place, validated, converted to v3.0. */
class RealDatasetTest {

    static Path g1;

    @TempDir
    Path tmp;

    @BeforeAll
    static void locate() {
        g1 = TestData.g1();
    }

    @Test
    void readsTheV21Dataset() {
        assumeTrue(g1 != null, "shared/data/lerobot-v2.1-unitree-g1 not found");
        LeRobotDataset ds = LeRobotDataset.open(g1);
        assertThat(ds.version()).isEqualTo(FormatVersion.V2_1);
        assertThat(ds.info().robotType()).isEqualTo("Unitree_G1_Inspire");
        assertThat(ds.episodes()).hasSize(100);
        assertThat(ds.totalFrames()).isEqualTo(35_965);
        assertThat(ds.info().totalFrames()).isEqualTo(35_965);
        Table ep0 = ds.readEpisode(0);
        assertThat(ep0.rows()).isEqualTo(479);
        assertThat(ep0.floats("observation.state").width()).isEqualTo(26);
        // Stats pooled from episodes_stats.jsonl agree with the data.
        var s = ds.stats().get("observation.state");
        assertThat(s.count()).isEqualTo(35_965);
    }

    @Test
    void validationReportsTheMissingVideosByEpisode() {
        assumeTrue(g1 != null, "shared/data/lerobot-v2.1-unitree-g1 not found");
        ValidationReport r = DatasetValidator.validate(g1);
        assertThat(r.valid()).isFalse();
        // Only the missing videos are wrong: 98 of 100.
        assertThat(r.errors()).allMatch(i -> i.message().contains("video"));
        assertThat(r.errors().stream().filter(i -> i.episode() == null).map(ValidationIssue::message))
                .containsExactly("video feature 'observation.images.cam_high': 98 of 100 episode videos missing");
        assertThat(r.errors().get(0).file()).isEqualTo("videos/chunk-000/observation.images.cam_high/episode_000000.mp4");
        assertThat(r.errors().get(0).episode()).isZero();
    }

    @Test
    void convertsToV30WithTheSameFrames() {
        assumeTrue(g1 != null, "shared/data/lerobot-v2.1-unitree-g1 not found");
        Path out = tmp.resolve("g1-v3");
        DatasetConverter.Result res = DatasetConverter.toV30(g1, out, false, false);
        assertThat(res.droppedVideoFeatures()).containsExactly("observation.images.cam_high");
        assertThat(res.warnings().get(0)).contains("98 of 100");
        ValidationReport r = DatasetValidator.validate(out);
        assertThat(r.issues()).isEmpty();
        LeRobotDataset src = LeRobotDataset.open(g1);
        LeRobotDataset dst = LeRobotDataset.open(out);
        assertThat(dst.version()).isEqualTo(FormatVersion.V3_0);
        assertThat(dst.info().totalFrames()).isEqualTo(35_965);
        assertThat(dst.episodes()).hasSize(100);
        assertThat(dst.info().features()).doesNotContainKey("observation.images.cam_high");
        assertThat(dst.info().feature("action").json().get("fps").asInt()).isEqualTo(30);
        Set<String> cols = Set.of("observation.state", "action", "timestamp", "index", "episode_index", "frame_index", "task_index");
        Table a = src.readAll(cols);
        Table b = dst.readAll(cols);
        assertThat(b.rows()).isEqualTo(a.rows()).isEqualTo(35_965);
        for (String c : cols) {
            assertThat(b.column(c)).as(c).isEqualTo(a.column(c));
        }
        assertThat(dst.readEpisode(57).rows()).isEqualTo(src.episode(57).length());
        var qs = dst.stats().get("observation.state");
        assertThat(qs.count()).isEqualTo(35_965);
        assertThat(qs.q50()[0]).isBetween(qs.min()[0], qs.max()[0]);
        assertThat(dst.episodes().get(3).stats().get("action").count()).isEqualTo(src.episode(3).length());
    }
}
