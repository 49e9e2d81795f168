package kiban.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import kiban.connect.mqtt.MqttSecurity;
import kiban.connect.mqtt.MqttTelemetry;
import kiban.connect.opcua.NodeMapping;
import kiban.connect.opcua.OpcUaMachine;
import kiban.connect.opcua.security.ClientSecurity;
import kiban.core.json.Json;
import kiban.health.cell.CellHealthModel;
import kiban.health.cell.Covariate;
import kiban.health.watch.HealthWatch;
import kiban.health.watch.ReadingLayout;
import kiban.health.watch.WatchLoop;
import kiban.health.watch.WatchSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kiban health watch}: reads a factory cell over OPC UA, runs its readings through a cell
 * health model and publishes estimates, alarms and maintenance requests over MQTT. It never writes
 * to the machine: the maintenance request goes to people and planners, who decide.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Watch a factory cell's health: read it over OPC UA, publish health estimates, alarms (with hysteresis) "
                + "and maintenance requests over MQTT. Stops on Ctrl-C.")
final class HealthWatchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--opcua", required = true, paramLabel = "URL", description = "The machine: opc.tcp://host:port[/path]; needs --mapping.")
    String opcua;

    @Option(names = "--mapping", required = true, paramLabel = "FILE",
            description = "Which OPC UA node carries each feature (see docs/CONNECT.md); it must map machine_state, vibration_rms, "
                    + "temperature and, where the model reads the age, minutes_since_service.")
    Path mapping;

    @Option(names = "--mqtt", required = true, paramLabel = "URL",
            description = "Where to publish: mqtt[s]://host[:port]/prefix; topics PREFIX/health/estimate, /alarm and /maintenance.")
    String mqtt;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The cell health model ('kiban health maintenance --model-out').")
    Path model;

    @Option(names = "--alarm-raise", paramLabel = "P", description = "Raise the alarm when the failure probability within the "
            + "model's horizon reaches P (default: the model's maintenance limit).")
    Double alarmRaise;

    @Option(names = "--alarm-clear", paramLabel = "P", description = "Clear a raised alarm once the probability falls below P, "
            + "which must lie below --alarm-raise (default: half of it).")
    Double alarmClear;

    @Option(names = "--estimate-every", defaultValue = "1", paramLabel = "N", description = "Publish an estimate every N readings (default: ${DEFAULT-VALUE}).")
    int estimateEvery;

    @Option(names = "--period-ms", defaultValue = "1000", paramLabel = "MS", description = "Read the machine every MS milliseconds; "
            + "the model expects one reading a minute of machine time, which 'kiban sim opcua' runs in a second (default: ${DEFAULT-VALUE}).")
    long periodMillis;

    @Option(names = "--readings", defaultValue = "0", paramLabel = "N", description = "Stop after N readings (default: 0, until Ctrl-C).")
    long maxReadings;

    @Option(names = "--json", description = "Print the final summary as one JSON object.")
    boolean json;

    @Mixin
    OpcUaClientOptions opcuaSecurity;

    @Mixin
    MqttOptions mqttSecurity;

    private final AtomicBoolean stopRequested = new AtomicBoolean();

    @Override
    public void run() {
        if (periodMillis < 1 || periodMillis > 3_600_000) {
            throw new kiban.core.error.InvalidInputException("--period-ms", "", "1 to 3600000 milliseconds", String.valueOf(periodMillis));
        }
        if (maxReadings < 0) {
            throw new kiban.core.error.InvalidInputException("--readings", "", "a count of 0 (no limit) or more", String.valueOf(maxReadings));
        }
        CellHealthModel health = CellHealthModel.read(model);
        double raise = alarmRaise == null ? health.maintainAt() : alarmRaise;
        double clear = alarmClear == null ? raise / 2 : alarmClear;
        WatchSettings settings = WatchSettings.of(raise, alarmRaise == null ? model + " maintain_at" : "--alarm-raise", clear,
                alarmClear == null ? "--alarm-clear (half of the raise level)" : "--alarm-clear", estimateEvery, "--estimate-every");
        NodeMapping nodes = NodeMapping.load(mapping);
        ReadingLayout layout = ReadingLayout.of(nodes.observation(), health.hazard().covariates().contains(Covariate.AGE_DAYS),
                mapping.toString());
        ClientSecurity opcuaLogin = opcuaSecurity.security(System.getenv(), this::warn);
        MqttSecurity mqttLogin = mqttSecurity.security(System.getenv(), this::warn);
        PrintWriter out = spec.commandLine().getOut();
        WatchLoop.Summary summary;
        try (StopSignals signals = new StopSignals(() -> stopRequested.set(true));
                MqttTelemetry telemetry = MqttTelemetry.connect(mqtt, mqttLogin);
                OpcUaMachine machine = OpcUaMachine.connect(opcua, nodes, OpcUaMachine.Options.DEFAULT, opcuaLogin)) {
            if (!json) {
                out.printf("Watching %s at %s; publishing to %s; alarm at %s, cleared below %s. Press Ctrl-C to stop.%n", nodes.name(),
                        opcua, mqtt, Text.number(raise), Text.number(clear));
                out.flush();
            }
            HealthWatch watch = new HealthWatch(health, settings, telemetry);
            summary = WatchLoop.run(machine, layout, watch, Duration.ofMillis(periodMillis), maxReadings, stopRequested::get);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new kiban.core.error.KibanException("interrupted while watching " + opcua, e);
        }
        if (json) {
            ObjectNode o = Json.object();
            o.put("readings", summary.readings());
            o.put("skipped", summary.skipped());
            o.put("alarms_raised", summary.alarmsRaised());
            o.put("maintenance_requests", summary.maintenanceRequests());
            out.println(Json.compact(o));
        } else {
            out.printf("Stopped after %d readings (%d skipped): %d alarms raised, %d maintenance requests.%n", summary.readings(),
                    summary.skipped(), summary.alarmsRaised(), summary.maintenanceRequests());
        }
    }

    private void warn(String message) {
        spec.commandLine().getErr().println("kiban health watch: warning: " + message);
    }
}
