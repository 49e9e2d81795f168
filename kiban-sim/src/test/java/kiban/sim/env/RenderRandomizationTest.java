package kiban.sim.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kiban.sim.rollout.RandomPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Render randomisation in every env with a camera: off changes nothing, on varies pixels only, by the seed. */
class RenderRandomizationTest {

    private static final EnvConfig PLAIN = EnvConfig.DEFAULT.withImages(true);
    private static final EnvConfig RANDOMISED = PLAIN.withRandomization(Randomization.NONE.withRender(RenderRandomization.DEFAULT));

    static List<String> envsWithCameras() {
        return EnvRegistry.load().all().stream().filter(p -> !p.spec().cameras().isEmpty()).map(EnvProvider::name).toList();
    }

    /** Observations of up to {@code steps} steps of the random policy from {@code seed}. */
    private static List<Observation> episode(String env, EnvConfig config, long seed, int steps) {
        EnvProvider provider = EnvRegistry.load().get(env);
        try (Env e = provider.create(config)) {
            RandomPolicy random = new RandomPolicy(e.spec());
            random.reset(seed);
            List<Observation> out = new ArrayList<>();
            Observation o = e.reset(seed);
            out.add(o);
            for (int i = 0; i < steps; i++) {
                StepResult r = e.step(random.act(o));
                o = r.observation();
                out.add(o);
                if (r.done()) {
                    break;
                }
            }
            return out;
        }
    }

    @Test
    void everyEnvWithACameraIsCovered() {
        assertThat(envsWithCameras()).contains("pusht", "ur5e-pick-place", "highway");
    }

    @ParameterizedTest
    @MethodSource("envsWithCameras")
    void offGivesThePlainFrames(String env) {
        EnvConfig explicitOff = PLAIN.withRandomization(Randomization.NONE.withRender(RenderRandomization.NONE));
        List<Observation> plain = episode(env, PLAIN, 11, 20);
        List<Observation> off = episode(env, explicitOff, 11, 20);
        assertThat(off).hasSameSizeAs(plain);
        for (int i = 0; i < plain.size(); i++) {
            assertThat(off.get(i).image().rgb()).as("frame %d", i).isEqualTo(plain.get(i).image().rgb());
        }
    }

    @ParameterizedTest
    @MethodSource("envsWithCameras")
    void onVariesThePixelsByTheSeedAndLeavesTheStatesAlone(String env) {
        List<Observation> plain = episode(env, PLAIN, 5, 20);
        List<Observation> varied = episode(env, RANDOMISED, 5, 20);
        List<Observation> again = episode(env, RANDOMISED, 5, 20);
        assertThat(varied).hasSameSizeAs(plain);
        int differing = 0;
        for (int i = 0; i < plain.size(); i++) {
            assertThat(varied.get(i).state()).as("state %d", i).isEqualTo(plain.get(i).state());
            assertThat(again.get(i).image().rgb()).as("frame %d drawn again", i).isEqualTo(varied.get(i).image().rgb());
            differing += Arrays.equals(varied.get(i).image().rgb(), plain.get(i).image().rgb()) ? 0 : 1;
        }
        assertThat(differing).as("randomised frames unlike the plain ones").isEqualTo(plain.size());
        Observation other = episode(env, RANDOMISED, 6, 0).getFirst();
        Observation otherPlain = episode(env, PLAIN, 6, 0).getFirst();
        assertThat(other.image().rgb()).isNotEqualTo(otherPlain.image().rgb());
    }

    @Test
    void spreadsOutsideTheirRangesAreRefused() {
        assertThatThrownBy(() -> new RenderRandomization(-0.1, 0, 0, 0, 0, 0)).hasMessageContaining("colourSpread");
        assertThatThrownBy(() -> new RenderRandomization(0, 0, 0, 0.5, 0, 0)).hasMessageContaining("shiftFraction");
        assertThatThrownBy(() -> new RenderRandomization(0, 0, 0, 0, Double.NaN, 0)).hasMessageContaining("rotationDegrees");
        assertThat(RenderRandomization.DEFAULT.isNone()).isFalse();
        assertThat(Randomization.NONE.render().isNone()).isTrue();
    }
}
