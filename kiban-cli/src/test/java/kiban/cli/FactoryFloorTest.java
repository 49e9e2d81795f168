package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import kiban.connect.opcua.SimOpcUaServer;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.json.Json;
import kiban.sim.env.EnvRegistry;
import kiban.testing.mqtt.TestBroker;
import kiban.testing.mqtt.TestSubscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment path end to end, as on a factory floor: a real Milo OPC UA server exposing the
 * simulated factory cell, a real MQTT broker and a dashboard subscribed to it, and {@code kiban run}
 * driving the cell over OPC UA with a trained checkpoint through the control loop and the safety
 * shield. An operator takes the cell over for half a second (the runtime must send nothing and
 * count it), then the cell's e-stop is pressed: the shield must latch a stop and say so on MQTT.
 */
class FactoryFloorTest {

    static final int HZ = 20;

    @Test
    void kibanRunDrivesTheCellOverOpcUaAndReportsOverMqtt(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("factory-cell", dir);
        Path mapping = Path.of("..", "examples", "opcua", "factory-cell.yaml");

        try (SimOpcUaServer cell = SimOpcUaServer.start(SimOpcUaServer.Config.of("factory-cell").withPort(0).withStepHz(HZ));
                TestBroker broker = TestBroker.start();
                TestSubscriber dashboard = new TestSubscriber(broker.serverUri(), "plant/#")) {
            AtomicReference<CliRun> result = new AtomicReference<>();
            Thread loop = new Thread(() -> result.set(CliRun.of("run", "--checkpoint", run.toString(), "--opcua", cell.endpointUrl(),
                    "--mapping", mapping.toString(), "--mqtt", broker.url("plant"), "--hz", Integer.toString(HZ),
                    "--duration", "4", "--json")));
            loop.start();
            awaitMessages(dashboard, "plant/loop");   // the loop has run its first second
            // an operator takes the cell over from the HMI: the runtime must leave their set points alone
            double[] operator = {0.8, 0.6, 0.0};
            // an HMI holds its set points, rewriting them, so a runtime write still in flight cannot win
            for (int i = 0; i < 10; i++) {
                cell.setOperatorControl(true, operator);
                Thread.sleep(50);
            }
            double[] duringTakeOver = cell.lastAction();
            cell.setOperatorControl(false, null);
            Thread.sleep(300);
            long stepsBeforeStop = cell.steps();
            cell.setEmergencyStop(true);
            loop.join(60_000);
            assertThat(loop.isAlive()).isFalse();

            CliRun r = result.get();
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode j = Json.MAPPER.readTree(r.out());
            assertThat(j.get("cycles").asLong()).isEqualTo(4L * HZ);
            assertThat(j.get("inference").get("calls").asLong()).isPositive();
            assertThat(j.get("interventions").get("estop").asLong()).isPositive();
            assertThat(j.get("interventions").get("takeover").asLong()).isPositive();
            assertThat(duringTakeOver).containsExactly(operator);
            // the cell's own figures come back through the mapping's metric nodes
            assertThat(j.get("metrics").get("oee").asDouble()).isBetween(0.0, 1.0);

            assertThat(stepsBeforeStop).isPositive();
            // the set points the cell applied last lie within the embodiment's action limits
            var actions = EnvRegistry.load().get("factory-cell").spec().embodiment().action();
            double[] last = cell.lastAction();
            int k = 0;
            for (FeatureSpec f : actions) {
                for (int e = 0; e < f.size(); e++, k++) {
                    assertThat(last[k]).isBetween(f.lowArray()[e], f.highArray()[e]);
                }
            }

            awaitMessages(dashboard, "plant/summary");
            JsonNode summary = dashboard.on("plant/summary").getFirst().json();
            assertThat(summary.get("cycles").asLong()).isEqualTo(4L * HZ);
            assertThat(dashboard.on("plant/intervention")).anySatisfy(m ->
                    assertThat(m.json().get("reason").asText()).isEqualTo("estop"));
            assertThat(dashboard.on("plant/intervention")).anySatisfy(m ->
                    assertThat(m.json().get("reason").asText()).isEqualTo("takeover"));
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
