package kiban.policy.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.normalize.FeatureStats;
import kiban.core.normalize.NormalizationMode;
import kiban.core.normalize.Normalizer;
import kiban.core.policy.DeltaPair;
import kiban.core.policy.PolicyMetadata;
import org.junit.jupiter.api.Test;

/** Delta training targets: row k of a window from frame t is action[t+k] - observation[t+k]. */
class DeltaTargetsTest {

    private static FeatureSpec feature(String name, int size) {
        return new FeatureSpec(name, "rad", List.of(size), List.of(), java.util.Collections.nCopies(size, -10.0),
                java.util.Collections.nCopies(size, 10.0), List.of());
    }

    @Test
    void windowsTargetTheActionMinusTheObservationOfTheSameFramePaddedAsActions() {
        FeatureSpec vel = feature("vel", 1);
        FeatureSpec pos = feature("pos", 1);
        FeatureSpec grip = feature("grip", 1);
        FeatureSpec target = feature("target", 1);
        PolicyMetadata m = DeltaTargets.check(new PolicyMetadata("flow", List.of(vel, pos), List.of(grip, target), 1, 3, 1),
                List.of(new DeltaPair("target", "pos")), "config");
        // frame t: vel 5, pos t^2, grip t, target 10 t (a target is not the next frame's position)
        double[][] obs = new double[4][];
        double[][] act = new double[4][];
        for (int t = 0; t < 4; t++) {
            obs[t] = new double[] {5, t * t};
            act[t] = new double[] {t, 10 * t};
        }
        List<Episode> episodes = DeltaTargets.apply(List.of(new Episode(obs, act)), m);
        assertThat(act[2]).as("the recorded episode is left alone").containsExactly(2, 20);
        // Identity-like normalisation (min-max to [-1, 1] over [-10, 10]) so targets read back exactly.
        Map<String, FeatureStats> stats = new java.util.LinkedHashMap<>();
        for (String k : List.of("observation.vel", "observation.pos", "action.grip", "action.target")) {
            stats.put(k, FeatureStats.fit(new double[][] {{-10}, {10}}));
        }
        FeatureCodec codec = new FeatureCodec(m.observation(), m.action(), Normalizer.of(NormalizationMode.MIN_MAX, stats));
        try (ChunkWindows w = new ChunkWindows(episodes, codec, 1, 3, 0)) {
            Batch b = w.all(4).getFirst();
            for (int t = 0; t < 4; t++) {
                for (int k = 0; k < 3; k++) {
                    int f = Math.min(t + k, 3);
                    double[] row = codec.decodeAction(b.actions(), t * 6 + k * 2);
                    assertThat(row[0]).isCloseTo(f, within(1e-5));
                    assertThat(row[1]).as("window %d row %d", t, k).isCloseTo(10 * f - f * f, within(1e-5));
                    assertThat(b.mask()[t * 6 + k * 2]).isEqualTo(t + k <= 3 ? 1f : 0f);
                }
            }
        }
    }

    @Test
    void badPairsNameTheConfigField() {
        FeatureSpec pos = feature("pos", 1);
        PolicyMetadata m = new PolicyMetadata("flow", List.of(pos), List.of(feature("target", 2)), 1, 1, 1);
        assertThatThrownBy(() -> DeltaTargets.check(m, List.of(new DeltaPair("target", "pos")), "delta.yaml"))
                .hasMessageContaining("delta.yaml").hasMessageContaining("delta_actions")
                .hasMessageContaining("has 2 elements");
    }
}
