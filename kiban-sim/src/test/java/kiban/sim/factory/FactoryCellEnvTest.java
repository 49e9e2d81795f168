package kiban.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kiban.core.error.InvalidInputException;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Observation;
import kiban.sim.env.Randomization;
import kiban.sim.env.StepResult;
import org.junit.jupiter.api.Test;

class FactoryCellEnvTest {

    private final FactoryCellProvider provider = new FactoryCellProvider();

    @Test
    void registeredWithTheEmbodimentsFeaturesAndTwoTaskFeatures() {
        assertThat(EnvRegistry.load().get("factory-cell")).isInstanceOf(FactoryCellProvider.class);
        var spec = provider.spec();
        assertThat(spec.observationDim()).isEqualTo(CellObservation.SIZE);
        assertThat(spec.observation().get(CellObservation.VIBRATION_RMS).name()).isEqualTo("vibration_rms");
        assertThat(spec.observation().get(CellObservation.MACHINE_STATE).name()).isEqualTo("machine_state");
        assertThat(spec.observation().get(CellObservation.PARTS_DONE).name()).isEqualTo("parts_done");
        assertThat(spec.actionDim()).isEqualTo(3);
        assertThat(spec.maxSteps()).isEqualTo(CellModel.EPISODE_STEPS);
        assertThat(spec.controlHz()).isEqualTo(1.0);
    }

    @Test
    void sameSeedGivesTheSameTrajectoryBitForBit() {
        EnvConfig config = EnvConfig.DEFAULT.withRandomization(new Randomization(0.2, 0.3, 0.01, 2));
        List<Object> first = trajectory(config, 11);
        assertThat(trajectory(config, 11)).isEqualTo(first);
        assertThat(trajectory(config, 12)).isNotEqualTo(first);
    }

    /** Observations (as bit patterns), rewards and info of 4000 steps of random actions, maintenance requests included. */
    private List<Object> trajectory(EnvConfig config, long seed) {
        FactoryCellEnv env = provider.create(config);
        SplittableRandom actions = new SplittableRandom(99);
        List<Object> out = new ArrayList<>();
        out.add(bits(env.reset(seed)));
        for (int i = 0; i < 4000; i++) {
            double[] a = {actions.nextDouble(-0.2, 1.7), actions.nextDouble(-0.2, 1.7), actions.nextDouble() < 0.002 ? 1 : 0};
            StepResult r = env.step(a);
            out.add(bits(r.observation()));
            out.add(Double.doubleToRawLongBits(r.reward()));
            out.add(new java.util.TreeMap<>(r.info()));
        }
        return out;
    }

    private static List<Long> bits(Observation o) {
        List<Long> b = new ArrayList<>();
        for (double v : o.state()) {
            b.add(Double.doubleToRawLongBits(v));
        }
        return b;
    }

    @Test
    void wrongShapeAndNonFiniteActionsAreRefused() {
        FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
        env.reset(1);
        assertThatThrownBy(() -> env.step(new double[] {1, 1}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("action").hasMessageContaining("3 numbers");
        assertThatThrownBy(() -> env.step(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> env.step(new double[] {1, Double.NaN, 0}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("action[1]").hasMessageContaining("NaN");
        assertThat(env.elapsedSteps()).isZero();
    }

    @Test
    void outOfRangeActionsAreClippedAndCounted() {
        FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
        env.reset(1);
        StepResult r = env.step(new double[] {2.0, -0.5, 0.3});
        assertThat(r.info().get("clipped_actions")).isEqualTo(2.0);
        assertThat(r.observation().state(CellObservation.CONVEYOR_SPEED)).isEqualTo(1.5);
        assertThat(r.observation().state(CellObservation.MACHINE_SPEED)).isEqualTo(0.0);
        assertThat(env.machineState()).isEqualTo(MachineState.IDLE); // speed 0: not processing
        r = env.step(new double[] {1, 1, 7});
        assertThat(r.info().get("clipped_actions")).isEqualTo(3.0);
        assertThat(env.machineState()).isEqualTo(MachineState.MAINTENANCE); // clipped to 1, still a request
        assertThat(r.info()).containsKeys("throughput", "downtime_fraction", "oee", "failures", "maintenances");
    }

    @Test
    void episodeIsTruncatedAtMaxSteps() {
        FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
        Observation o = env.reset(5);
        ConditionBasedExpert expert = new ConditionBasedExpert();
        StepResult r;
        do {
            r = env.step(expert.act(o));
            o = r.observation();
        } while (!r.done());
        assertThat(r.truncated()).isTrue();
        assertThat(r.terminated()).isFalse();
        assertThat(env.elapsedSteps()).isEqualTo(CellModel.EPISODE_STEPS);
        assertThat(env.episodeMetrics()).containsKeys("throughput", "downtime_fraction", "oee", "failures",
                "maintenances", "success");
    }

    @Test
    void renderShowsTheMachineStateAndCameraFramesComeWithImagesOn() {
        FactoryCellEnv env = provider.create(EnvConfig.DEFAULT.withImages(true));
        Observation o = env.reset(2);
        assertThat(o.image()).isNotNull();
        assertThat(o.image().height()).isEqualTo(FactoryCellProvider.HMI.height());
        int row = 40;
        int col = 58; // in the machine's frame, left of its window
        assertThat(env.render(96, 96).rgbAt(row, col)).isEqualTo(CellRenderer.stateColour(env.machineState()));
        RunToFailurePolicy policy = new RunToFailurePolicy();
        while (env.machineState() != MachineState.FAILED) {
            o = env.step(policy.act(o)).observation();
        }
        assertThat(o.image().rgbAt(row, col)).isEqualTo(CellRenderer.FAILED);
        o = env.step(new double[] {1, 1, 0}).observation();
        while (env.machineState() == MachineState.FAILED) {
            o = env.step(policy.act(o)).observation();
        }
        o = env.step(new double[] {1, 1, 1}).observation();
        assertThat(o.image().rgbAt(row, col)).isEqualTo(CellRenderer.MAINTENANCE);
        assertThat(env.render(48, 64).rgb()).hasSize(48 * 64 * 3);
        assertThatThrownBy(() -> env.render(2, 2)).hasMessageContaining("at least 8x8");
    }
}
