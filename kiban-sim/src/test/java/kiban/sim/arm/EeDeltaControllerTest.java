package kiban.sim.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import kiban.core.error.InvalidInputException;
import kiban.sim.env.EnvConfig;
import org.junit.jupiter.api.Test;

class EeDeltaControllerTest {

    private final PickPlaceProvider provider = new PickPlaceProvider();

    @Test
    void deltaMovesTheTcpByThatMuch() {
        PickPlaceEnv env = (PickPlaceEnv) provider.create(EnvConfig.DEFAULT);
        EeDeltaController controller = EeDeltaController.forSpec(env.spec());
        double[] s = env.reset(0).state();
        double[] before = Ur5eKinematics.tcp(Arrays.copyOf(s, 6));
        double[] action = controller.toJointAction(Arrays.copyOf(s, 6), new double[] {0.015, -0.01, 0.012, 0, 0, 0.1, 0.5});
        assertThat(action[6]).isEqualTo(0.5);
        double[] after = env.step(action).observation().state();
        double[] tcp = Ur5eKinematics.tcp(Arrays.copyOf(after, 6));
        assertThat(tcp[3] - before[3]).isCloseTo(0.015, within(1e-6));
        assertThat(tcp[7] - before[7]).isCloseTo(-0.01, within(1e-6));
        assertThat(tcp[11] - before[11]).isCloseTo(0.012, within(1e-6));
        assertThat(PickPlaceEnv.jawYaw(tcp) - PickPlaceEnv.jawYaw(before)).isCloseTo(0.1, within(1e-6));
        assertThat(tcp[10]).as("still pointing down").isCloseTo(-1, within(1e-9));
        assertThat(controller.clipped()).isZero();
    }

    @Test
    void largeDeltasAreScaledDownAndCounted() {
        EeDeltaController controller = EeDeltaController.forSpec(provider.spec());
        double[] q = PickPlaceEnv.HOME;
        double[] action = controller.toJointAction(q, new double[] {0, 0, 1.0, 0, 0, 0, 0});
        double rise = Ur5eKinematics.tcp(Arrays.copyOf(action, 6))[11] - Ur5eKinematics.tcp(q)[11];
        assertThat(rise).isCloseTo(EeDeltaController.MAX_TRANSLATION, within(1e-6));
        assertThat(controller.clipped()).isEqualTo(1);
    }

    @Test
    void badInputIsRefused() {
        EeDeltaController controller = EeDeltaController.forSpec(provider.spec());
        assertThatThrownBy(() -> controller.toJointAction(PickPlaceEnv.HOME, new double[6]))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ee_action");
        assertThatThrownBy(() -> controller.toJointAction(PickPlaceEnv.HOME, new double[] {0, 0, Double.NaN, 0, 0, 0, 0}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ee_action[2]");
    }
}
