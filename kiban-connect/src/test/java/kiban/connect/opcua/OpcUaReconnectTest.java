package kiban.connect.opcua;

import static kiban.connect.opcua.OpcUaMachineTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import kiban.core.machine.MachineReading;
import kiban.sim.factory.CellObservation;
import org.junit.jupiter.api.Test;

/** The server goes away and comes back as a new process on the same port: the machine follows. */
class OpcUaReconnectTest {

    @Test
    void reconnectsAndResumesAfterTheServerRestarts() throws Exception {
        SimOpcUaServer.Config config = SimOpcUaServer.Config.of("factory-cell").withStepHz(50);
        SimOpcUaServer first = SimOpcUaServer.start(config);
        SimOpcUaServer.Config samePort = config.withPort(first.port()).withSeed(99);
        NodeMapping mapping = NodeMapping.parse(first.mappingYaml(), "sim");
        SimOpcUaServer second = null;
        try (OpcUaMachine m = OpcUaMachine.connect(first.endpointUrl(), mapping)) {
            assertThat(m.read().connected()).isTrue();
            long t0 = System.nanoTime();
            first.close();
            long t1 = System.nanoTime();
            await(() -> !m.read().connected());
            long t2 = System.nanoTime();
            MachineReading down = m.read();
            m.command(new double[] {0.3, 0.4, 0}); // dropped: the link is down
            assertThat(m.metrics().get("opcua_commands_dropped")).isEqualTo(1.0);

            second = SimOpcUaServer.start(samePort);
            SimOpcUaServer restarted = second;
            long t3 = System.nanoTime();
            await(() -> m.read().connected());
            long t4 = System.nanoTime();
            // for the report: how long each phase took (not asserted; timings belong to benchmarks)
            System.out.printf("server close %d ms, loss seen %d ms later, restart %d ms, reconnected %d ms after restart%n",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
            // readings flow again, from the new process
            await(() -> m.read().timestampNanos() > down.timestampNanos());
            assertThat(restarted.lastAction()[1]).as("the dropped command was never sent").isNotEqualTo(0.4);
            m.command(new double[] {0.5, 0.7, 0});
            await(() -> restarted.lastAction()[1] == 0.7);
            await(() -> m.read().state()[CellObservation.MACHINE_SPEED] == 0.7);
            assertThat(m.metrics().get("opcua_disconnects")).isGreaterThanOrEqualTo(1.0);
            assertThat(m.metrics().get("opcua_resubscriptions")).isGreaterThanOrEqualTo(1.0);
        } finally {
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void aRecoveryRunTwiceKeepsTheSubscriptionItMadeInsteadOfRetryingForever() throws Exception {
        // Two transfer failures in a row queue two recoveries, and an attempt whose items failed leaves a
        // subscription already made: Milo refuses to create it again, so a recovery that always creates
        // would fail every 500 ms for good while the machine reads as disconnected.
        try (SimOpcUaServer server = SimOpcUaServer.start(SimOpcUaServer.Config.of("factory-cell").withStepHz(50));
                OpcUaMachine m = OpcUaMachine.connect(server.endpointUrl(), NodeMapping.parse(server.mappingYaml(), "sim"))) {
            m.resubscribe();
            await(() -> m.metrics().get("opcua_resubscriptions") == 1.0);
            assertThat(m.read().connected()).isTrue();
            long before = m.read().timestampNanos();
            m.command(new double[] {0.5, 0.7, 0});
            await(() -> m.read().state()[CellObservation.MACHINE_SPEED] == 0.7);
            assertThat(m.read().timestampNanos()).as("readings still flow").isGreaterThan(before);
        }
    }
}
