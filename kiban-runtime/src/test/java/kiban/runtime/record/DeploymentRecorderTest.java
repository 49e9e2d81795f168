package kiban.runtime.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.core.machine.Telemetry;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.data.lerobot.DatasetValidator;
import kiban.data.lerobot.LeRobotDataset;
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
        return new Policy() {
            @Override
            public PolicyMetadata metadata() {
                return new PolicyMetadata("chaser", LineEnv.SPEC.observation(), LineEnv.SPEC.action(), 1, 1, 1);
            }

            @Override
            public double[][] infer(double[][] h) {
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
}
