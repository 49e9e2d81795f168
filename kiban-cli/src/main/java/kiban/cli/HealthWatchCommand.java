package kiban.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import kiban.connect.mqtt.MqttSecurity;
import kiban.connect.mqtt.MqttSubscription;
import kiban.connect.mqtt.MqttTelemetry;
import kiban.connect.opcua.NodeMapping;
import kiban.connect.opcua.OpcUaMachine;
import kiban.connect.opcua.security.ClientSecurity;
import kiban.core.json.Json;
import kiban.health.cell.CellHealthModel;
import kiban.health.cell.CellReading;
import kiban.health.cell.Covariate;
import kiban.health.watch.HealthWatch;
import kiban.health.watch.ReadingLayout;
import kiban.health.watch.ReadingMessages;
import kiban.health.watch.WatchLoop;
import kiban.health.watch.WatchSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kiban health watch}: reads a factory cell over OPC UA, runs its readings through a cell
 * health model and publishes estimates, alarms and maintenance requests over MQTT. It never writes
 * to the machine: the maintenance request goes to people and planners, who decide.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Watch a factory cell's health: read it over OPC UA (or from an MQTT topic), publish health estimates, alarms (with hysteresis) "
                + "and maintenance requests over MQTT. Stops on Ctrl-C.")
final class HealthWatchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--opcua", paramLabel = "URL", description = "The machine: opc.tcp://host:port[/path]; needs --mapping. "
            + "Without it, the readings come from --readings-topic.")
    String opcua;

    @Option(names = "--readings-topic", paramLabel = "TOPIC", description = "Take the readings from this topic under the --mqtt "
            + "prefix instead of OPC UA: one JSON object a reading with machine_state, vibration_rms, temperature (and "
            + "minutes_since_service where the model reads the age).")
    String readingsTopic;

    @Option(names = "--mapping", paramLabel = "FILE",
            description = "Which OPC UA node carries each feature (see docs/CONNECT.md); it must map machine_state, vibration_rms, "
                    + "temperature and, where the model reads the age, minutes_since_service.")
    Path mapping;

    @Option(names = "--mqtt", required = true, paramLabel = "URL",
            description = "Where to publish (and, with --readings-topic, to read): mqtt[s]://host[:port]/prefix; topics "
                    + "PREFIX/health/estimate, /alarm and /maintenance.")
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
        if ((opcua == null) == (readingsTopic == null)) {
            throw new ParameterException(spec.commandLine(), "give the readings: --opcua URL --mapping FILE or --readings-topic TOPIC (one of them)");
        }
        if ((opcua == null) != (mapping == null)) {
            throw new ParameterException(spec.commandLine(), "--opcua and --mapping go together");
        }
        opcuaSecurity.requireMachine(opcua != null);
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
        boolean needAge = health.hazard().covariates().contains(Covariate.AGE_DAYS);
        // everything read and checked before connecting to anything
        NodeMapping nodes = opcua == null ? null : NodeMapping.load(mapping);
        ReadingLayout layout = nodes == null ? null : ReadingLayout.of(nodes.observation(), needAge, mapping.toString());
        ClientSecurity opcuaLogin = opcua == null ? null : opcuaSecurity.security(System.getenv(), this::warn);
        MqttSecurity mqttLogin = mqttSecurity.security(System.getenv(), this::warn);
        PrintWriter out = spec.commandLine().getOut();
        WatchLoop.Summary summary;
        try (StopSignals signals = new StopSignals(() -> stopRequested.set(true));
                MqttTelemetry telemetry = MqttTelemetry.connect(mqtt, mqttLogin)) {
            HealthWatch watch = new HealthWatch(health, settings, telemetry);
            if (opcua != null) {
                summary = watchOpcUa(watch, nodes, layout, opcuaLogin, out, raise, clear);
            } else {
                summary = watchTopic(watch, needAge, mqttLogin, out, raise, clear);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new kiban.core.error.KibanException("interrupted while watching", e);
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

    private WatchLoop.Summary watchOpcUa(HealthWatch watch, NodeMapping nodes, ReadingLayout layout, ClientSecurity opcuaLogin,
            PrintWriter out, double raise, double clear) throws InterruptedException {
        try (OpcUaMachine machine = OpcUaMachine.connect(opcua, nodes, OpcUaMachine.Options.DEFAULT, opcuaLogin)) {
            started(out, nodes.name() + " at " + opcua, raise, clear);
            return WatchLoop.run(machine, layout, watch, Duration.ofMillis(periodMillis), maxReadings, stopRequested::get);
        }
    }

    /** Readings as messages: each one is fed as it arrives; a bad one is skipped, counted and reported. */
    private WatchLoop.Summary watchTopic(HealthWatch watch, boolean needAge, MqttSecurity login, PrintWriter out, double raise,
            double clear) throws InterruptedException {
        AtomicLong taken = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        try (MqttSubscription subscription = MqttSubscription.open(mqtt, readingsTopic, login, Duration.ofSeconds(5), (topic, text) -> {
            long n = taken.get() + skipped.get() + 1;
            try {
                CellReading r = ReadingMessages.parse(text, "MQTT " + topic + " message " + n, needAge);
                synchronized (watch) {
                    if (maxReadings == 0 || taken.get() < maxReadings) {
                        watch.accept(r);
                        taken.incrementAndGet();
                    }
                }
            } catch (kiban.core.error.InvalidInputException e) {
                if (skipped.incrementAndGet() <= 10) {
                    warn("skipped a reading: " + e.getMessage());
                }
            }
        })) {
            started(out, "MQTT topic " + subscription.topic(), raise, clear);
            while (!stopRequested.get() && (maxReadings == 0 || taken.get() < maxReadings)) {
                Thread.sleep(20);
            }
        }
        synchronized (watch) {
            return new WatchLoop.Summary(taken.get(), skipped.get(), watch.alarmsRaised(), watch.maintenanceRequests());
        }
    }

    private void started(PrintWriter out, String what, double raise, double clear) {
        if (!json) {
            out.printf("Watching %s; publishing to %s; alarm at %s, cleared below %s. Press Ctrl-C to stop.%n", what, mqtt,
                    Text.number(raise), Text.number(clear));
            out.flush();
        }
    }

    private void warn(String message) {
        spec.commandLine().getErr().println("kiban health watch: warning: " + message);
    }
}
