package kiban.sim.env;

import kiban.testing.LineEnv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VectorEnvTest {

    @Test
    void matchesSequentialSteppingWhateverTheThreads() {
        int n = 6;
        double[][] parallel = run(n, 2);
        double[][] single = run(n, 1);
        assertThat(parallel).isDeepEqualTo(single);
        // Copy i follows seed base + i, exactly as a lone env would.
        LineEnv lone = new LineEnv(EnvConfig.DEFAULT);
        Observation first = lone.reset(100 + 4);
        double expected = first.state(0);
        for (int s = 0; s < 5; s++) {
            expected = lone.step(new double[] {0.25}).observation().state(0);
        }
        assertThat(parallel[4][0]).isEqualTo(expected);
    }

    @Test
    void resetsFinishedCopiesToTheirNextSeed() {
        try (VectorEnv v = new VectorEnv(() -> new LineEnv(EnvConfig.DEFAULT), 2, 2)) {
            v.reset(0);
            StepResult[] r = null;
            for (int s = 0; s < LineEnv.SPEC.maxSteps(); s++) {
                r = v.step(new double[][] {{0}, {0}});
            }
            assertThat(r[0].truncated()).isTrue();
            // After the limit copy 0 restarted from seed 0 + 2.
            assertThat(r[0].observation().state(1)).isEqualTo(new LineEnv(EnvConfig.DEFAULT).reset(2).state(1));
            assertThat(v.env(0).elapsedSteps()).isZero();
        }
    }

    @Test
    void refusesTheWrongNumberOfActions() {
        try (VectorEnv v = new VectorEnv(() -> new LineEnv(EnvConfig.DEFAULT), 3, 2)) {
            v.reset(0);
            assertThatThrownBy(() -> v.step(new double[][] {{0}})).hasMessageContaining("need 3 actions, got 1");
        }
    }

    private static double[][] run(int n, int threads) {
        try (VectorEnv v = new VectorEnv(() -> new LineEnv(EnvConfig.DEFAULT), n, threads)) {
            v.reset(100);
            StepResult[] r = null;
            double[][] actions = new double[n][];
            for (int i = 0; i < n; i++) {
                actions[i] = new double[] {0.25};
            }
            for (int s = 0; s < 5; s++) {
                r = v.step(actions);
            }
            double[][] out = new double[n][];
            for (int i = 0; i < n; i++) {
                out[i] = r[i].observation().state();
            }
            return out;
        }
    }
}
