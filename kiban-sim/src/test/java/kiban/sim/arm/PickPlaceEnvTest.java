package kiban.sim.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Expert;
import kiban.sim.env.Image;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import org.junit.jupiter.api.Test;

class PickPlaceEnvTest {

    private static final int N = Ur5eKinematics.DOF;
    private static final int TCP = 2 * N + 1;
    private static final int CUBE = 2 * N + 4;
    private final PickPlaceProvider provider = new PickPlaceProvider();

    private PickPlaceEnv env() {
        return (PickPlaceEnv) provider.create(EnvConfig.DEFAULT);
    }

    private static double[] action(double[] q, double gripper) {
        double[] a = Arrays.copyOf(q, N + 1);
        a[N] = gripper;
        return a;
    }

    @Test
    void registeredWithTheUr5eEmbodimentAndTaskFeatures() {
        assertThat(EnvRegistry.load().names()).contains(PickPlaceProvider.NAME);
        var spec = EnvRegistry.load().get(PickPlaceProvider.NAME).spec();
        assertThat(spec.embodiment().name()).isEqualTo("ur5e");
        assertThat(spec.observation().stream().map(FeatureSpec::name)).containsExactly(
                "joint_pos", "joint_vel", "gripper", "tcp_pos", "cube_pos", "cube_yaw", "target_pos", "jaw_yaw");
        assertThat(spec.observationDim()).isEqualTo(24);
        assertThat(spec.actionDim()).isEqualTo(7);
        assertThat(spec.controlHz()).isEqualTo(20);
        assertThat(spec.cameras().stream().map(c -> c.name())).containsExactly("front", "wrist");
    }

    @Test
    void jawYawTurnsWithTheLastWristJoint() {
        PickPlaceEnv env = env();
        double[] s = env.reset(1).state();
        int jaw = 2 * N + 11;
        double[] q = Arrays.copyOf(s, N);
        q[N - 1] += 0.1;
        double[] turned = env.step(action(q, 0)).observation().state();
        for (int i = 0; i < 10 && Math.abs(turned[N - 1] - q[N - 1]) > 1e-6; i++) {
            turned = env.step(action(q, 0)).observation().state();
        }
        assertThat(Math.abs(Math.IEEEremainder(turned[jaw] - s[jaw], 2 * Math.PI))).isCloseTo(0.1, within(1e-3));
        assertThat(turned[jaw]).isBetween(-Math.PI, Math.PI);
    }

    @Test
    void resetDrawsLayoutFromTheSeed() {
        PickPlaceEnv env = env();
        double[] a = env.reset(1).state();
        double[] b = env.reset(2).state();
        double[] c = env.reset(1).state();
        assertThat(c).containsExactly(a);
        assertThat(Arrays.copyOfRange(b, CUBE, CUBE + 3)).isNotEqualTo(Arrays.copyOfRange(a, CUBE, CUBE + 3));
        assertThat(a[CUBE + 2]).isEqualTo(PickPlaceEnv.CUBE_SIZE / 2);
        assertThat(Math.abs(a[CUBE + 3])).isLessThanOrEqualTo(Math.PI / 4);
        // the TCP in the observation is the forward kinematics of the joints
        assertThat(Arrays.copyOfRange(a, TCP, TCP + 3))
                .containsExactly(Ur5eKinematics.position(Ur5eKinematics.tcp(Arrays.copyOf(a, N))), within(1e-12));
    }

    @Test
    void jointsMoveNoFasterThanTheSpeedLimit() {
        PickPlaceEnv env = env();
        double[] q = env.reset(0).state();
        double[] target = {1.5, -1.0, 0.5, -2.5, -0.5, 3.0};
        double maxPerStep = Math.PI / 20;
        double[] prev = Arrays.copyOf(q, N);
        int reachedAt = -1;
        for (int t = 1; t <= 40; t++) {
            double[] s = env.step(action(target, 0)).observation().state();
            for (int j = 0; j < N; j++) {
                assertThat(Math.abs(s[j] - prev[j])).isLessThanOrEqualTo(maxPerStep + 1e-12);
                assertThat(Math.abs(s[N + j])).isLessThanOrEqualTo(Math.PI + 1e-9);
            }
            prev = Arrays.copyOf(s, N);
            if (reachedAt < 0 && Arrays.equals(prev, target)) {
                reachedAt = t;
            }
        }
        // wrist_3 had 3 rad to go at pi rad/s, which takes 0.955 s: 20 control steps
        assertThat(reachedAt).isEqualTo(20);
        assertThat(env.tableCollisions()).isZero();
    }

    @Test
    void targetsBeyondJointLimitsAreClippedAndCounted() {
        PickPlaceEnv env = env();
        env.reset(0);
        double[] q = PickPlaceEnv.HOME.clone();
        q[2] = 5.0; // the elbow's range is +-pi
        q[5] = -9.0; // wrist_3's is +-2pi
        StepResult r = null;
        for (int t = 0; t < 60; t++) {
            r = env.step(action(q, 1.7));
            double[] s = r.observation().state();
            assertThat(s[2]).isLessThanOrEqualTo(Math.PI);
            assertThat(s[5]).isGreaterThanOrEqualTo(-2 * Math.PI);
            assertThat(s[2 * N]).isLessThanOrEqualTo(1.0);
        }
        assertThat(r.info().get("clipped_actions")).isEqualTo(3.0 * 60);
        assertThat(r.observation().state(5)).isEqualTo(-2 * Math.PI);
    }

    @Test
    void tableRefusesMotionThatWouldSinkTheToolOrLinks() {
        PickPlaceEnv env = env();
        env.reset(0);
        // shoulder down with the tool pointing at the table: the TCP would pass far below z = 0
        double[] q = PickPlaceEnv.HOME.clone();
        q[1] = -0.6;
        StepResult r = null;
        for (int t = 0; t < 30; t++) {
            r = env.step(action(q, 0));
            double[][] f = env.frames();
            assertThat(f[N][11]).isGreaterThanOrEqualTo(-1e-9);
            for (int k = 1; k < N; k++) {
                assertThat(f[k][11]).isGreaterThanOrEqualTo(PickPlaceEnv.LINK_CLEARANCE - 1e-9);
            }
        }
        assertThat(r.info().get("table_collisions")).isGreaterThan(0.0);
        assertThat(env.episodeMetrics().get("table_collisions")).isEqualTo(r.info().get("table_collisions"));
        assertThat(env.frames()[N][11]).as("stopped just above the table").isLessThan(0.05);
        // moving away is allowed again
        double before = env.frames()[N][11];
        env.step(action(PickPlaceEnv.HOME, 0));
        assertThat(env.frames()[N][11]).isGreaterThan(before);
    }

    @Test
    void wrongShapeOrNonFiniteActionIsRefused() {
        PickPlaceEnv env = env();
        env.reset(0);
        assertThatThrownBy(() -> env.step(new double[6])).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("action").hasMessageContaining("7 numbers");
        double[] nan = action(PickPlaceEnv.HOME, 0);
        nan[3] = Double.NaN;
        assertThatThrownBy(() -> env.step(nan)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("action[3]").hasMessageContaining("NaN");
        assertThatThrownBy(() -> env.step(null)).isInstanceOf(InvalidInputException.class);
        assertThat(env.elapsedSteps()).isZero();
    }

    @Test
    void sameSeedGivesTheSameTrajectoryBitForBit() {
        Env a = provider.create(EnvConfig.DEFAULT);
        Env b = provider.create(EnvConfig.DEFAULT);
        assertThat(trajectory(a, 11)).isEqualTo(trajectory(b, 11));
        assertThat(trajectory(a, 11)).isNotEqualTo(trajectory(a, 12));
    }

    private List<String> trajectory(Env env, long seed) {
        Expert expert = provider.expert(env);
        Observation o = env.reset(seed);
        expert.reset(seed);
        List<String> out = new ArrayList<>();
        StepResult r;
        do {
            r = env.step(expert.act(o));
            o = r.observation();
            StringBuilder b = new StringBuilder();
            for (double v : o.state()) {
                b.append(Long.toHexString(Double.doubleToRawLongBits(v))).append(' ');
            }
            out.add(b.append(Double.doubleToRawLongBits(r.reward())).append(new java.util.TreeMap<>(r.info())).toString());
        } while (!r.done());
        return out;
    }

    @Test
    void releasedCubeFallsToTheTable() {
        PickPlaceEnv env = env();
        Expert expert = provider.expert(env);
        Observation o = env.reset(3);
        expert.reset(3);
        for (int t = 0; t < 200 && !(env.holding() && env.cube().pos[2] > 0.1); t++) {
            o = env.step(expert.act(o)).observation();
        }
        assertThat(env.holding()).isTrue();
        assertThat(env.episodeMetrics().get("grasped")).isEqualTo(1.0);
        assertThat(o.state(2 * N)).as("jaws stop on the cube").isCloseTo(PickPlaceEnv.CONTACT, within(1e-12));
        double[] hold = env.jointPositions();
        StepResult r = null;
        for (int t = 0; t < 20; t++) {
            r = env.step(action(hold, 0));
        }
        assertThat(env.holding()).isFalse();
        assertThat(env.cube().resting()).isTrue();
        assertThat(r.observation().state(CUBE + 2)).isEqualTo(PickPlaceEnv.CUBE_SIZE / 2);
        // dropped where it was picked, at least 15 cm from the zone: not a success
        assertThat(r.terminated()).isFalse();
        assertThat(env.success()).isFalse();
        assertThat(env.episodeMetrics().get("placement_error")).isGreaterThan(0.1);
    }

    /** Drives the TCP to a top-down pose through IK, gripper held at {@code gripper}. */
    private static void moveTo(PickPlaceEnv env, double x, double y, double z, double yaw, double gripper) {
        InverseKinematics ik = new InverseKinematics(InverseKinematics.DEFAULT_DAMPING, env.jointLow(), env.jointHigh());
        double[] q = ik.solve(env.jointPositions(), InverseKinematics.topDownPose(x, y, z, yaw), 200, 1e-10).q();
        for (int t = 0; t < 30; t++) {
            env.step(action(q, gripper));
        }
    }

    @Test
    void graspsOnlyWithJawsSquareToTheCube() {
        for (double offset : new double[] {Math.toRadians(30), Math.toRadians(5), Math.PI / 2}) {
            PickPlaceEnv env = env();
            env.reset(8);
            Cube cube = env.cube();
            double yaw = cube.yaw + Math.PI / 2 + offset; // near the home jaw yaw, so the wrist turns little
            moveTo(env, cube.pos[0], cube.pos[1], 0.1, yaw, 0);
            moveTo(env, cube.pos[0], cube.pos[1], cube.pos[2], yaw, 0);
            assertThat(env.tableCollisions()).isZero();
            for (int t = 0; t < 12; t++) {
                env.step(action(env.jointPositions(), 1));
            }
            boolean square = Math.abs(PickPlaceEnv.wrapQuarter(offset)) <= PickPlaceEnv.GRASP_YAW_TOLERANCE;
            assertThat(env.holding()).as("jaws %.0f deg off square", Math.toDegrees(offset)).isEqualTo(square);
        }
    }

    @Test
    void closingAwayFromTheCubeGraspsNothing() {
        PickPlaceEnv env = env();
        env.reset(0);
        StepResult r = null;
        for (int t = 0; t < 15; t++) {
            r = env.step(action(PickPlaceEnv.HOME, 1));
        }
        assertThat(env.holding()).isFalse();
        assertThat(r.observation().state(2 * N)).isEqualTo(1.0);
        assertThat(env.episodeMetrics().get("grasped")).isZero();
    }

    @Test
    void rendersTheSceneWhenImagesAreOn() {
        Env env = provider.create(EnvConfig.DEFAULT.withImages(true));
        Observation o = env.reset(5);
        Image image = o.image();
        assertThat(image).isNotNull();
        assertThat(image.height()).isEqualTo(96);
        assertThat(image.width()).isEqualTo(96);
        long distinct = java.util.stream.IntStream.range(0, 96 * 96)
                .map(i -> image.rgbAt(i / 96, i % 96)).distinct().count();
        assertThat(distinct).as("table, zone, cube, arm and sky colours").isGreaterThanOrEqualTo(5);
        double[] q = PickPlaceEnv.HOME.clone();
        q[0] = 0.8;
        Image moved = null;
        for (int t = 0; t < 6; t++) {
            moved = env.step(action(q, 0)).observation().image();
        }
        assertThat(moved.rgb()).isNotEqualTo(image.rgb());
        assertThat(env.render(48, 64).width()).isEqualTo(64);
        assertThatThrownBy(() -> env.render(0, 64)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("0x64");
    }

    @Test
    void theWristCameraFollowsTheHandDownOntoTheCube() {
        PickPlaceEnv env = (PickPlaceEnv) provider.create(EnvConfig.DEFAULT.withImages(true));
        Expert expert = provider.expert(env);
        Observation o = env.reset(3);
        expert.reset(3);
        assertThat(o.images().keySet()).containsExactly("front", "wrist");
        assertThat(o.image().rgb()).as("the first camera is the one people watch").isEqualTo(env.render(96, 96).rgb());
        assertThat(o.images().get("wrist").rgb()).isEqualTo(env.render("wrist", 96, 96).rgb());
        int atStart = cubePixels(o.images().get("wrist"));
        int front = cubePixels(o.image());
        while (!env.holding()) {
            o = env.step(expert.act(o)).observation();
        }
        int holding = cubePixels(o.images().get("wrist"));
        // from the hand the held cube fills much of the picture; from the front it stays a few pixels
        assertThat(holding).isGreaterThan(20 * Math.max(1, front)).isGreaterThan(4 * atStart);
        assertThat(cubePixels(o.image())).isLessThan(4 * Math.max(1, front));
        assertThatThrownBy(() -> env.render("top", 96, 96)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("top").hasMessageContaining("wrist");
    }

    /** Pixels in the cube's red, under any of its face shades. */
    private static int cubePixels(Image image) {
        int n = 0;
        for (int i = 0; i < image.height() * image.width(); i++) {
            int rgb = image.rgbAt(i / image.width(), i % image.width());
            int r = (rgb >> 16) & 0xFF;
            int g = (rgb >> 8) & 0xFF;
            int b = rgb & 0xFF;
            n += r > 100 && g < 70 && b < 70 ? 1 : 0;
        }
        return n;
    }
}
