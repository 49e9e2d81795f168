package kiban.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import kiban.sim.env.EnvTask;
import org.junit.jupiter.api.Test;

class PushTGoalTest {

    @Test
    void theCentreGoalIsGymPushtsAndMeasuresCoverageExactlyAsBefore() {
        assertThat(PushTGoal.ALL.getFirst()).isSameAs(PushTGoal.CENTRE);
        assertThat(PushTGoal.CENTRE.corners()).isDeepEqualTo(PushTGeometry.goalCorners());
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            double x = random.nextDouble(180, 330);
            double y = random.nextDouble(180, 330);
            double a = random.nextDouble(-Math.PI, 3 * Math.PI);
            assertThat(PushTGoal.CENTRE.coverage(x, y, a)).isEqualTo(PushTGeometry.coverage(x, y, a));
        }
    }

    @Test
    void everyGoalIsCoveredOnlyByItsOwnPoseAndLeavesTheAgentRoomAtTheWalls() {
        for (PushTGoal goal : PushTGoal.ALL) {
            assertThat(goal.coverage(goal.x(), goal.y(), goal.angle())).isCloseTo(1.0, within(1e-9));
            for (PushTGoal other : PushTGoal.ALL) {
                if (other != goal) {
                    assertThat(goal.coverage(other.x(), other.y(), other.angle())).as("%s on %s", other, goal)
                            .isLessThan(0.5);
                }
            }
            // The agent's disk fits between the wall (at 5 and 506) and every corner, so it can push from any side.
            for (double[] rect : goal.corners()) {
                for (double v : rect) {
                    assertThat(v).as("corner of %s", goal).isBetween(5 + 2 * PushTGeometry.AGENT_RADIUS,
                            506 - 2 * PushTGeometry.AGENT_RADIUS);
                }
            }
        }
    }

    @Test
    void aTaskTheEnvDoesNotPoseHasNoGoal() {
        assertThat(PushTGoal.of(PushTGoal.LOWER_RIGHT.task())).isSameAs(PushTGoal.LOWER_RIGHT);
        assertThatThrownBy(() -> PushTGoal.of(new EnvTask("middle", "push the T to the middle")))
                .hasMessageContaining("middle");
    }
}
