package kiban.connect.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.machine.MachineReading;
import kiban.sim.factory.CellObservation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OpcUaMachine against a real Milo server serving the simulated factory cell. */
class OpcUaMachineTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static SimOpcUaServer server;
    private static NodeMapping mapping;

    @BeforeAll
    static void start() {
        server = SimOpcUaServer.start(SimOpcUaServer.Config.of("factory-cell").withStepHz(50).withSeed(7));
        mapping = NodeMapping.parse(server.mappingYaml(), "sim");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void readsTheSimulatorsStateAndWritesItsSetPoints() throws Exception {
        try (OpcUaMachine m = OpcUaMachine.connect(server.endpointUrl(), mapping)) {
            assertThat(m.observationFeatures()).hasSize(8);
            assertThat(m.actionFeatures()).hasSize(3);
            MachineReading r = m.read();
            assertThat(r.connected()).isTrue();
            assertThat(r.emergencyStop()).isFalse();
            assertThat(r.state()).hasSize(8);
            assertThat(java.util.Arrays.stream(r.state()).allMatch(Double::isFinite)).isTrue();

            m.command(new double[] {0.8, 0.6, 0});
            await(() -> server.lastAction()[1] == 0.6 && server.lastAction()[0] == 0.8);
            // the cell's drives reach a set point within a step, and the state node reports it back
            await(() -> m.read().state()[CellObservation.MACHINE_SPEED] == 0.6);
            assertThat(m.read().state()[CellObservation.CONVEYOR_SPEED]).isCloseTo(0.8, within(1e-12));
            // the reading is the server's newest published state, element for element
            long steps = server.steps();
            await(() -> server.steps() > steps + 2);
            assertThat(m.read().timestampNanos()).isGreaterThan(r.timestampNanos());
            assertThat(m.metrics().get("opcua_writes")).isGreaterThanOrEqualTo(1.0);
            assertThat(m.metrics().get("opcua_write_failures")).isZero();
            assertThat(m.lastWriteError()).isNull();
        }
        assertThat(server.errors()).as(String.valueOf(server.lastError())).isZero();
    }

    @Test
    void stopCommandsZeroForAZeroStopEmbodiment() throws Exception {
        try (OpcUaMachine m = OpcUaMachine.connect(server.endpointUrl(), mapping)) {
            m.command(new double[] {1, 1, 0});
            await(() -> server.lastAction()[1] == 1);
            m.stop();
            await(() -> server.lastAction()[0] == 0 && server.lastAction()[1] == 0);
            await(() -> m.read().state()[CellObservation.MACHINE_SPEED] == 0);
            m.command(new double[] {1, 1, 0}); // leave the shared cell running for the other tests
            await(() -> server.lastAction()[1] == 1);
        }
    }

    @Test
    void theEmergencyStopLatchesTheSimulatorAndShowsInReadings() throws Exception {
        try (OpcUaMachine m = OpcUaMachine.connect(server.endpointUrl(), mapping)) {
            server.setEmergencyStop(true);
            await(() -> m.read().emergencyStop());
            long frozen = server.steps();
            Thread.sleep(100);
            assertThat(server.steps()).isLessThanOrEqualTo(frozen + 1);
            server.setEmergencyStop(false);
            await(() -> !m.read().emergencyStop());
            await(() -> server.steps() > frozen + 2);
        }
    }

    @Test
    void withoutAnEmergencyStopNodeTheStopIsNeverReportedPressed() throws Exception {
        String text = server.mappingYaml().replaceAll("(?m)^emergency_stop:.*\\n", "");
        NodeMapping noStop = NodeMapping.parse(text, "no-estop.yaml");
        assertThat(noStop.emergencyStop()).isEmpty();
        try (OpcUaMachine m = OpcUaMachine.connect(server.endpointUrl(), noStop)) {
            assertThat(m.read().emergencyStop()).isFalse();
            assertThat(m.read().connected()).isTrue();
        }
    }

    @Test
    void aNodeTheServerLacksIsNamed() {
        String text = server.mappingYaml().replace("state/temperature", "state/temprature");
        NodeMapping bad = NodeMapping.parse(text, "bad.yaml");
        assertThatThrownBy(() -> OpcUaMachine.connect(server.endpointUrl(), bad,
                new OpcUaMachine.Options(Duration.ofSeconds(3), 10, 10)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bad.yaml")
                .hasMessageContaining("factory-cell/state/temprature");
        String badSetpoint = server.mappingYaml().replace("setpoint/machine_speed", "setpoint/machine_sped");
        assertThatThrownBy(() -> OpcUaMachine.connect(server.endpointUrl(), NodeMapping.parse(badSetpoint, "b2.yaml")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("b2.yaml")
                .hasMessageContaining("setpoint/machine_sped");
    }

    @Test
    void anUnreachableServerIsNamed() {
        int port = freePort();
        assertThatThrownBy(() -> OpcUaMachine.connect("opc.tcp://localhost:" + port + "/kiban", mapping,
                new OpcUaMachine.Options(Duration.ofSeconds(2), 10, 10)))
                .isInstanceOf(KibanException.class).hasMessageContaining("opc.tcp://localhost:" + port);
        assertThatThrownBy(() -> OpcUaMachine.connect("localhost:4840", mapping))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--opcua");
    }

    @Test
    void aNonFiniteCommandNeverReachesTheServer() throws Exception {
        try (OpcUaMachine m = OpcUaMachine.connect(server.endpointUrl(), mapping)) {
            double writes = m.metrics().get("opcua_writes");
            assertThatThrownBy(() -> m.command(new double[] {Double.NaN, 1, 0}))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.command(new double[] {1, 1})).isInstanceOf(IllegalArgumentException.class);
            assertThat(m.metrics().get("opcua_writes")).isEqualTo(writes);
        }
    }

    @Test
    void theReadingsCarryTheSetPointsTheMachineHolds() throws Exception {
        try (OpcUaMachine m = OpcUaMachine.connect(server.endpointUrl(), mapping)) {
            assertThat(m.read().setpoint()).as("known from the first reading, before any command").hasSize(3);
            m.command(new double[] {0.7, 0.3, 0});
            await(() -> java.util.Arrays.equals(m.read().setpoint(), new double[] {0.7, 0.3, 0}));
            assertThat(m.read().failedCommands()).isZero();
            m.command(new double[] {1, 1, 0}); // leave the shared cell running for the other tests
            await(() -> server.lastAction()[1] == 1);
        }
    }

    @Test
    void refusedSetPointWritesAreCountedInARowInTheReadings() throws Exception {
        // a set point mapped onto a read-only node: every write of it is refused by the server
        String text = server.mappingYaml().replace("factory-cell/setpoint/machine_speed", "factory-cell/state/machine_speed");
        NodeMapping readOnly = NodeMapping.parse(text, "read-only.yaml");
        try (OpcUaMachine m = OpcUaMachine.connect(server.endpointUrl(), readOnly)) {
            assertThat(m.read().failedCommands()).isZero();
            for (int i = 1; i <= 3; i++) {
                long before = m.read().failedCommands();
                m.command(new double[] {0.9, 0.9, 0});
                await(() -> m.read().failedCommands() > before);
            }
            MachineReading r = m.read();
            assertThat(r.failedCommands()).isEqualTo(3);
            assertThat(r.commandError()).contains("factory-cell/state/machine_speed").contains("Bad_");
            assertThat(m.metrics().get("opcua_write_failures")).isEqualTo(3.0);
        }
    }

    @Test
    void aMachineAtRestStillReadsFreshWhileItsValuesDoNotChange() throws Exception {
        try (OpcUaMachine m = OpcUaMachine.connect(server.endpointUrl(), mapping)) {
            server.setEmergencyStop(true); // the cell stops stepping: no value changes any more
            await(() -> m.read().emergencyStop());
            // The server's clock ticks (or, were nothing published, a keep-alive comes) at least every
            // restRefresh: a second at rest brings about that many fresh sample times. Counting them,
            // not the age of one reading, keeps a busy machine's late delivery from failing the test.
            Duration refresh = m.restRefresh();
            assertThat(refresh).isBetween(Duration.ofMillis(10), Duration.ofSeconds(1));
            java.util.Set<Long> timestamps = new java.util.HashSet<>();
            long end = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < end) {
                timestamps.add(m.read().timestampNanos());
                Thread.sleep(5);
            }
            assertThat(timestamps).as("distinct sample times of a machine at rest in 1 s, refreshed every %s", refresh)
                    .hasSizeGreaterThanOrEqualTo((int) (1000 / refresh.toMillis() / 3));
        } finally {
            server.setEmergencyStop(false);
        }
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + TIMEOUT);
            }
            Thread.sleep(5);
        }
    }
}
