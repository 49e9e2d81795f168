package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kiban.connect.mqtt.MqttTelemetry;
import kiban.connect.opcua.NodeMapping;
import kiban.connect.opcua.OpcUaMachine;
import kiban.connect.opcua.SimOpcUaServer;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.health.cell.CellHealthModel;
import kiban.health.cell.Covariate;
import kiban.health.cell.FailureHistory;
import kiban.health.cell.HazardFit;
import kiban.health.watch.HealthWatch;
import kiban.health.watch.ReadingLayout;
import kiban.health.watch.WatchLoop;
import kiban.health.watch.WatchSettings;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.testing.mqtt.TestBroker;
import kiban.testing.mqtt.TestSubscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiban health watch} reads the simulated factory cell from a real Milo server, runs it
 * through a hazard model fitted on the cell's run-to-failure histories, and publishes estimates and
 * an alarm that a subscriber on a real MQTT broker receives. Nobody commands the served cell, so
 * it runs to failure, and its failure probability must climb through the alarm level.
 */
class HealthWatchOverOpcUaTest {

    /** Steps a second of the served cell; the watch reads at the same rate, one reading a simulated minute. */
    static final int HZ = 200;

    @Test
    void readsTheCellOverOpcUaAndPublishesAnAlarmOverMqtt(@TempDir Path dir) throws Exception {
        CellHealthModel health = fittedModel();
        Path model = dir.resolve("cell-health.json");
        health.write(model);
        Path mapping = Path.of("..", "examples", "opcua", "factory-cell.yaml");
        try (SimOpcUaServer cell = SimOpcUaServer.start(SimOpcUaServer.Config.of("factory-cell").withPort(0).withStepHz(HZ));
                TestBroker broker = TestBroker.start();
                TestSubscriber board = new TestSubscriber(broker.serverUri(), "#")) {
            // the command, end to end, for a few readings: it connects to both and publishes estimates
            CliRun r = CliRun.of("health", "watch", "--opcua", cell.endpointUrl(), "--mapping", mapping.toString(), "--mqtt",
                    broker.url("plant"), "--model", model.toString(), "--period-ms", Integer.toString(1000 / HZ),
                    "--readings", "200", "--json");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(Json.MAPPER.readTree(r.out()).get("readings").asLong()).isEqualTo(200);
            awaitMessages(board, "plant/health/estimate");
            JsonNode estimate = board.on("plant/health/estimate").getFirst().json();
            assertThat(estimate.get("failure_probability").asDouble()).isBetween(0.0, 1.0);
            assertThat(estimate.get("vibration_rms").asDouble()).isPositive();

            // the same wiring in process, until the alarm reaches the subscriber: the cell runs to failure
            // (under another prefix: the command's run may have raised an alarm of its own)
            NodeMapping nodes = NodeMapping.load(mapping);
            JsonNode alarm;
            try (OpcUaMachine machine = OpcUaMachine.connect(cell.endpointUrl(), nodes);
                    MqttTelemetry telemetry = MqttTelemetry.connect(broker.url("line"))) {
                HealthWatch watch = new HealthWatch(health, WatchSettings.of(0.1, "raise", 0.05, "clear", 20, "every"), telemetry);
                ReadingLayout layout = ReadingLayout.of(nodes.observation(), true, mapping.toString());
                long deadline = System.nanoTime() + 30_000_000_000L;
                WatchLoop.run(machine, layout, watch, Duration.ofMillis(1000 / HZ), 0,
                        () -> !board.on("line/health/alarm").isEmpty() || System.nanoTime() > deadline);
                assertThat(watch.alarmsRaised()).isPositive();
                awaitMessages(board, "line/health/alarm");
                alarm = board.on("line/health/alarm").getFirst().json();
            }
            assertThat(alarm.get("state").asText()).isEqualTo("raised");
            assertThat(alarm.get("failure_probability").asDouble()).isGreaterThanOrEqualTo(0.1);
            assertThat(alarm.get("raise_at").asDouble()).isEqualTo(0.1);
            assertThat(alarm.get("clear_below").asDouble()).isEqualTo(0.05);
            assertThat(alarm.get("rul_minutes").asDouble()).isPositive();
            assertThat(cell.lastAction()[2]).as("the watch never writes to the machine").isZero();
        }
    }

    @Test
    void refusesAClearLevelAboveTheRaiseLevelNamingTheOption(@TempDir Path dir) {
        Path model = dir.resolve("cell-health.json");
        fittedModel().write(model);
        CliRun r = CliRun.of("health", "watch", "--opcua", "opc.tcp://127.0.0.1:1", "--mapping", "../examples/opcua/factory-cell.yaml",
                "--mqtt", "mqtt://127.0.0.1:1/plant", "--model", model.toString(), "--alarm-raise", "0.1", "--alarm-clear", "0.2");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--alarm-clear", "0.2", "below the raise level 0.1");
    }

    @Test
    void ctrlCStopsTheWatchCleanlyWithItsSummary(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("cell-health.json");
        fittedModel().write(model);
        try (SimOpcUaServer cell = SimOpcUaServer.start(SimOpcUaServer.Config.of("factory-cell").withPort(0).withStepHz(20));
                TestBroker broker = TestBroker.start();
                TestSubscriber board = new TestSubscriber(broker.serverUri(), "#")) {
            Process p = CliProcess.interruptible("health", "watch", "--opcua", cell.endpointUrl(), "--mapping",
                    "../examples/opcua/factory-cell.yaml", "--mqtt", broker.url("plant"), "--model", model.toString(),
                    "--period-ms", "50").redirectErrorStream(true).start();
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            StringBuilder out = new StringBuilder();
            for (String line; (line = lines.readLine()) != null; ) {
                out.append(line).append('\n');
                if (line.startsWith("Watching factory-cell at ")) {
                    break;
                }
            }
            assertThat(out.toString()).contains("Watching factory-cell at", "Press Ctrl-C to stop.");
            Thread.sleep(1500);
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("exited after Ctrl-C").isTrue();
            out.append(new String(p.getInputStream().readAllBytes()));
            assertThat(p.exitValue()).as(out.toString()).isZero();
            assertThat(out.toString()).containsPattern("Stopped after [1-9][0-9]* readings \\(0 skipped\\)");
            awaitMessages(board, "plant/status");
            assertThat(board.on("plant/status").getLast().json().get("online").asBoolean()).as("closed, not killed").isFalse();
        }
    }

    /** A hazard model fitted on five run-to-failure episodes of the cell (seeds 0-4), with a limit of 0.07 in 120 minutes. */
    private static CellHealthModel fitted;

    private static synchronized CellHealthModel fittedModel() {
        if (fitted == null) {
            fitted = fit();
        }
        return fitted;
    }

    private static CellHealthModel fit() {
        try (Env env = EnvRegistry.load().get("factory-cell").create(EnvConfig.DEFAULT);
                Progress quiet = Progress.start("histories", "episodes", 5, false)) {
            FailureHistory history = new CellMaintenanceStudy(env).histories(new SeedRange(0, 4), quiet);
            List<Covariate> covariates = List.of(Covariate.VIBRATION_TWO_THIRDS, Covariate.TEMPERATURE, Covariate.AGE_DAYS);
            return new CellHealthModel(HazardFit.fit(history, covariates), 120, 0.07, "seeds 0-4");
        }
    }

    private static void awaitMessages(TestSubscriber sub, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sub.on(topic).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sub.on(topic)).as(topic).isNotEmpty();
    }
}
