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

    @Test
    void theReadingsSetPointIsWhereTheSimulatedMachineIs() {
        var arm = kiban.sim.env.EnvRegistry.load().get("ur5e-pick-place");
        try (SimMachine m = new SimMachine(arm.create(EnvConfig.DEFAULT), 5)) {
            var r = m.read();
            double[] state = r.state();
            // joint targets at the joint positions, the gripper command at the gripper's closure
            double[] expected = {state[0], state[1], state[2], state[3], state[4], state[5], state[12]};
            assertThat(r.setpoint()).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-12));
        }
        var cell = kiban.sim.env.EnvRegistry.load().get("factory-cell");
        try (SimMachine m = new SimMachine(cell.create(EnvConfig.DEFAULT), 5)) {
            m.command(new double[] {0.7, 0.4, 0});
            var r = m.read();
            assertThat(r.setpoint()).containsExactly(r.state()[0], r.state()[1], 0.0);
        }
    }
}
