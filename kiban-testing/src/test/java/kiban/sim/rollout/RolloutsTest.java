package kiban.sim.rollout;

import kiban.testing.LineEnv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import kiban.core.progress.Progress;
import kiban.sim.env.EnvConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutsTest {

    @Test
    void expertBeatsRandomAndMetricsAreAveraged(@TempDir Path dir) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RolloutSummary expert;
        try (Progress p = Progress.to(new PrintStream(log), "test", "episodes", 20)) {
            expert = Rollouts.run(new LineEnv(EnvConfig.DEFAULT), e -> new LineEnv.Chaser(), "expert", 20, 0,
                    dir.resolve("line.gif"), p);
        }
        RolloutSummary random = Rollouts.run(new LineEnv(EnvConfig.DEFAULT), e -> new RandomPolicy(e.spec()), "random",
                20, 0, null, Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "e", 20));
        assertThat(expert.episodes()).isEqualTo(20);
        assertThat(expert.successRate()).isEqualTo(1.0);
        assertThat(random.successRate()).isLessThan(expert.successRate());
        assertThat(expert.metrics().get("closest_distance")).isLessThan(0.05);
        double mean = expert.perEpisode().stream().mapToDouble(r -> r.metrics().get("closest_distance")).average().orElseThrow();
        assertThat(expert.metrics().get("closest_distance")).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(expert.meanLength()).isLessThan(LineEnv.SPEC.maxSteps());
        assertThat(dir.resolve("line.gif")).exists();
        assertThat(log.toString()).contains("20/20 episodes");
    }

    @Test
    void sameSeedSameResults() {
        var a = Rollouts.run(new LineEnv(EnvConfig.DEFAULT), e -> new RandomPolicy(e.spec()), "random", 5, 9, null,
                Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "e", 5));
        var b = Rollouts.run(new LineEnv(EnvConfig.DEFAULT), e -> new RandomPolicy(e.spec()), "random", 5, 9, null,
                Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "e", 5));
        assertThat(a.perEpisode()).isEqualTo(b.perEpisode());
    }
}
