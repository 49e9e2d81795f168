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
import org.junit.jupiter.api.Test;

class FeatureCodecTest {

    private static FeatureSpec feature(String name, String unit, int size, double low, double high) {
        return new FeatureSpec(name, unit, List.of(size), List.of(), java.util.Collections.nCopies(size, low),
                java.util.Collections.nCopies(size, high), List.of());
    }

    private static Normalizer normalizer(String... keys) {
        double[][] rows = {{0, 0}, {512, 512}};
        Map<String, FeatureStats> stats = new java.util.LinkedHashMap<>();
        for (String k : keys) {
            stats.put(k, FeatureStats.fit(rows));
        }
        return Normalizer.of(NormalizationMode.MIN_MAX, stats);
    }

    @Test
    void aPlanarPoseAddsTheOtherPositionInItsFrame() {
        var agent = feature("agent_pos", "px", 2, 0, 512);
        var block = feature("block_pos", "px", 2, 0, 512);
        var angle = feature("block_angle", "rad", 1, 0, 2 * Math.PI);
        var action = feature("target_pos", "px", 2, 0, 512);
        FeatureCodec codec = new FeatureCodec(List.of(agent, block, angle), List.of(action),
                normalizer("observation.agent_pos", "observation.block_pos", "action.target_pos"));
        // 2 + 2 + sin/cos + the agent in the block's frame.
        assertThat(codec.relativeFeatures()).isEqualTo(1);
        assertThat(codec.encodedObservationDim()).isEqualTo(8);
        float[] out = new float[8];
        // Block at (200, 200) turned a quarter turn: the agent 100 px to its +y (world) is at local +x.
        codec.encodeObservation(new double[] {200, 300, 200, 200, Math.PI / 2}, out, 0);
        assertThat((double) out[6]).isCloseTo(100 / 256.0, within(1e-6));
        assertThat((double) out[7]).isCloseTo(0, within(1e-6));
    }

    @Test
    void withoutAPoseTheEncodingIsUnchanged() {
        var agent = feature("agent_pos", "px", 2, 0, 512);
        var action = feature("target_pos", "px", 2, 0, 512);
        FeatureCodec codec = new FeatureCodec(List.of(agent), List.of(action),
                normalizer("observation.agent_pos", "action.target_pos"));
        assertThat(codec.relativeFeatures()).isZero();
        assertThat(codec.encodedObservationDim()).isEqualTo(2);
    }

    @Test
    void stateFeaturesSelectWhatTheNetworkReads() {
        var agent = feature("agent_pos", "px", 2, 0, 512);
        var block = feature("block_pos", "px", 2, 0, 512);
        var angle = feature("block_angle", "rad", 1, 0, 2 * Math.PI);
        var action = feature("target_pos", "px", 2, 0, 512);
        var n = normalizer("observation.agent_pos", "observation.block_pos", "action.target_pos");
        FeatureCodec codec = new FeatureCodec(List.of(agent, block, angle), List.of(action), n, List.of("agent_pos"));
        // The block pose is skipped, and with it the agent in the block's frame.
        assertThat(codec.relativeFeatures()).isZero();
        assertThat(codec.encodedObservationDim()).isEqualTo(2);
        float[] out = new float[2];
        codec.encodeObservation(new double[] {256, 512, 1, 2, 3}, out, 0);
        assertThat((double) out[0]).isCloseTo(0, within(1e-6));
        assertThat((double) out[1]).isCloseTo(1, within(1e-6));
        // The exported tables select the same elements.
        EncodingLayout l = codec.layout();
        assertThat(l.select()).containsExactly(0, 1);
        assertThatThrownBy(() -> new FeatureCodec(List.of(agent), List.of(action), n, List.of("agent_position")))
                .hasMessageContaining("state_features").hasMessageContaining("agent_pos");
    }

    /** The tables an exported module encodes with reproduce encodeObservation and decodeAction. */
    @Test
    void theLayoutEncodesAsTheCodecDoes() {
        var agent = feature("agent_pos", "px", 2, 0, 512);
        var block = feature("block_pos", "px", 2, 0, 512);
        var angle = feature("block_angle", "rad", 1, 0, 2 * Math.PI);
        var action = feature("target_pos", "px", 2, 0, 512);
        FeatureCodec codec = new FeatureCodec(List.of(agent, block, angle), List.of(action),
                normalizer("observation.agent_pos", "observation.block_pos", "action.target_pos"));
        EncodingLayout l = codec.layout();
        double[] x = {120, 310, 200, 250, 2.5};
        float[] expected = new float[codec.encodedObservationDim()];
        codec.encodeObservation(x, expected, 0);
        int n = l.observationDim();
        double[] candidates = new double[3 * n + 2 * l.relScale().length];
        for (int j = 0; j < n; j++) {
            candidates[j] = (x[j] - l.offset()[j]) * l.scale()[j];
            candidates[n + j] = Math.sin(x[j]);
            candidates[2 * n + j] = Math.cos(x[j]);
        }
        for (int r = 0; r < l.relScale().length; r++) {
            double a = x[l.relAngle()[r]];
            double dx = x[l.relOther()[r]] - x[l.relPosition()[r]];
            double dy = x[l.relOther()[r] + 1] - x[l.relPosition()[r] + 1];
            candidates[3 * n + 2 * r] = (Math.cos(a) * dx + Math.sin(a) * dy) / l.relScale()[r];
            candidates[3 * n + 2 * r + 1] = (-Math.sin(a) * dx + Math.cos(a) * dy) / l.relScale()[r];
        }
        assertThat(l.select()).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(candidates[l.select()[i]]).as("element %d", i).isCloseTo(expected[i], within(1e-6));
        }
        float[] y = {0.25f, -0.5f};
        double[] physical = codec.decodeAction(y, 0);
        for (int j = 0; j < 2; j++) {
            assertThat(y[j] * l.actionScale()[j] + l.actionOffset()[j]).isCloseTo(physical[j], within(1e-9));
        }
    }

    /** Regression: a never-varied action element came out as the network's raw error (UR5e wrist joint off by 0.3 rad). */
    @Test
    void anActionTheDataNeverVariedDecodesToItsConstant() {
        var pos = feature("pos", "m", 1, -1, 1);
        var joints = feature("joints", "rad", 2, -6, 6);
        Map<String, FeatureStats> stats = new java.util.LinkedHashMap<>();
        stats.put("observation.pos", FeatureStats.fit(new double[][] {{-1}, {1}}));
        stats.put("action.joints", FeatureStats.fit(new double[][] {{0, -1.5707963}, {2, -1.5707964}}));
        FeatureCodec codec = new FeatureCodec(List.of(pos), List.of(joints), Normalizer.of(NormalizationMode.MIN_MAX, stats));
        double[] a = codec.decodeAction(new float[] {0.5f, 0.7f}, 0);
        assertThat(a[0]).isCloseTo(1.5, within(1e-6));
        assertThat(a[1]).isCloseTo(-1.57079635, within(1e-7));
        EncodingLayout l = codec.layout();
        assertThat(l.actionScale()[1]).isZero();
        assertThat(0.7 * l.actionScale()[1] + l.actionOffset()[1]).isEqualTo(a[1]);
    }
}
