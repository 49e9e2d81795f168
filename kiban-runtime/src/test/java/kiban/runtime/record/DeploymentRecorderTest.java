package kiban.runtime.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.core.machine.Telemetry;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;
import kiban.data.lerobot.DatasetValidator;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.runtime.loop.ChunkQueue;
import kiban.runtime.loop.ControlLoop;
import kiban.runtime.loop.LoopConfig;
import kiban.runtime.loop.LoopReport;
import kiban.runtime.shield.SafetyShield;
import kiban.runtime.sim.SimMachine;
import kiban.sim.env.EnvConfig;
import kiban.testing.LineEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deployment on the line env recorded as LeRobot episodes that split where the env reset. */
class DeploymentRecorderTest {

    /** Drives toward the target at 1.5 times its distance, so the shield clips (an intervention) on long moves. */
    private static Policy chaser() {
        return new UnbatchedPolicy() {
            @Override
            public PolicyMetadata metadata() {
                return new PolicyMetadata("chaser", LineEnv.SPEC.observation(), LineEnv.SPEC.action(), 1, 1, 1);
            }

            @Override
            public double[][] inferOne(PolicyObservation[] observed) {
                double[][] h = PolicyObservation.states(observed);
                double[] o = h[0];
                return new double[][] {{1.5 * (o[1] - o[0])}};
            }
        };
    }

    @Test
    void recordsEpisodesWithProposedAndSentActionsAndInterventions(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("deployed");
        LoopReport report;
        long envSteps;
        try (SimMachine m = new SimMachine(new LineEnv(EnvConfig.DEFAULT), 3);
                DeploymentRecorder rec = new DeploymentRecorder(out, 10, "line", "line", m.observationFeatures(),
                        m.actionFeatures(), "reach a target on a line", 1000)) {
            SafetyShield shield = SafetyShield.builder(m.actionFeatures(), m.observationFeatures(), LineEnv.EMBODIMENT.safety())
                    .setDt(m.commandPeriodSeconds()).build();
            report = new ControlLoop(m, chaser(), shield, LoopConfig.of(200, 0.3, ChunkQueue.Blend.ENSEMBLE, 1),
                    List.of(rec), Telemetry.none(), System.err).run();
            envSteps = m.metrics().get("env_steps").longValue();
            assertThat(m.episode()).as("several episodes in 60 cycles").isGreaterThanOrEqualTo(2);
        }
        assertThat(report.interventions()).containsKey("position_limit");
        LeRobotDataset ds = LeRobotDataset.open(out);
        assertThat(ds.totalFrames()).isEqualTo(envSteps);
        assertThat(ds.info().totalEpisodes()).isGreaterThanOrEqualTo(2);
        assertThat(ds.info().features()).containsKeys("observation.state", "action", "action.proposed", "intervention", "intervention.reasons");
        assertThat(DatasetValidator.validate(out).errors()).isEmpty();
        assertThat(Files.readString(out.resolve(DeploymentRecorder.RUNTIME_META))).contains("position_limit");
    }

    /** Writes through to a real dataset writer, and fails on purpose from the {@code failAt}-th call of {@code kind}. */
    private static class FailingSink implements DeploymentRecorder.Sink {
        final LeRobotDatasetWriter real;
        final String kind;
        final int failAt;
        final java.util.function.Supplier<Throwable> error;
        int adds;
        int saves;

        FailingSink(LeRobotDatasetWriter real, String kind, int failAt, java.util.function.Supplier<Throwable> error) {
            this.real = real;
            this.kind = kind;
            this.failAt = failAt;
            this.error = error;
        }

        @Override
        public void addFrame(java.util.Map<String, ?> values) {
            if (kind.equals("add") && ++adds >= failAt) {
                throw sneaky(error.get());
            }
            real.addFrame(values);
        }

        @Override
        public void saveEpisode(String task) {
            if (kind.equals("save") && ++saves >= failAt) {
                throw sneaky(error.get());
            }
            real.saveEpisode(task);
        }

        @Override
        public void close() {
            real.close();
        }

        @Override
        public Path root() {
            return real.root();
        }

        private static RuntimeException sneaky(Throwable t) {
            if (t instanceof Error e) {
                throw e;
            }
            return (RuntimeException) t;
        }
    }

    private static LeRobotDatasetWriter lineWriter(Path dir) {
        var features = java.util.List.of(
                kiban.data.lerobot.Feature.vector("observation.state", java.util.List.of("pos", "target")),
                kiban.data.lerobot.Feature.vector("action", java.util.List.of("velocity")),
                kiban.data.lerobot.Feature.vector("action.proposed", java.util.List.of("velocity")),
                kiban.data.lerobot.Feature.of("intervention", "bool", 1),
                kiban.data.lerobot.Feature.of("intervention.reasons", "int64", 1));
        return LeRobotDatasetWriter.create(dir, LeRobotDatasetWriter.Options.of(10, "line", features));
    }

    @Test
    void aDeadWriterNeitherBlocksCloseNorLosesTheEpisodesAlreadySaved(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("deployed");
        // the second episode's save dies with an Error (as out of memory would): the first stays committed
        FailingSink sink = new FailingSink(lineWriter(out), "save", 2, () -> new OutOfMemoryError("Java heap space"));
        DeploymentRecorder rec = new DeploymentRecorder(sink, "reach", 1000, java.time.Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            rec.onCycle(i, new double[] {i, 0}, new double[] {0.5}, new double[] {0.5}, 0);
        }
        rec.onEpisodeEnd();
        rec.onCycle(3, new double[] {3, 0}, new double[] {0.5}, new double[] {0.5}, 0);
        rec.onEpisodeEnd();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (rec.failure() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(rec.failure()).as("the loop can see the failure").isNotNull()
                .hasMessageContaining("Java heap space").hasMessageContaining(out.toString());
        // the loop goes on: more frames than the queue holds, which nothing drains any more
        for (int i = 0; i < DeploymentRecorder.QUEUE_FRAMES + 100; i++) {
            rec.onCycle(4 + i, new double[] {i, 0}, new double[] {0.5}, new double[] {0.5}, 0);
        }
        long start = System.nanoTime();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(10), rec::close))
                .isInstanceOf(kiban.core.error.KibanException.class).hasMessageContaining("Java heap space")
                .hasMessageContaining("the episodes saved before stay valid");
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to close").isLessThan(2);
        assertThat(rec.frames()).isEqualTo(3);
        assertThat(rec.episodes()).isEqualTo(1);
        assertThat(rec.lost()).isEqualTo(1 + DeploymentRecorder.QUEUE_FRAMES + 100);
        assertThat(DatasetValidator.validate(out).errors()).isEmpty();
        assertThat(LeRobotDataset.open(out).totalFrames()).isEqualTo(3);
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void closeReturnsWithinItsTimeoutWhenTheWriterHangs(@TempDir Path dir) {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        FailingSink hangs = new FailingSink(lineWriter(dir.resolve("d")), "none", 0, () -> null) {
            @Override
            public void addFrame(java.util.Map<String, ?> values) {
                try {
                    never.await(); // a write that never returns (a stalled network disk)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        DeploymentRecorder rec = new DeploymentRecorder(hangs, "reach", 1000, java.time.Duration.ofMillis(500));
        rec.onCycle(0, new double[] {0, 0}, new double[] {0.5}, new double[] {0.5}, 0);
        long start = System.nanoTime();
        org.assertj.core.api.Assertions.assertThatThrownBy(rec::close).hasMessageContaining("did not finish within");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(3);
        never.countDown();
    }

    @Test
    void aFailedRecordingEndsTheRunWhenToldToStop(@TempDir Path dir) {
        Path out = dir.resolve("deployed");
        FailingSink sink = new FailingSink(lineWriter(out), "add", 5, () -> new IllegalStateException("No space left on device"));
        LoopReport report;
        try (SimMachine m = new SimMachine(new LineEnv(EnvConfig.DEFAULT), 3)) {
            DeploymentRecorder rec = new DeploymentRecorder(sink, "reach", 1000, java.time.Duration.ofSeconds(5));
            SafetyShield shield = SafetyShield.builder(m.actionFeatures(), m.observationFeatures(), LineEnv.EMBODIMENT.safety())
                    .setDt(m.commandPeriodSeconds()).build();
            LoopConfig config = LoopConfig.of(100, 2.0, ChunkQueue.Blend.ENSEMBLE, 1).withOnRecordFailure(LoopConfig.OnFailure.STOP);
            report = new ControlLoop(m, chaser(), shield, config, List.of(rec), Telemetry.none(), System.err).run();
            org.assertj.core.api.Assertions.assertThatThrownBy(rec::close).hasMessageContaining("No space left on device");
        }
        assertThat(report.stoppedEarly()).isTrue();
        assertThat(report.cycles()).as("stopped soon after the fifth frame, long before 200 cycles").isLessThan(100);
        assertThat(report.stopReason()).contains("No space left on device", "--on-record-failure stop");
        assertThat(report.interventions()).containsEntry("recording_failed", 1L);
    }

    @Test
    void appendingToARecordingOfAnOlderKibanNamesTheNewReasons(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("deployed");
        try (SimMachine m = new SimMachine(new LineEnv(EnvConfig.DEFAULT), 3);
                DeploymentRecorder rec = new DeploymentRecorder(out, 10, "line", "line", m.observationFeatures(),
                        m.actionFeatures(), "reach", 1000)) {
            rec.onCycle(0, new double[] {0, 1}, new double[] {0.5}, new double[] {0.5}, 0);
        }
        Path meta = out.resolve(DeploymentRecorder.RUNTIME_META);
        // as written before the stale, command_failed and recording_failed reasons existed
        Files.writeString(meta, Files.readString(meta).replaceAll(",\\s*\"stale\"[^\\]]*", "\n  "));
        assertThat(Files.readString(meta)).doesNotContain("stale").contains("takeover");
        try (SimMachine m = new SimMachine(new LineEnv(EnvConfig.DEFAULT), 3);
                DeploymentRecorder rec = new DeploymentRecorder(out, 10, "line", "line", m.observationFeatures(),
                        m.actionFeatures(), "reach", 1000)) {
            rec.onCycle(0, new double[] {0, 1}, new double[] {0.5}, new double[] {0.5}, 0);
        }
        assertThat(Files.readString(meta)).contains("\"takeover\"", "\"stale\"", "\"command_failed\"", "\"recording_failed\"");
        assertThat(LeRobotDataset.open(out).totalFrames()).isEqualTo(2);
    }

    @Test
    void aRecordingWhoseReasonsThisKibanDoesNotWriteIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("deployed");
        try (SimMachine m = new SimMachine(new LineEnv(EnvConfig.DEFAULT), 3);
                DeploymentRecorder rec = new DeploymentRecorder(out, 10, "line", "line", m.observationFeatures(),
                        m.actionFeatures(), "reach", 1000)) {
            rec.onCycle(0, new double[] {0, 1}, new double[] {0.5}, new double[] {0.5}, 0);
        }
        Path meta = out.resolve(DeploymentRecorder.RUNTIME_META);
        for (String reasons : java.util.List.of("\"estop\"", "[\"estop\", \"watchdog\"]")) {
            Files.writeString(meta, "{\"format_version\": 1, \"intervention_reasons\": " + reasons + "}\n");
            try (SimMachine m = new SimMachine(new LineEnv(EnvConfig.DEFAULT), 3)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DeploymentRecorder(out, 10, "line", "line",
                        m.observationFeatures(), m.actionFeatures(), "reach", 1000))
                        .hasMessageContaining(meta.toString()).hasMessageContaining("intervention_reasons");
            }
        }
        assertThat(LeRobotDataset.open(out).totalFrames()).as("nothing stored is lost").isEqualTo(1);
    }
}
