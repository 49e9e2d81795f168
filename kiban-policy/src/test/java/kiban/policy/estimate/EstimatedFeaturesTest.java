package kiban.policy.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class EstimatedFeaturesTest {

    static final FeatureSpec AGENT = position("agent_pos");
    static final FeatureSpec BLOCK = position("block_pos");
    static final FeatureSpec ANGLE = new FeatureSpec("block_angle", "rad", List.of(1), List.of(), List.of(0.0),
            List.of(2 * Math.PI), List.of());
    static final List<FeatureSpec> PUSHT = List.of(AGENT, BLOCK, ANGLE);

    static FeatureSpec position(String name) {
        return new FeatureSpec(name, "px", List.of(2), List.of("x", "y"), List.of(0.0, 0.0), List.of(512.0, 512.0), List.of());
    }

    @Test
    void anAngleIsRegressedAsItsCosineAndSineAndReadBackIntoItsRange() {
        EstimatedFeatures f = new EstimatedFeatures(PUSHT, List.of("block_angle", "block_pos"), "pose.yaml");
        assertThat(f.names()).containsExactly("block_pos", "block_angle");
        assertThat(f.readFromState(List.of())).containsExactly("agent_pos");
        assertThat(f.targets()).extracting(FeatureSpec::name).containsExactly("block_pos", "block_angle_cos_sin");
        assertThat(f.targetDim()).isEqualTo(4);
        double[] state = {100, 200, 300, 400, 6.2};
        double[] target = f.target(state);
        assertThat(target).containsExactly(new double[] {300, 400, Math.cos(6.2), Math.sin(6.2)}, offset(1e-12));

        // An estimate a little past a whole turn comes back just above 0, not as 2 pi + a bit.
        double[] estimate = {310, 390, Math.cos(0.05), Math.sin(0.05)};
        double[] read = f.substitute(state, estimate);
        assertThat(read).containsExactly(new double[] {100, 200, 310, 390, 0.05}, offset(1e-12));
        assertThat(state[2]).as("the observation is not changed").isEqualTo(300);
        // Unnormalised cosine and sine read the same angle.
        assertThat(f.substitute(state, new double[] {0, 0, -2, -2})[4]).isCloseTo(1.25 * Math.PI, offset(1e-12));
    }

    static final double QUARTER = Math.PI / 4;
    static final FeatureSpec CUBE_YAW = new FeatureSpec("cube_yaw", "rad", List.of(1), List.of(), List.of(-QUARTER),
            List.of(QUARTER), List.of());

    @Test
    void aQuarterTurnAngleIsRegressedAsTheCosineAndSineOfFourTimesIt() {
        EstimatedFeatures f = new EstimatedFeatures(List.of(AGENT, CUBE_YAW), List.of("cube_yaw"), "yaw.yaml");
        assertThat(f.targets()).extracting(FeatureSpec::name).containsExactly("cube_yaw_cos_sin");
        // 44 and -44 degrees are the same picture two degrees apart: their targets are near, not at the range's two ends.
        double[] plus = f.target(new double[] {0, 0, Math.toRadians(44)});
        double[] minus = f.target(new double[] {0, 0, Math.toRadians(-44)});
        assertThat(plus).containsExactly(new double[] {Math.cos(Math.toRadians(176)), Math.sin(Math.toRadians(176))},
                offset(1e-12));
        assertThat(Math.hypot(plus[0] - minus[0], plus[1] - minus[1])).isCloseTo(2 * Math.sin(Math.toRadians(4)),
                offset(1e-12));
        // Read back into [-45, 45) degrees: an estimate past 45 degrees is the same cube at -45 + a bit.
        double[] past = {Math.cos(Math.toRadians(4 * 46)), Math.sin(Math.toRadians(4 * 46))};
        assertThat(f.substitute(new double[3], past)[2]).isCloseTo(Math.toRadians(-44), offset(1e-12));
        assertThat(f.substitute(new double[3], f.target(new double[] {0, 0, Math.toRadians(-30)}))[2])
                .isCloseTo(Math.toRadians(-30), offset(1e-12));
    }

    @Test
    void onlyAnAngleSpanningAWholeFractionOfATurnIsPeriodic() {
        assertThat(EstimatedFeatures.folds(ANGLE)).isEqualTo(1);
        assertThat(EstimatedFeatures.folds(CUBE_YAW)).isEqualTo(4);
        assertThat(EstimatedFeatures.period(CUBE_YAW)).isCloseTo(Math.PI / 2, offset(1e-12));
        FeatureSpec joint = new FeatureSpec("joint", "rad", List.of(1), List.of(), List.of(-2 * Math.PI), List.of(2 * Math.PI),
                List.of());
        FeatureSpec limited = new FeatureSpec("flap", "rad", List.of(1), List.of(), List.of(0.0), List.of(1.0), List.of());
        assertThat(EstimatedFeatures.folds(joint)).as("two turns of travel: a limit, not a symmetry").isZero();
        assertThat(EstimatedFeatures.folds(limited)).isZero();
        assertThat(EstimatedFeatures.folds(BLOCK)).as("not an angle").isZero();
    }

    @Test
    void theEstimatorReadsOnlyWhatTheStatePolicyReads() {
        FeatureSpec speed = new FeatureSpec("speed", "m/s", List.of(1), List.of(), List.of(0.0), List.of(40.0), List.of());
        EstimatedFeatures f = new EstimatedFeatures(List.of(AGENT, speed, BLOCK, ANGLE), List.of("block_pos"), "pose.yaml");
        assertThat(f.readFromState(List.of())).containsExactly("agent_pos", "speed", "block_angle");
        // A feature the state policy was trained without stays unread: the estimator must not lean on it.
        assertThat(f.readFromState(List.of("speed", "block_pos"))).containsExactly("speed");
    }

    static final FeatureSpec HAND = new FeatureSpec("tcp_pos", "m", List.of(2), List.of("x", "y"), List.of(-1.0, -1.0),
            List.of(1.0, 1.0), List.of());
    static final FeatureSpec CUBE = new FeatureSpec("cube_pos", "m", List.of(2), List.of("x", "y"), List.of(0.2, -0.3),
            List.of(0.6, 0.3), List.of());

    @Test
    void aFeatureRelativeToAMeasuredOneIsRegressedAsItsOffsetAndReadBackFromWhereThatOneIs() {
        EstimatedFeatures f = new EstimatedFeatures(List.of(HAND, CUBE, CUBE_YAW), List.of("cube_pos", "cube_yaw"),
                Map.of("cube_pos", "tcp_pos"), "cube.yaml");
        assertThat(f.relativeTo()).containsExactly(Map.entry("cube_pos", "tcp_pos"));
        FeatureSpec offsetTarget = f.targets().get(0);
        assertThat(offsetTarget.name()).isEqualTo("cube_pos_from_tcp_pos");
        assertThat(offsetTarget.low()).containsExactly(0.2 - 1, -0.3 - 1);
        assertThat(offsetTarget.high()).containsExactly(0.6 + 1, 0.3 + 1);
        double[] state = {0.5, 0.1, 0.4, -0.2, 0.0};
        assertThat(f.target(state)).startsWith(new double[] {0.4 - 0.5, -0.2 - 0.1}, offset(1e-12));
        // The reading is an offset from the hand wherever the hand is now: the same offset, the hand moved, moves the cube.
        double[] read = f.target(state);
        double[] moved = {0.3, 0.0, 0.4, -0.2, 0.0};
        assertThat(f.substitute(moved, read)).containsExactly(new double[] {0.3, 0.0, 0.2, -0.3, 0.0}, offset(1e-12));
        assertThat(f.replaced()).extracting(EstimatedFeatures.Replaced::reference).containsExactly(0, -1);
    }

    static final FeatureSpec JAW = new FeatureSpec("jaw_yaw", "rad", List.of(1), List.of(), List.of(-Math.PI),
            List.of(Math.PI), List.of());

    @Test
    void anAngleRelativeToAnotherIsRegressedAsTheirDifferenceAndReadBackIntoItsRange() {
        EstimatedFeatures f = new EstimatedFeatures(List.of(JAW, CUBE_YAW), List.of("cube_yaw"), Map.of("cube_yaw", "jaw_yaw"),
                "yaw.yaml");
        assertThat(f.targets()).extracting(FeatureSpec::name).containsExactly("cube_yaw_from_jaw_yaw_cos_sin");
        // The jaws at 100 degrees, the cube at 10: 90 degrees apart, which a quarter-turn cube cannot tell from 0.
        double[] square = f.target(new double[] {Math.toRadians(100), Math.toRadians(10)});
        assertThat(square).containsExactly(new double[] {1, 0}, offset(1e-12));
        // 20 degrees clockwise of the jaws, wherever they point, read back within [-45, 45).
        double[] twenty = {Math.cos(Math.toRadians(-80)), Math.sin(Math.toRadians(-80))};
        assertThat(f.substitute(new double[] {Math.toRadians(100), 0}, twenty)[1]).isCloseTo(Math.toRadians(-10),
                offset(1e-12));
        assertThat(f.substitute(new double[] {Math.toRadians(-170), 0}, twenty)[1]).isCloseTo(Math.toRadians(-10),
                offset(1e-12));
        assertThat(f.substitute(new double[] {Math.toRadians(30), 0}, twenty)[1]).isCloseTo(Math.toRadians(10),
                offset(1e-12));
        assertThat(f.replaced().getFirst().reference()).isEqualTo(0);
    }

    @Test
    void aReferenceThatIsNotAMeasuredFeatureOfTheSameShapeAndUnitIsRefused() {
        List<FeatureSpec> state = List.of(HAND, AGENT, CUBE, CUBE_YAW);
        assertThatThrownBy(() -> new EstimatedFeatures(state, List.of("cube_pos"), Map.of("tcp_pos", "cube_pos"), "c.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("c.yaml").hasMessageContaining("relative_to")
                .hasMessageContaining("\"tcp_pos\"").hasMessageContaining("[cube_pos]");
        assertThatThrownBy(() -> new EstimatedFeatures(state, List.of("cube_pos", "cube_yaw"), Map.of("cube_pos", "cube_yaw"),
                "c.yaml")).isInstanceOf(InvalidInputException.class).hasMessageContaining("relative_to.cube_pos")
                .hasMessageContaining("measured").hasMessageContaining("\"cube_yaw\"");
        assertThatThrownBy(() -> new EstimatedFeatures(state, List.of("cube_pos"), Map.of("cube_pos", "hand"), "c.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("\"hand\"")
                .hasMessageContaining("[tcp_pos, agent_pos, cube_yaw]");
        assertThatThrownBy(() -> new EstimatedFeatures(state, List.of("cube_pos"), Map.of("cube_pos", "agent_pos"), "c.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unit m")
                .hasMessageContaining("agent_pos of shape [2] and unit px");
        assertThatThrownBy(() -> new EstimatedFeatures(state, List.of("cube_yaw"), Map.of("cube_yaw", "tcp_pos"), "c.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unit rad");
    }

    @Test
    void namesThatAreNotStateFeaturesOrLeaveNothingToReadAreRefused() {
        assertThatThrownBy(() -> new EstimatedFeatures(PUSHT, List.of("block_pose"), "pose.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("pose.yaml").hasMessageContaining("estimate")
                .hasMessageContaining("\"block_pose\"").hasMessageContaining("[agent_pos, block_pos, block_angle]");
        assertThatThrownBy(() -> new EstimatedFeatures(PUSHT, List.of(), "pose.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("estimate");
        assertThatThrownBy(() -> new EstimatedFeatures(PUSHT, List.of("agent_pos", "block_pos", "block_angle"), "pose.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("but not all");
    }
}
