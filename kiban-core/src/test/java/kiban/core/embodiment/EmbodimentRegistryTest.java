package kiban.core.embodiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmbodimentRegistryTest {

    private final EmbodimentRegistry registry = EmbodimentRegistry.withBuiltIns();

    @Test
    void holdsTheFourBuiltInsOfTheFourDomains() {
        assertThat(registry.all()).extracting(EmbodimentSpec::name).containsExactly("pusht", "ur5e", "vehicle", "factory-cell");
        assertThat(registry.all()).extracting(EmbodimentSpec::domain)
                .containsExactly(Domain.PLANAR_PUSHER, Domain.ROBOT_ARM, Domain.VEHICLE, Domain.FACTORY_EQUIPMENT);
    }

    @Test
    void ur5eHasTheManufacturersJointLimits() {
        FeatureSpec joints = registry.get("ur5e").actionFeature("joint_target").orElseThrow();
        assertThat(joints.names()).containsExactly("shoulder_pan", "shoulder_lift", "elbow", "wrist_1", "wrist_2", "wrist_3");
        double twoPi = 2 * Math.PI;
        assertThat(joints.high()).containsExactly(twoPi, twoPi, Math.PI, twoPi, twoPi, twoPi);
        assertThat(joints.low()).containsExactly(-twoPi, -twoPi, -Math.PI, -twoPi, -twoPi, -twoPi);
        assertThat(joints.maxRate()).allSatisfy(v -> assertThat(v).isEqualTo(Math.toRadians(180)));
    }

    @Test
    void pushtMatchesTheTask() {
        EmbodimentSpec pusht = registry.get("pusht");
        assertThat(pusht.controlHz()).isEqualTo(10);
        assertThat(pusht.stateDim()).isEqualTo(5);
        assertThat(pusht.actionDim()).isEqualTo(2);
        assertThat(pusht.actionHigh()).containsExactly(512, 512);
        assertThat(pusht.cameras()).containsExactly(new CameraSpec("image", 96, 96, 3));
    }

    @Test
    void unknownNamesSuggestTheClosest() {
        assertThatThrownBy(() -> registry.get("ur5"))
                .hasMessageContaining("unknown embodiment 'ur5'").hasMessageContaining("did you mean 'ur5e'")
                .hasMessageContaining("pusht");
    }
}
