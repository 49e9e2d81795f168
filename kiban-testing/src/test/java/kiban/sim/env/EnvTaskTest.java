package kiban.sim.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kiban.core.error.UnknownNameException;
import kiban.testing.LineEnv;
import org.junit.jupiter.api.Test;

class EnvTaskTest {

    @Test
    void anEnvOfOneTaskPosesItsDescriptionAsTheInstruction() {
        try (LineEnv env = new LineEnv(EnvConfig.DEFAULT)) {
            env.reset(3);
            assertThat(env.task()).isEqualTo(new EnvTask(EnvSpec.DEFAULT_TASK, "reach a target on a line"));
            assertThat(env.spec().tasks()).containsExactly(env.task());
            assertThat(env.spec().instructs()).as("one task: nothing to tell a policy").isFalse();
        }
    }

    @Test
    void aTaskIsLookedUpByNameAndAnUnknownOneOffersTheClosest() {
        EnvSpec s = LineEnv.SPEC;
        EnvSpec two = new EnvSpec(s.name(), s.description(), s.embodiment(), s.observation(), s.cameras(), s.controlHz(),
                s.maxSteps(), List.of(new EnvTask("left", "go left"), new EnvTask("right", "go right")));
        assertThat(two.task("right").instruction()).isEqualTo("go right");
        assertThat(two.defaultTask().name()).isEqualTo("left");
        assertThat(two.instructs()).isTrue();
        assertThatThrownBy(() -> two.task("rigth")).isInstanceOf(UnknownNameException.class)
                .hasMessageContaining("did you mean 'right'").hasMessageContaining("left, right");
    }

    @Test
    void aScheduleOfAllTasksTakesThemInTurnAndOneNamedTaskPosesOnlyIt() {
        EnvSpec s = LineEnv.SPEC;
        EnvSpec three = new EnvSpec(s.name(), s.description(), s.embodiment(), s.observation(), s.cameras(), s.controlHz(),
                s.maxSteps(), List.of(new EnvTask("a", "do a"), new EnvTask("b", "do b"), new EnvTask("c", "do c")));
        TaskSchedule all = TaskSchedule.of(three, TaskSchedule.ALL);
        assertThat(java.util.stream.IntStream.range(0, 7).mapToObj(i -> all.forEpisode(i).name()).toList())
                .containsExactly("a", "b", "c", "a", "b", "c", "a");
        assertThat(TaskSchedule.of(three, "b").forEpisode(5).name()).isEqualTo("b");
        assertThat(TaskSchedule.of(three, null).forEpisode(1).name()).isEqualTo("a");
        assertThatThrownBy(() -> TaskSchedule.of(three, "d")).isInstanceOf(UnknownNameException.class);
    }

    @Test
    void aMetricOfSomeTasksIsAveragedOverTheEpisodesThatReportIt() {
        var results = List.of(
                new kiban.sim.rollout.EpisodeResult(0, "keep-right", true, 1, 10, java.util.Map.of("speed", 20.0, "in_lane", 0.9)),
                new kiban.sim.rollout.EpisodeResult(1, "drive-fast", true, 1, 10, java.util.Map.of("speed", 30.0)),
                new kiban.sim.rollout.EpisodeResult(2, "keep-right", false, 1, 10, java.util.Map.of("speed", 10.0, "in_lane", 0.5)));
        var summary = kiban.sim.rollout.RolloutSummary.of("highway", "expert", results, 1, 1);
        assertThat(summary.metrics()).containsEntry("speed", 20.0).containsEntry("in_lane", 0.7);
        assertThat(summary.successRatePerTask()).containsExactly(java.util.Map.entry("keep-right", 0.5),
                java.util.Map.entry("drive-fast", 1.0));
    }

    @Test
    void aSpecRefusesNoTasksAndATaskNamedTwice() {
        EnvSpec s = LineEnv.SPEC;
        assertThatThrownBy(() -> new EnvSpec(s.name(), s.description(), s.embodiment(), s.observation(), s.cameras(),
                s.controlHz(), s.maxSteps(), List.of())).hasMessageContaining("poses no task");
        assertThatThrownBy(() -> new EnvSpec(s.name(), s.description(), s.embodiment(), s.observation(), s.cameras(),
                s.controlHz(), s.maxSteps(), List.of(new EnvTask("a", "x"), new EnvTask("a", "y"))))
                .hasMessageContaining("names task a twice");
    }

    @Test
    void aTaskNameIsLowerCaseWordsAndAnInstructionIsNotBlank() {
        assertThatThrownBy(() -> new EnvTask("Left Zone", "go")).hasMessageContaining("lower-case words");
        assertThatThrownBy(() -> new EnvTask("left", " ")).hasMessageContaining("needs an instruction");
        assertThat(new EnvTask("left-zone-2", "go").name()).isEqualTo("left-zone-2");
    }

    @Test
    void anEnvRefusesATaskItDoesNotPose() {
        try (LineEnv env = new LineEnv(EnvConfig.DEFAULT)) {
            assertThatThrownBy(() -> env.reset(1, new EnvTask("fly", "fly away"))).hasMessageContaining("does not pose");
        }
    }
}
