package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import kiban.core.embodiment.FeatureSpec;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.Episode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiban data record --noise}: the env executes perturbed actions, the dataset keeps the clean ones. */
class RecordNoiseTest {

    @Test
    void perturbsWithinTheLimitsAtTheGivenScale() {
        FeatureSpec f = new FeatureSpec("a", "1", List.of(2), List.of(), List.of(-2.0, 0.0), List.of(2.0, 1.0), List.of());
        SplittableRandom r = new SplittableRandom(1);
        double sum = 0;
        int n = 20000;
        for (int i = 0; i < n; i++) {
            double[] p = SimRecorder.perturbed(new double[] {0, 1}, List.of(f), 0.1, r);
            assertThat(p[1]).isBetween(0.0, 1.0);
            sum += p[0] * p[0];
        }
        // Standard deviation 0.1 of the half-range 2.
        assertThat(Math.sqrt(sum / n)).isBetween(0.19, 0.21);
    }

    @Test
    void theDatasetKeepsTheExpertsActionFromEachPerturbedState(@TempDir Path dir) {
        Path clean = dir.resolve("clean");
        Path noisy = dir.resolve("noisy");
        assertThat(CliRun.of("data", "record", "--env", "highway", "--episodes", "1", "--out", clean.toString()).exitCode()).isZero();
        CliRun run = CliRun.of("data", "record", "--env", "highway", "--episodes", "1", "--noise", "0.05", "--out", noisy.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Episode a = DatasetEpisodes.load(clean, 0).train().getFirst();
        Episode b = DatasetEpisodes.load(noisy, 0).train().getFirst();
        // Same reset, same first expert action; then the perturbed execution leads elsewhere.
        assertThat(b.observations()[0]).containsExactly(a.observations()[0]);
        assertThat(b.actions()[0]).containsExactly(a.actions()[0]);
        assertThat(b.observations()[1]).isNotEqualTo(a.observations()[1]);
        CliRun bad = CliRun.of("data", "record", "--env", "highway", "--episodes", "1", "--noise", "-1", "--out", dir.resolve("x").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--noise");
    }
}
