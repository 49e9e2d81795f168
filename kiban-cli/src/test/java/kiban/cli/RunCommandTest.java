package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import kiban.core.json.Json;
import kiban.data.lerobot.LeRobotDataset;
import kiban.policy.run.Policies;
import kiban.serve.PolicyServer;
import kiban.serve.ServeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The acceptance: kiban run drives each simulator with a trained policy, local and via kiban serve (tiny sizes). */
class RunCommandTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pusht", "ur5e-pick-place", "highway", "factory-cell"})
    void drivesEachEnvWithATrainedCheckpoint(String env, @TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint(env, dir);
        Path deployed = dir.resolve("deployed");

        CliRun r = CliRun.of("run", "--checkpoint", run.toString(), "--env", env, "--hz", "50", "--duration", "1", "--fallback", "expert",
                "--record", deployed.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertThat(j.get("machine").asText()).isEqualTo(env);
        assertThat(j.get("cycles").asLong()).isEqualTo(50);
        assertThat(j.get("inference").get("calls").asLong()).isPositive();
        assertThat(j.get("lateness_ms").get("p99_9").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(j.get("metrics").get("env_steps").asDouble()).isPositive();
        assertThat(j.has("interventions")).isTrue();
        long frames = j.get("recording").get("frames").asLong();
        assertThat(frames).isEqualTo((long) j.get("metrics").get("env_steps").asDouble());
        assertThat(LeRobotDataset.open(deployed).totalFrames()).isEqualTo(frames);

        // the same checkpoint behind kiban serve drives the same env through --server
        try (PolicyServer server = new PolicyServer(ServeConfig.defaults(run).withPort(0), Policies::load).start()) {
            CliRun remote = CliRun.of("run", "--server", server.url(), "--env", env, "--hz", "50", "--duration", "1", "--json");
            assertThat(remote.exitCode()).as(remote.err()).isZero();
            JsonNode rj = Json.MAPPER.readTree(remote.out());
            assertThat(rj.get("cycles").asLong()).isEqualTo(50);
            assertThat(rj.get("inference").get("calls").asLong()).isPositive();
            assertThat(rj.get("inference").get("failures").asLong()).isZero();
            assertThat(rj.get("metrics").get("env_steps").asDouble()).isPositive();
        }

        // the recording is ready for fine-tuning: kiban train reads it
        CliRun tune = CliRun.of("train", "--dataset", deployed.toString(), "--policy", "mlp", "--steps", "2", "--batch", "4",
                "--out", dir.resolve("tuned").toString());
        assertThat(tune.exitCode()).as(tune.err()).isZero();
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption(@TempDir Path dir) {
        CliRun slow = CliRun.of("run", "--checkpoint", dir.toString(), "--env", "pusht", "--hz", "5");
        assertThat(slow.exitCode()).isEqualTo(2);
        assertThat(slow.err()).contains("--hz must lie in 10-1000, got 5.0");
        CliRun noPolicy = CliRun.of("run", "--env", "pusht");
        assertThat(noPolicy.exitCode()).isEqualTo(2);
        assertThat(noPolicy.err()).contains("--checkpoint RUN or --server URL");
        CliRun twoMachines = CliRun.of("run", "--checkpoint", dir.toString(), "--env", "pusht", "--opcua", "opc.tcp://h:4840");
        assertThat(twoMachines.exitCode()).isEqualTo(2);
        assertThat(twoMachines.err()).contains("--env NAME or --opcua URL --mapping FILE");
        CliRun noMapping = CliRun.of("run", "--checkpoint", dir.toString(), "--opcua", "opc.tcp://h:4840");
        assertThat(noMapping.exitCode()).isEqualTo(2);
        assertThat(noMapping.err()).contains("--opcua and --mapping go together");
        CliRun badServer = CliRun.of("run", "--server", "http://127.0.0.1:8000", "--env", "pusht");
        assertThat(badServer.exitCode()).isEqualTo(2);
        assertThat(badServer.err()).contains("--server", "ws://", "http://127.0.0.1:8000");
        CliRun unknown = CliRun.of("run", "--checkpoint", dir.toString(), "--env", "pushtt");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown env 'pushtt'");
    }
}
