package kiban.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import kiban.sim.env.EnvConfig;
import kiban.testing.LineEnv;
import org.junit.jupiter.api.Test;

class SimMachineTest {

    @Test
    void eachCommandStepsTheEnvOnceAndEpisodesFollowWithTheNextSeed() {
        try (SimMachine m = new SimMachine(new LineEnv(EnvConfig.DEFAULT), 7)) {
            assertThat(m.commandPeriodSeconds()).isEqualTo(0.1);
            double[] s = m.read().state();
            LineEnv reference = new LineEnv(EnvConfig.DEFAULT);
            assertThat(s).containsExactly(reference.reset(7).state());
            int steps = 0;
            while (m.episode() == 0) {
                double[] r = m.read().state();
                m.command(new double[] {Math.max(-1, Math.min(1, r[1] - r[0]))});
                steps++;
            }
            assertThat(m.read().state()).containsExactly(reference.reset(8).state());
            assertThat(m.metrics()).containsEntry("episodes_completed", 1.0).containsEntry("success_rate", 1.0)
                    .containsEntry("env_steps", (double) steps).containsKey("closest_distance");
        }
    }

    @Test
    void theEStopInputShowsInTheReading() {
        try (SimMachine m = new SimMachine(new LineEnv(EnvConfig.DEFAULT), 1)) {
            assertThat(m.read().emergencyStop()).isFalse();
            m.setEmergencyStop(true);
            assertThat(m.read().emergencyStop()).isTrue();
        }
    }

    @Test
    void theExpertFallbackIsResetWithEachEpisodesSeed() {
        try (SimMachine m = new SimMachine(new LineEnv(EnvConfig.DEFAULT), 4)) {
            java.util.List<Long> seeds = new java.util.ArrayList<>();
            ExpertFallback f = new ExpertFallback(new kiban.sim.env.Expert() {
                @Override
                public void reset(long seed) {
                    seeds.add(seed);
                }

                @Override
                public double[] act(kiban.sim.env.Observation o) {
                    return new double[] {Math.max(-1, Math.min(1, o.state(1) - o.state(0)))};
                }
            }, m);
            while (m.episode() < 2) {
                m.command(f.act(m.read().state()));
            }
            f.act(m.read().state());
            assertThat(seeds).containsExactly(4L, 5L, 6L);
        }
    }
}
