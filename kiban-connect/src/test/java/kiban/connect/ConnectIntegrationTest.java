package kiban.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import kiban.connect.mqtt.MqttTelemetry;
import kiban.testing.mqtt.TestBroker;
import kiban.testing.mqtt.TestSubscriber;
import kiban.connect.opcua.NodeMapping;
import kiban.connect.opcua.OpcUaMachine;
import kiban.connect.opcua.SimOpcUaServer;
import kiban.core.machine.Machine;
import kiban.core.machine.MachineReading;
import kiban.core.machine.Telemetry;
import kiban.sim.factory.CellObservation;
import org.junit.jupiter.api.Test;

/**
 * The factory floor end to end: a real Milo OPC UA server serving the simulated factory cell, a real
 * MQTT broker, the shipped mapping file, and a subscriber standing in for a dashboard. The loop here
 * is deliberately trivial (a fixed schedule of set points at 20 Hz for 2 s) so the adapters are
 * tested alone; kiban-cli's FactoryFloorTest runs the same parts under the real control loop and shield.
 */
class ConnectIntegrationTest {

    static final int HZ = 20;
    static final int CYCLES = 2 * HZ;

    @Test
    void driveTheSimulatedCellOverOpcUaAndReportOverMqtt() throws Exception {
        NodeMapping mapping = NodeMapping.load(java.nio.file.Path.of("..", "examples", "opcua", "factory-cell.yaml"));
        try (SimOpcUaServer server = SimOpcUaServer.start(SimOpcUaServer.Config.of("factory-cell").withStepHz(HZ));
                TestBroker broker = TestBroker.start();
                TestSubscriber dashboard = new TestSubscriber(broker.serverUri(), "plant/cell-1/#");
                OpcUaMachine machine = OpcUaMachine.connect(server.endpointUrl(), mapping);
                MqttTelemetry telemetry = MqttTelemetry.connect(broker.url("plant/cell-1"))) {
            List<MachineReading> readings = run(machine, telemetry);

            // the set points reached the simulator, and its drives (state) followed them
            assertThat(server.lastAction()).containsExactly(1.0, 1.2, 0.0);
            assertThat(readings.get(CYCLES / 2 - 1).state()[CellObservation.MACHINE_SPEED]).isEqualTo(0.5);
            assertThat(readings.getLast().state()[CellObservation.MACHINE_SPEED]).isEqualTo(1.2);
            assertThat(readings).allMatch(MachineReading::connected).noneMatch(MachineReading::emergencyStop);
            assertThat(server.steps()).isGreaterThanOrEqualTo(CYCLES - 5);
            assertThat(server.errors()).isZero();

            Map<String, Object> summary = new LinkedHashMap<>(machine.metrics());
            summary.put("cycles", CYCLES);
            telemetry.publish("summary", summary);
            awaitMessages(dashboard, "plant/cell-1/summary", 1);
            awaitMessages(dashboard, "plant/cell-1/loop", CYCLES);
            List<JsonNode> loop = dashboard.on("plant/cell-1/loop").stream().map(TestSubscriber.Message::json).toList();
            assertThat(loop).extracting(j -> j.get("cycle").asInt())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, CYCLES).boxed().toList());
            assertThat(loop.getLast().get("machine_speed").asDouble()).isEqualTo(1.2);
            JsonNode s = dashboard.on("plant/cell-1/summary").get(0).json();
            assertThat(s.get("opcua_writes").asDouble()).isPositive();
            assertThat(s.get("opcua_write_failures").asDouble()).isZero();
            // the simulated cell's own figures come through the metric nodes of the mapping
            assertThat(s.get("oee").asDouble()).isBetween(0.0, 1.0);
            assertThat(s.get("good_parts").asDouble()).isGreaterThanOrEqualTo(0.0);
            assertThat(telemetry.dropped()).isZero();
        }
    }

    /** Half the time at machine speed 0.5, then 1.2, conveyor at 1.0; one telemetry event a cycle. */
    private static List<MachineReading> run(Machine machine, Telemetry telemetry) {
        List<MachineReading> readings = new ArrayList<>();
        long period = 1_000_000_000L / HZ;
        long next = System.nanoTime();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            double speed = cycle < CYCLES / 2 ? 0.5 : 1.2;
            MachineReading r = machine.read();
            readings.add(r);
            machine.command(new double[] {1.0, speed, 0});
            telemetry.publish("loop", Map.of("cycle", cycle, "connected", r.connected(),
                    "machine_speed", r.state()[CellObservation.MACHINE_SPEED], "commanded_speed", speed));
            next += period;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        // one more period for the last set point to be applied and reported
        long end = System.nanoTime() + 10_000_000_000L;
        MachineReading r = machine.read();
        while (r.state()[CellObservation.MACHINE_SPEED] != 1.2 && System.nanoTime() < end) {
            LockSupport.parkNanos(period / 4);
            r = machine.read();
        }
        readings.add(r);
        return readings;
    }

    private static void awaitMessages(TestSubscriber sub, String topic, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sub.on(topic).size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sub.on(topic)).as(topic).hasSize(n);
    }
}
