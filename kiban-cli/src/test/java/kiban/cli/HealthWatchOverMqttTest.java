package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.health.cell.CellHealthModel;
import kiban.health.cell.CellReading;
import kiban.health.cell.Covariate;
import kiban.health.cell.FailureHistory;
import kiban.health.cell.HazardFit;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Observation;
import kiban.sim.factory.RunToFailurePolicy;
import kiban.testing.mqtt.TestBroker;
import kiban.testing.mqtt.TestSubscriber;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiban health watch --readings-topic}: the simulated cell's readings arrive as JSON messages
 * on a real broker, a malformed one is skipped and counted, and the alarm goes out on the same broker.
 */
class HealthWatchOverMqttTest {

    @Test
    void readsReadingsFromATopicSkipsAMalformedOneAndPublishesAnAlarm(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("cell-health.json");
        try (Env env = EnvRegistry.load().get("factory-cell").create(EnvConfig.DEFAULT);
                Progress quiet = Progress.start("histories", "episodes", 5, false);
                TestBroker broker = TestBroker.start();
                TestSubscriber board = new TestSubscriber(broker.serverUri(), "plant/#")) {
            FailureHistory history = new CellMaintenanceStudy(env).histories(new SeedRange(0, 4), quiet);
            new CellHealthModel(HazardFit.fit(history, List.of(Covariate.VIBRATION_TWO_THIRDS, Covariate.TEMPERATURE,
                    Covariate.AGE_DAYS)), 120, 0.07, "seeds 0-4").write(model);
            AtomicReference<CliRun> result = new AtomicReference<>();
            Thread watch = new Thread(() -> result.set(CliRun.of("health", "watch", "--readings-topic", "cell/readings", "--mqtt",
                    broker.url("plant"), "--model", model.toString(), "--alarm-raise", "0.1", "--alarm-clear", "0.05",
                    "--estimate-every", "50", "--readings", "3000", "--json")));
            watch.start();
            MqttClient machine = new MqttClient(broker.serverUri(), "cell-" + UUID.randomUUID(), new MemoryPersistence());
            var options = broker.clientOptions();
            options.setMaxInflight(10_000); // Paho counts a QoS 1 message in flight until its ack is processed
            machine.connect(options);
            // healthy readings until the watch shows it is listening (its first estimate)
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (board.on("plant/health/estimate").isEmpty() && System.nanoTime() < deadline && watch.isAlive()) {
                publish(machine, new CellReading(CellReading.RUNNING, 1.0, 50, 10));
                Thread.sleep(5);
            }
            assertThat(board.on("plant/health/estimate")).as("the watch listens").isNotEmpty();
            machine.publish("plant/cell/readings", "{\"machine_state\": 0, \"vibration_rms\": \"high\", \"temperature\": 50}"
                    .getBytes(StandardCharsets.UTF_8), 1, false);
            // a service, then the cell run to failure, until the alarm goes out
            publish(machine, new CellReading(CellReading.MAINTENANCE, 0.1, 30, 0));
            Observation o = env.reset(0);
            RunToFailurePolicy policy = new RunToFailurePolicy();
            for (int t = 0; t < 7000 && board.on("plant/health/alarm").isEmpty(); t++) {
                publish(machine, CellMaintenanceExpert.reading(o));
                o = env.step(policy.act(o)).observation();
            }
            while (watch.isAlive()) { // idle readings up to the watch's reading limit
                publish(machine, new CellReading(CellReading.IDLE, 0.1, 30, 0));
            }
            machine.disconnect();
            machine.close();

            CliRun r = result.get();
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode summary = Json.MAPPER.readTree(r.out());
            assertThat(summary.get("readings").asLong()).isEqualTo(3000);
            assertThat(summary.get("skipped").asLong()).isEqualTo(1);
            assertThat(summary.get("alarms_raised").asLong()).isPositive();
            assertThat(r.err()).contains("skipped a reading", "plant/cell/readings message", "vibration_rms", "high");
            JsonNode alarm = board.on("plant/health/alarm").getFirst().json();
            assertThat(alarm.get("state").asText()).isEqualTo("raised");
            assertThat(alarm.get("failure_probability").asDouble()).isGreaterThanOrEqualTo(0.1);
        }
    }

    private static void publish(MqttClient client, CellReading r) throws Exception {
        String json = Json.compact(Json.object().put("machine_state", r.machineState()).put("vibration_rms", r.vibrationRms())
                .put("temperature", r.temperature()).put("minutes_since_service", r.minutesSinceService()));
        client.publish("plant/cell/readings", json.getBytes(StandardCharsets.UTF_8), 1, false);
    }
}
