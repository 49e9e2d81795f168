package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
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

        // without --hz the loop runs at the env's own control rate (the highway 5 Hz, the factory cell 1 Hz)
        double own = kiban.sim.env.EnvRegistry.load().get(env).spec().controlHz();
        CliRun ownRate = CliRun.of("run", "--checkpoint", run.toString(), "--env", env, "--duration", "1", "--json");
        assertThat(ownRate.exitCode()).as(ownRate.err()).isZero();
        JsonNode nj = Json.MAPPER.readTree(ownRate.out());
        assertThat(nj.get("hz").asDouble()).isEqualTo(own);
        assertThat(nj.get("cycles").asLong()).isEqualTo(Math.round(own));
        assertThat(nj.has("stopped")).isFalse();

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
    void theInstructionReachesAServedPolicyAsOpenpisPrompt(@TempDir Path dir) {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        java.util.List<String> heard = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (PolicyServer server = new PolicyServer(ServeConfig.defaults(run).withPort(0).withWarmup(0),
                p -> new Listening(Policies.load(p), heard)).start()) {
            CliRun r = CliRun.of("run", "--server", server.url(), "--env", "pusht", "--hz", "50", "--duration", "0.5",
                    "--instruction", "push the T onto the goal", "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
        }
        assertThat(heard).isNotEmpty().containsOnly("push the T onto the goal");
    }

    /** A served policy that keeps the instruction of each request's newest observation. */
    private record Listening(kiban.core.policy.Policy policy, java.util.List<String> heard) implements kiban.core.policy.Policy {
        @Override
        public kiban.core.policy.PolicyMetadata metadata() {
            return policy.metadata();
        }

        @Override
        public double[][][] inferBatch(kiban.core.policy.PolicyObservation[][] histories) {
            for (kiban.core.policy.PolicyObservation[] h : histories) {
                heard.add(h[h.length - 1].instruction());
            }
            return policy.inferBatch(histories);
        }

        @Override
        public void close() {
            policy.close();
        }
    }

    @Test
    void rtcDrivesWithAFlowPolicyAndIsRefusedForAnMlp(@TempDir Path dir) throws Exception {
        Path mlp = CliRun.tinyCheckpoint("pusht", dir);
        Path flow = dir.resolve("flow");
        CliRun train = CliRun.of("train", "--dataset", dir.resolve("data").toString(), "--policy", "flow", "--steps", "5", "--batch",
                "8", "--out", flow.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();

        CliRun r = CliRun.of("run", "--env", "pusht", "--checkpoint", flow.toString(), "--execution", "rtc", "--duration", "2", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertThat(j.get("execution").asText()).isEqualTo("rtc");
        assertThat(j.get("cycles").asLong()).isEqualTo(20);
        assertThat(j.has("stopped")).isFalse();
        JsonNode inference = j.get("inference");
        assertThat(inference.get("failures").asLong()).as(inference.path("first_failure").asText()).isZero();
        // 20 cycles at PushT's 10 Hz, a chunk asked every 8: the second and third continue the one before.
        assertThat(inference.get("rtc_switches").asLong()).isBetween(1L, inference.get("chunks").asLong() - 1);
        assertThat(inference.get("rtc_late_switches").asLong()).isBetween(0L, inference.get("rtc_switches").asLong());
        assertThat(j.get("metrics").get("env_steps").asDouble()).isPositive();

        CliRun text = CliRun.of("run", "--env", "pusht", "--checkpoint", flow.toString(), "--execution", "rtc", "--duration", "1");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).containsPattern("rtc +\\d+ chunks continued the last, \\d+ late");
        assertThat(inference.get("rtc_mask").asText()).isEqualTo("hard");

        CliRun soft = CliRun.of("run", "--env", "pusht", "--checkpoint", flow.toString(), "--execution", "rtc", "--rtc-mask", "soft",
                "--duration", "2", "--json");
        assertThat(soft.exitCode()).as(soft.err()).isZero();
        JsonNode si = Json.MAPPER.readTree(soft.out()).get("inference");
        assertThat(si.get("rtc_mask").asText()).isEqualTo("soft");
        assertThat(si.get("failures").asLong()).as(si.path("first_failure").asText()).isZero();
        assertThat(si.get("rtc_switches").asLong()).isPositive();
        CliRun softWithoutRtc = CliRun.of("run", "--env", "pusht", "--checkpoint", flow.toString(), "--rtc-mask", "soft",
                "--duration", "1");
        assertThat(softWithoutRtc.exitCode()).isEqualTo(2);
        assertThat(softWithoutRtc.err()).contains("--rtc-mask applies to --execution rtc");
        CliRun badMask = CliRun.of("run", "--env", "pusht", "--checkpoint", flow.toString(), "--execution", "rtc", "--rtc-mask",
                "medium", "--duration", "1");
        assertThat(badMask.exitCode()).isNotZero();
        assertThat(badMask.err()).contains("--rtc-mask", "hard or soft", "'medium'");

        CliRun chunks = CliRun.of("run", "--env", "pusht", "--checkpoint", flow.toString(), "--duration", "1", "--json");
        assertThat(chunks.exitCode()).as(chunks.err()).isZero();
        JsonNode cj = Json.MAPPER.readTree(chunks.out());
        assertThat(cj.get("execution").asText()).isEqualTo("chunks");
        assertThat(cj.get("inference").has("rtc_switches")).isFalse();

        CliRun refused = CliRun.of("run", "--env", "pusht", "--checkpoint", mlp.toString(), "--execution", "rtc", "--duration", "1");
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("--execution rtc needs a policy that samples its chunks (flow or diffusion)",
                "a mlp policy cannot continue a chunk from frozen rows").doesNotContain("driving");
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption(@TempDir Path dir) {
        CliRun slow = CliRun.of("run", "--checkpoint", dir.toString(), "--env", "pusht", "--hz", "0.05");
        assertThat(slow.exitCode()).isEqualTo(2);
        assertThat(slow.err()).contains("--hz must lie in 0.1-1000, got 0.05");
        CliRun stale = CliRun.of("run", "--checkpoint", dir.toString(), "--env", "pusht", "--stale-after", "0.5");
        assertThat(stale.exitCode()).isEqualTo(2);
        assertThat(stale.err()).contains("--stale-after must lie in 1-10000 control periods, got 0.5");
        CliRun failures = CliRun.of("run", "--checkpoint", dir.toString(), "--env", "pusht", "--max-failed-commands", "0");
        assertThat(failures.exitCode()).isEqualTo(2);
        assertThat(failures.err()).contains("--max-failed-commands must lie in 1-1000000, got 0");
        CliRun policy = CliRun.of("run", "--checkpoint", dir.toString(), "--env", "pusht", "--record", dir.resolve("r").toString(),
                "--on-record-failure", "ignore");
        assertThat(policy.exitCode()).isEqualTo(2);
        assertThat(policy.err()).contains("--on-record-failure", "warn or stop", "'ignore'");
        CliRun alone = CliRun.of("run", "--checkpoint", dir.toString(), "--env", "pusht", "--on-record-failure", "stop");
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err()).contains("--on-record-failure goes with --record");
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
        CliRun taskAlone = CliRun.of("run", "--checkpoint", dir.toString(), "--opcua", "opc.tcp://h:4840", "--mapping", "m.yaml",
                "--task", "default");
        assertThat(taskAlone.exitCode()).isEqualTo(2);
        assertThat(taskAlone.err()).contains("--task needs a simulator (--env)");
        CliRun blank = CliRun.of("run", "--checkpoint", dir.toString(), "--env", "pusht", "--instruction", " ");
        assertThat(blank.exitCode()).isEqualTo(2);
        assertThat(blank.err()).contains("--instruction must be a sentence of 1-1000 characters, got 1 characters of blanks");
        CliRun execution = CliRun.of("run", "--checkpoint", dir.toString(), "--env", "pusht", "--execution", "rtcc");
        assertThat(execution.exitCode()).isEqualTo(2);
        assertThat(execution.err()).contains("--execution", "chunks, crossfade, ensemble or rtc", "'rtcc'");
        CliRun unknown = CliRun.of("run", "--checkpoint", dir.toString(), "--env", "pushtt");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown env 'pushtt'");
    }

    @Test
    void aBadFileOrSecretIsReportedBeforeAnyConnection(@TempDir Path dir) throws Exception {
        // Nothing listens on port 1: were the broker tried first, the error would be its refusal, not the missing file.
        Path mapping = dir.resolve("cell.yaml");
        Files.copy(Path.of("..", "examples", "opcua", "factory-cell.yaml"), mapping);
        CliRun password = CliRun.of("run", "--checkpoint", dir.toString(), "--opcua", "opc.tcp://127.0.0.1:1/", "--mapping",
                mapping.toString(), "--opcua-user", "operator", "--opcua-password-file", dir.resolve("missing").toString(),
                "--mqtt", "tcp://127.0.0.1:1");
        assertThat(password.exitCode()).as(password.err()).isEqualTo(2);
        assertThat(password.err()).contains("--opcua-password-file", "missing").doesNotContain("127.0.0.1:1");
        CliRun noMappingFile = CliRun.of("run", "--checkpoint", dir.toString(), "--opcua", "opc.tcp://127.0.0.1:1/", "--mapping",
                dir.resolve("absent.yaml").toString(), "--mqtt", "tcp://127.0.0.1:1");
        assertThat(noMappingFile.exitCode()).isNotZero();
        assertThat(noMappingFile.err()).contains("absent.yaml").doesNotContain("127.0.0.1:1");
    }

    @Test
    void ctrlCWhileWaitingForThePolicyServerEndsTheCommandAtOnce() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Process p = CliProcess.interruptible("run", "--server", "ws://127.0.0.1:" + closed, "--env", "pusht").start();
        try (var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream()))) {
            String line;
            do {
                line = err.readLine();
            } while (line != null && !line.contains("waiting for the policy server"));
            assertThat(line).as("the client says it waits").isNotNull();
            long signalled = System.nanoTime();
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();
            // nothing moves before the loop runs: the command ends at once instead of waiting out its 30 s
            assertThat(p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).as("exited after Ctrl-C").isTrue();
            assertThat(p.exitValue()).isEqualTo(130);
            assertThat((System.nanoTime() - signalled) / 1e9).isLessThan(15);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void ctrlCStopsTheMachinePrintsTheSummaryAndKeepsTheEpisodeInProgress(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        Path deployed = dir.resolve("deployed");
        // the policy is served from this JVM, so the kiban run started below needs no model runtime of its own
        try (PolicyServer server = new PolicyServer(ServeConfig.defaults(run).withPort(0), Policies::load).start()) {
            Process p = CliProcess.interruptible("run", "--server", server.url(), "--env", "pusht", "--duration", "120",
                    "--record", deployed.toString()).start();
            StringBuilder err = new StringBuilder();
            java.util.concurrent.CountDownLatch driving = new java.util.concurrent.CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream()))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        err.append(line).append('\n');
                        if (line.startsWith("kiban run: driving")) {
                            driving.countDown();
                        }
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
            });
            reader.start();
            assertThat(driving.await(60, java.util.concurrent.TimeUnit.SECONDS)).as(err.toString()).isTrue();
            Thread.sleep(2000); // about 20 cycles at pusht's 10 Hz, all in the first episode
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("exited after Ctrl-C").isTrue();
            String out = new String(p.getInputStream().readAllBytes());
            reader.join(5000);
            assertThat(p.exitValue()).as(err.toString()).isEqualTo(130);
            assertThat(out).contains("pusht at 10 Hz", "stopped        interrupted (Ctrl-C or SIGTERM)", "recorded ");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("recorded +(\\d+) frames in 1 episode kept in").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            long frames = Long.parseLong(m.group(1));
            assertThat(frames).isBetween(5L, 60L);
            assertThat(LeRobotDataset.open(deployed).totalFrames()).isEqualTo(frames);
            assertThat(kiban.data.lerobot.DatasetValidator.validate(deployed).errors()).isEmpty();
        }
    }
}
