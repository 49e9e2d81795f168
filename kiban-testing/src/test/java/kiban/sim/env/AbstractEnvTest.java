package kiban.sim.env;

import kiban.testing.LineEnv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class AbstractEnvTest {

    @Test
    void refusesWrongShapesAndNonFiniteActions() {
        LineEnv env = new LineEnv(EnvConfig.DEFAULT);
        env.reset(1);
        assertThatThrownBy(() -> env.step(new double[] {0.1, 0.2}))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("env line").hasMessageContaining("field 'action'")
                .hasMessageContaining("1 numbers laid out as velocity[1]").hasMessageContaining("got 2 numbers");
        assertThatThrownBy(() -> env.step(new double[] {Double.NaN}))
                .hasMessageContaining("action[0]").hasMessageContaining("a finite number").hasMessageContaining("NaN");
        assertThatThrownBy(() -> env.step(null)).hasMessageContaining("got null");
        assertThat(env.elapsedSteps()).isZero();
    }

    @Test
    void clipsOutOfRangeActionsAndCountsThem() {
        LineEnv env = new LineEnv(EnvConfig.DEFAULT);
        double start = env.reset(2).state(0);
        StepResult r = env.step(new double[] {7});
        assertThat(r.observation().state(0)).isEqualTo(start + 1);
        assertThat(r.info()).containsEntry("clipped_actions", 1.0);
        r = env.step(new double[] {-0.5});
        assertThat(r.info()).containsEntry("clipped_actions", 1.0);
        env.reset(2);
        assertThat(env.step(new double[] {0}).info()).containsEntry("clipped_actions", 0.0);
    }

    @Test
    void truncatesAtTheStepLimit() {
        LineEnv env = new LineEnv(EnvConfig.DEFAULT);
        env.reset(3);
        StepResult r = null;
        for (int i = 0; i < LineEnv.SPEC.maxSteps(); i++) {
            assertThat(r == null || !r.done()).isTrue();
            r = env.step(new double[] {0});
        }
        assertThat(r.truncated()).isTrue();
        assertThat(r.terminated()).isFalse();
    }

    @Test
    void sensorNoiseIsReproducibleFromTheSeed() {
        EnvConfig noisy = EnvConfig.DEFAULT.withRandomization(new Randomization(0, 0, 0.01, 0));
        List<Double> a = trace(new LineEnv(noisy), 5);
        List<Double> b = trace(new LineEnv(noisy), 5);
        List<Double> clean = trace(new LineEnv(EnvConfig.DEFAULT), 5);
        assertThat(a).isEqualTo(b).isNotEqualTo(clean);
        assertThat(trace(new LineEnv(noisy), 6)).isNotEqualTo(a);
    }

    @Test
    void latencyDelaysActionsByWholeSteps() {
        LineEnv late = new LineEnv(EnvConfig.DEFAULT.withRandomization(new Randomization(0, 0, 0, 2)));
        double start = late.reset(4).state(0);
        assertThat(late.step(new double[] {1}).observation().state(0)).isEqualTo(start);
        assertThat(late.step(new double[] {1}).observation().state(0)).isEqualTo(start);
        assertThat(late.step(new double[] {0}).observation().state(0)).isEqualTo(start + 1);
    }

    @Test
    void imagesComeWithObservationsWhenAskedFor() {
        LineEnv env = new LineEnv(EnvConfig.DEFAULT.withImages(true));
        Image image = env.reset(1).image();
        assertThat(image.height()).isEqualTo(8);
        assertThat(image.width()).isEqualTo(32);
        assertThat(new LineEnv(EnvConfig.DEFAULT).reset(1).image()).isNull();
    }

    private static List<Double> trace(Env env, long seed) {
        List<Double> out = new ArrayList<>();
        out.add(env.reset(seed).state(0));
        for (int i = 0; i < 10; i++) {
            out.add(env.step(new double[] {0.3}).observation().state(0));
        }
        return out;
    }
}
