package kiban.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import kiban.client.ClientOptions;
import kiban.client.RemotePolicy;
import kiban.connect.mqtt.MqttSecurity;
import kiban.connect.mqtt.MqttTelemetry;
import kiban.connect.opcua.NodeMapping;
import kiban.connect.opcua.OpcUaMachine;
import kiban.connect.opcua.security.ClientSecurity;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.machine.Machine;
import kiban.core.machine.Telemetry;
import kiban.core.policy.ChunkExecutor;
import kiban.core.policy.InstructedPolicy;
import kiban.core.policy.GuidanceMask;
import kiban.core.policy.Policy;
import kiban.policy.run.Policies;
import kiban.runtime.loop.ChunkQueue;
import kiban.runtime.loop.ControlLoop;
import kiban.runtime.loop.CycleListener;
import kiban.runtime.loop.LoopConfig;
import kiban.runtime.loop.LoopReport;
import kiban.runtime.record.DeploymentRecorder;
import kiban.runtime.shield.Intervention;
import kiban.runtime.shield.InterventionLog;
import kiban.runtime.shield.SafetyShield;
import kiban.runtime.sim.ArmForwardModel;
import kiban.runtime.sim.ExpertFallback;
import kiban.runtime.sim.SimMachine;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.EnvTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kiban run}: a policy driving a machine through the runtime's fixed-rate loop and safety
 * shield. The machine is a simulator ({@code --env}) or a machine behind OPC UA ({@code --opcua});
 * the policy a checkpoint loaded here or a policy server ({@code --server}); telemetry optionally
 * goes to MQTT ({@code --mqtt}).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Drive a machine (a simulator or an OPC UA machine) with a policy (local or served) at a fixed rate through the safety shield; "
                + "print loop statistics, interventions and the machine's metrics.")
final class RunCommand implements Callable<Integer> {

    /** Interventions listed in the report. */
    static final int LOGGED_INTERVENTIONS = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "RUN", description = "A training run folder (kiban train --out) or a TorchScript policy folder.")
    Path checkpoint;

    @Option(names = "--server", paramLabel = "URL", description = "A policy server (kiban serve, or any openpi-compatible one): ws://host:port.")
    String server;

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "The policy server's API key, in a file.")
    Path apiKeyFile;

    @Option(names = "--allow-plaintext", description = "Send the API key over ws:// to another machine (clear text; "
            + "by default it goes only over wss:// or to this machine).")
    boolean allowPlaintext;

    @Option(names = "--env", description = "Simulator to drive (see 'kiban sim list').")
    String env;

    @Option(names = "--embodiment", paramLabel = "NAME", description = "Which embodiment of a foundation policy drives the "
            + "machine (default: the one trained on --env's data, or the machine's embodiment).")
    String embodiment;

    @Option(names = "--opcua", paramLabel = "URL", description = "A machine behind OPC UA: opc.tcp://host:port[/path]; needs --mapping.")
    String opcua;

    @Option(names = "--mapping", paramLabel = "FILE", description = "Which OPC UA node carries each feature (see docs/CONNECT.md).")
    Path mapping;

    @Option(names = "--mqtt", paramLabel = "URL", description = "Publish telemetry (loop statistics, interventions) to "
            + "mqtt://host[:port][/prefix], or mqtts:// for TLS.")
    String mqtt;

    @Mixin
    OpcUaClientOptions opcuaSecurity;

    @Mixin
    MqttOptions mqttSecurity;

    @Option(names = "--hz", description = "Control rate, " + LoopConfig.MIN_HZ + "-" + (int) LoopConfig.MAX_HZ
            + " Hz of wall-clock time (default: the machine's control rate, from its env or embodiment).")
    Double hz;

    @Option(names = "--stale-after", paramLabel = "PERIODS", defaultValue = "3",
            description = "A reading older than this many control periods counts as lost: a stale intervention, a hold, then "
                    + "the watchdog's stop (" + (int) LoopConfig.MIN_STALE_AFTER + "-" + (int) LoopConfig.MAX_STALE_AFTER
                    + "; default: ${DEFAULT-VALUE}).")
    double staleAfter;

    @Option(names = "--max-failed-commands", paramLabel = "N", defaultValue = "3",
            description = "Stop the machine and end the run after N commands in a row failed to reach it or were refused "
                    + "(1-" + LoopConfig.MAX_MAX_FAILED_COMMANDS + "; default: ${DEFAULT-VALUE}).")
    int maxFailedCommands;

    @Option(names = "--on-record-failure", paramLabel = "warn|stop", defaultValue = "warn",
            description = "When the recording fails (a full disk): warn and drive on, or stop the machine and end the run "
                    + "(default: ${DEFAULT-VALUE}).")
    String onRecordFailure;

    @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS", description = "How long to run (default: ${DEFAULT-VALUE} s).")
    double duration;

    @Option(names = "--record", paramLabel = "DIR", description = "Record the deployment as LeRobot episodes into DIR (appends when DIR holds one).")
    Path record;

    @Option(names = "--seed", defaultValue = "100000", description = "Seed of the simulator's first episode (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--task", paramLabel = "NAME", description = "The task every episode of the simulator poses (default: "
            + "the env's first; 'kiban sim list' names them).")
    String task;

    @Option(names = "--instruction", paramLabel = "TEXT", description = "The instruction the policy is given with every "
            + "observation, as openpi's prompt (default: the simulator task's, where the env poses several; else none).")
    String instruction;

    @Option(names = "--execution", defaultValue = "chunks",
            description = "chunks (a new chunk every action-steps cycles, cross-faded in; crossfade is the same), ensemble (a chunk every cycle, "
                    + "ACT's temporal ensembling) or rtc (real-time chunking, flow and diffusion policies: a new chunk every action-steps "
                    + "cycles, sampled to continue the rows that run while it is inferred, and switched to without a "
                    + "cross-fade) (default: ${DEFAULT-VALUE}).")
    String execution;

    @Option(names = "--rtc-mask", paramLabel = "hard|soft", defaultValue = "hard", description = "Which rows of the running "
            + "chunk guide the next with --execution rtc: hard (only the rows that run while it is inferred, frozen) or soft "
            + "(those, then the rest of the running chunk with weights that fall exponentially, as the RTC paper's soft mask) "
            + "(default: ${DEFAULT-VALUE}).")
    String rtcMask;

    @Option(names = "--fallback", paramLabel = "POLICY",
            description = "A scripted policy of the simulator (expert, random, or a baseline it offers) that takes over while the "
                    + "learned policy has no fresh or finite command, instead of a stop.")
    String fallback;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    private GuidanceMask mask = GuidanceMask.HARD;

    @Override
    public Integer call() {
        if ((checkpoint == null) == (server == null)) {
            throw new ParameterException(spec.commandLine(), "give the policy: --checkpoint RUN or --server URL (one of them)");
        }
        if ((env == null) == (opcua == null)) {
            throw new ParameterException(spec.commandLine(), "give the machine: --env NAME or --opcua URL --mapping FILE (one of them)");
        }
        if ((opcua == null) != (mapping == null)) {
            throw new ParameterException(spec.commandLine(), "--opcua and --mapping go together");
        }
        opcuaSecurity.requireMachine(opcua != null);
        mqttSecurity.requireBroker(mqtt != null);
        if (fallback != null && env == null) {
            throw new ParameterException(spec.commandLine(), "--fallback needs a simulator (--env): it names one of its scripted policies");
        }
        if (task != null && env == null) {
            throw new ParameterException(spec.commandLine(), "--task needs a simulator (--env): it names one of its tasks");
        }
        InstructionOption.check(spec, instruction);
        if (apiKeyFile != null && server == null) {
            throw new ParameterException(spec.commandLine(), "--api-key-file goes with --server");
        }
        if (!(duration > 0) || !Double.isFinite(duration)) {
            throw new ParameterException(spec.commandLine(), "--duration must be a positive number of seconds, got " + duration);
        }
        if (hz != null && !(hz >= LoopConfig.MIN_HZ && hz <= LoopConfig.MAX_HZ)) {
            throw new ParameterException(spec.commandLine(), "--hz must lie in " + LoopConfig.MIN_HZ + "-"
                    + (int) LoopConfig.MAX_HZ + ", got " + hz);
        }
        if (!(staleAfter >= LoopConfig.MIN_STALE_AFTER && staleAfter <= LoopConfig.MAX_STALE_AFTER)) {
            throw new ParameterException(spec.commandLine(), "--stale-after must lie in " + (int) LoopConfig.MIN_STALE_AFTER + "-"
                    + (int) LoopConfig.MAX_STALE_AFTER + " control periods, got " + staleAfter);
        }
        if (maxFailedCommands < 1 || maxFailedCommands > LoopConfig.MAX_MAX_FAILED_COMMANDS) {
            throw new ParameterException(spec.commandLine(), "--max-failed-commands must lie in 1-" + LoopConfig.MAX_MAX_FAILED_COMMANDS
                    + ", got " + maxFailedCommands);
        }
        LoopConfig.OnFailure recordFailure = LoopConfig.OnFailure.parse(onRecordFailure, "--on-record-failure");
        if (record == null && spec.commandLine().getParseResult().hasMatchedOption("--on-record-failure")) {
            throw new ParameterException(spec.commandLine(), "--on-record-failure goes with --record");
        }
        ChunkExecutor.Mode mode = ChunkExecutor.Mode.parse(execution);
        mask = GuidanceMask.parse(rtcMask);
        if (mask != GuidanceMask.HARD && mode != ChunkExecutor.Mode.RTC) {
            throw new ParameterException(spec.commandLine(), "--rtc-mask applies to --execution rtc");
        }
        try (StopOnSignal signal = new StopOnSignal()) {
            drive(mode, recordFailure, signal);
            return signal.signalled() ? signal.exitCode() : 0;
        }
    }

    /** Opens the machine, the policy and the telemetry, runs the loop, and prints what it did and what it kept. */
    private void drive(ChunkExecutor.Mode mode, LoopConfig.OnFailure recordFailure, StopOnSignal signal) {
        LoopReport report;
        DeploymentRecorder recorder = null;
        KibanException recordingError = null;
        List<Intervention> kept;
        // Every file and secret the command names is read before the first connection, so that a bad one is
        // reported as such, not after a broker or a machine has been reached (or has failed to answer).
        Inputs inputs = readInputs();
        try (Telemetry telemetry = openTelemetry(inputs.mqtt()); Target target = openMachine(inputs);
                Policy policy = instructed(openPolicy(inputs.apiKey(), target), target)) {
            checkExecution(mode, policy);
            Machine machine = target.machine();
            EmbodimentSpec embodiment = target.embodiment();
            // by default the machine's own rate: a simulator's env rate, a real machine's embodiment rate
            double rate = hz != null ? hz : target.sim() != null ? target.provider().spec().controlHz() : embodiment.controlHz();
            InterventionLog log = new InterventionLog(LOGGED_INTERVENTIONS, telemetry);
            LoopConfig config = LoopConfig.of(rate, duration, blend(mode),
                    mode == ChunkExecutor.Mode.ENSEMBLE ? 1 : policy.metadata().actionSteps())
                    .withStaleAfter(staleAfter).withMaxFailedCommands(maxFailedCommands).withOnRecordFailure(recordFailure)
                    .withRtcMask(mask);
            if (machine instanceof OpcUaMachine opc) {
                warnIfStaleTooSoon(opc.restRefresh(), config);
            }
            // A simulated command advances the env by its own period; a real machine's by the loop's.
            double dt = target.sim() != null ? target.sim().commandPeriodSeconds() : 1 / rate;
            SafetyShield.Builder shield = SafetyShield.builder(machine.actionFeatures(), machine.observationFeatures(),
                    embodiment.safety()).setDt(dt).optListener(log);
            ArmForwardModel.forEmbodiment(embodiment.name()).forEach(shield::optForwardModel);
            if (fallback != null) {
                shield.optFallback(new ExpertFallback(target.provider().policy(fallback).apply(target.sim().env()), target.sim()));
            }
            List<CycleListener> listeners = new ArrayList<>();
            if (record != null) {
                recorder = openRecorder(target, rate);
                listeners.add(recorder);
            }
            try {
                SafetyShield s = shield.build();
                for (String rule : s.inactiveRules()) {
                    spec.commandLine().getErr().println("kiban run: warning: not enforced: " + rule);
                }
                ControlLoop loop = new ControlLoop(machine, policy, s, config, listeners, telemetry, System.err);
                spec.commandLine().getErr().printf("kiban run: driving %s at %s Hz for %s s; Ctrl-C stops it%s%n", target.name(),
                        Text.number(rate), Text.number(duration), recorder == null ? "" : " and keeps what was recorded");
                spec.commandLine().getErr().flush();
                signal.watch(loop);
                report = loop.run();
            } finally {
                if (recorder != null) {
                    try {
                        recorder.close();
                    } catch (KibanException e) {
                        recordingError = e; // reported after the summary, which says what was kept
                    }
                }
            }
            kept = log.kept();
            // Dashboards get the same figures the command prints.
            telemetry.publish("summary", Json.MAPPER.convertValue(toJson(report, mask, kept, recorder, recordingError), Map.class));
        }
        print(spec.commandLine().getOut(), report, kept, recorder, recordingError);
        spec.commandLine().getOut().flush();
        if (recordingError != null) {
            throw recordingError;
        }
        if (report.stoppedEarly() && !signal.signalled()) {
            throw new ExitException("the run stopped after " + report.cycles() + " cycles: " + report.stopReason(),
                    ErrorHandler.EXIT_FAILURE);
        }
    }

    /** How the loop executes chunks for {@code mode}. */
    static ChunkQueue.Blend blend(ChunkExecutor.Mode mode) {
        return switch (mode) {
            case CHUNKS, CROSSFADE -> ChunkQueue.Blend.CROSSFADE;
            case ENSEMBLE -> ChunkQueue.Blend.ENSEMBLE;
            case RTC -> ChunkQueue.Blend.CONTINUE;
        };
    }

    /** The {@code --execution} name of the loop's {@code blend}. */
    static String execution(ChunkQueue.Blend blend) {
        return switch (blend) {
            case CROSSFADE -> ChunkExecutor.Mode.CHUNKS.wireName();
            case ENSEMBLE -> ChunkExecutor.Mode.ENSEMBLE.wireName();
            case CONTINUE -> ChunkExecutor.Mode.RTC.wireName();
        };
    }

    /** Refuses rtc, before anything moves, for a policy that cannot continue a chunk from frozen rows. */
    private void checkExecution(ChunkExecutor.Mode mode, Policy policy) {
        if (mode != ChunkExecutor.Mode.RTC || policy.continuesChunks()) {
            return;
        }
        String why = server != null
                ? "a served policy cannot continue a chunk from frozen rows (the openpi protocol has no frozen rows); load the "
                        + policy.metadata().type() + " checkpoint with --checkpoint, or use --execution chunks"
                : "a " + policy.metadata().type() + " policy cannot continue a chunk from frozen rows; use --execution chunks";
        throw new ParameterException(spec.commandLine(), "--execution rtc needs a policy that samples its chunks (flow or diffusion): " + why);
    }

    /**
     * The machine of this run and what the loop must know about it: its embodiment, and for a
     * simulator the env behind it (its provider for fallbacks and recording metadata).
     */
    private record Target(Machine machine, EmbodimentSpec embodiment, String name, String description,
            EnvProvider provider, SimMachine sim) implements AutoCloseable {

        @Override
        public void close() {
            machine.close();
        }
    }

    /** What the options name on disk and in the environment, read and checked (null where an option is not given). */
    private record Inputs(NodeMapping nodes, ClientSecurity opcua, MqttSecurity mqtt, String apiKey) {}

    private Inputs readInputs() {
        return new Inputs(opcua == null ? null : NodeMapping.load(mapping),
                opcua == null ? null : opcuaSecurity.security(System.getenv(), this::warn),
                mqtt == null ? null : mqttSecurity.security(System.getenv(), this::warn),
                apiKeyFile == null ? null : ServeCommand.secret(apiKeyFile, "--api-key-file"));
    }

    private Target openMachine(Inputs inputs) {
        if (opcua != null) {
            NodeMapping nodes = inputs.nodes();
            OpcUaMachine machine = OpcUaMachine.connect(opcua, nodes, OpcUaMachine.Options.DEFAULT, inputs.opcua());
            return new Target(machine, nodes.embodiment(), nodes.name(), "OPC UA machine at " + opcua, null, null);
        }
        EnvProvider provider = EnvRegistry.load().get(env);
        EnvTask posed = task == null ? provider.spec().defaultTask() : provider.spec().task(task);
        SimMachine machine = new SimMachine(provider.create(EnvConfig.DEFAULT), seed, posed);
        return new Target(machine, provider.spec().embodiment(), provider.name(), provider.spec().description(), provider, machine);
    }

    /** The policy given {@code --instruction}, or the simulator task's instruction where the env poses several. */
    private Policy instructed(Policy policy, Target target) {
        String text = instruction;
        if (text == null && target.sim() != null && target.provider().spec().instructs()) {
            text = target.sim().task().instruction();
        }
        return text == null ? policy : new InstructedPolicy(policy, text);
    }

    private Policy openPolicy(String apiKey, Target target) {
        if (server == null) {
            String key = embodiment != null ? embodiment : env != null ? env : target.embodiment().name();
            Policy p = Policies.load(checkpoint, java.util.Optional.of(key));
            if (!p.metadata().images().isEmpty()) {
                // Machines report state vectors; the control loop has no camera to feed such a policy yet.
                p.close();
                throw new KibanException(checkpoint + ": the policy reads camera images "
                        + p.metadata().images().stream().map(kiban.core.policy.ImageSpec::name).toList()
                        + ", but kiban run feeds policies the machine's state only; evaluate it with kiban eval");
            }
            return p;
        }
        URI uri;
        try {
            uri = URI.create(server);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--server", "", "a ws:// or wss:// URL", "'" + server + "'");
        }
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
            throw new InvalidInputException("--server", "", "a ws:// or wss:// URL", "'" + server + "'");
        }
        ClientOptions options = ClientOptions.defaults().withAllowPlaintextKey(allowPlaintext);
        if (apiKey != null) {
            options = options.withApiKey(apiKey);
        }
        // A server of several embodiments serves the one a local checkpoint would; a server of one policy serves that.
        String key = embodiment != null ? embodiment : env != null ? env : target.embodiment().name();
        return RemotePolicy.connect(uri, options, key);
    }

    private Telemetry openTelemetry(MqttSecurity security) {
        return mqtt == null ? Telemetry.none() : MqttTelemetry.connect(mqtt, security);
    }

    /**
     * A stale limit shorter than the server's refresh of a machine at rest (and half again for the
     * ticks' jitter: 89-118 ms measured for Milo's 100 ms) calls every quiet stretch stale and stops
     * a healthy machine: say so, and what to pass instead.
     */
    private void warnIfStaleTooSoon(java.time.Duration refresh, LoopConfig config) {
        long needed = refresh.toNanos() * 3 / 2;
        if (config.staleAfterNanos() >= needed) {
            return;
        }
        long periods = (needed + config.periodNanos() - 1) / config.periodNanos();
        warn("the OPC UA server refreshes a machine at rest only every " + Text.number(refresh.toNanos() / 1e6) + " ms, and --stale-after "
                + Text.number(config.staleAfter()) + " periods at " + Text.number(config.hz()) + " Hz is "
                + Text.number(config.staleAfterNanos() / 1e6) + " ms: readings that do not change will count as stale and stop "
                + "the machine; pass --stale-after " + periods + " or more");
    }

    private void warn(String message) {
        spec.commandLine().getErr().println("kiban run: warning: " + message);
    }

    private DeploymentRecorder openRecorder(Target target, double rate) {
        // A simulated cycle is one env step, so its recording keeps the env's clock; a real machine's, the loop's.
        double fps = target.sim() != null ? target.provider().spec().controlHz() : rate;
        if (Math.abs(fps - Math.round(fps)) > 1e-9) {
            throw new ParameterException(spec.commandLine(), target.name() + " runs at " + fps
                    + " Hz; LeRobot recordings need a whole number of frames per second");
        }
        return new DeploymentRecorder(record, (int) Math.round(fps), target.name(), target.embodiment().name(),
                target.machine().observationFeatures(), target.machine().actionFeatures(), target.description(),
                (int) Math.round(fps * 60));
    }

    static ObjectNode toJson(LoopReport r, GuidanceMask mask, List<Intervention> log, DeploymentRecorder recorder, KibanException recordingError) {
        ObjectNode o = Json.object();
        o.put("machine", r.machine());
        o.put("execution", execution(r.blend()));
        o.put("hz", r.hz());
        o.put("seconds", r.seconds());
        o.put("cycles", r.cycles());
        if (r.stoppedEarly()) {
            o.put("stopped", r.stopReason());
        }
        o.put("skipped", r.skipped());
        o.put("overruns", r.overruns());
        o.put("warnings", r.warnings());
        o.set("lateness_ms", percentiles(r.lateness()));
        o.set("cycle_time_ms", percentiles(r.cycleTime()));
        ObjectNode inf = o.putObject("inference");
        inf.put("calls", r.inferences());
        inf.put("failures", r.inferenceFailures());
        if (!r.firstFailure().isEmpty()) {
            inf.put("first_failure", r.firstFailure());
        }
        inf.set("latency_ms", percentiles(r.inferenceTime()));
        inf.put("chunks", r.chunks());
        inf.put("expired_actions", r.expiredActions());
        if (r.blend() == ChunkQueue.Blend.CONTINUE) {
            inf.put("rtc_switches", r.switches());
            inf.put("rtc_late_switches", r.lateSwitches());
            inf.put("rtc_mask", mask.wireName());
        }
        o.put("no_command_cycles", r.noCommand());
        ObjectNode iv = o.putObject("interventions");
        r.interventions().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> iv.put(e.getKey(), e.getValue()));
        o.put("interventions_total", r.interventions().values().stream().mapToLong(Long::longValue).sum());
        ArrayNode first = o.putArray("intervention_log");
        for (Intervention i : log) {
            ObjectNode n = first.addObject();
            n.put("cycle", i.cycle());
            n.put("reason", i.reason().wireName());
            n.put("detail", i.detail());
            n.set("before", vector(i.before()));
            n.set("after", vector(i.after()));
        }
        ArrayNode inactive = o.putArray("not_enforced");
        r.inactiveRules().forEach(inactive::add);
        ObjectNode metrics = o.putObject("metrics");
        r.machineMetrics().forEach((k, v) -> {
            if (Double.isFinite(v)) {
                metrics.put(k, v);
            } else {
                metrics.putNull(k);
            }
        });
        if (recorder != null) {
            ObjectNode rec = o.putObject("recording");
            rec.put("dir", recorder.root().toString());
            rec.put("frames", recorder.frames());
            rec.put("episodes", recorder.episodes());
            rec.put("dropped_frames", recorder.dropped());
            rec.put("lost_frames", recorder.lost());
            if (recordingError != null) {
                rec.put("error", recordingError.getMessage());
            }
        }
        o.putArray("jvm_flags").addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .map(com.fasterxml.jackson.databind.node.TextNode::valueOf).toList());
        return o;
    }

    private static ArrayNode vector(double[] v) {
        ArrayNode a = Json.array();
        if (v != null) {
            for (double x : v) {
                Json.addNumber(a, x);
            }
        }
        return a;
    }

    static ObjectNode percentiles(LoopReport.Percentiles p) {
        ObjectNode o = Json.object();
        o.put("p50", p.p50() / 1e6);
        o.put("p99", p.p99() / 1e6);
        o.put("p99_9", p.p999() / 1e6);
        o.put("max", p.max() / 1e6);
        return o;
    }

    private void print(PrintWriter out, LoopReport r, List<Intervention> log, DeploymentRecorder recorder, KibanException recordingError) {
        if (json) {
            out.println(Json.pretty(toJson(r, mask, log, recorder, recordingError)));
            return;
        }
        out.printf("%s at %s Hz for %.1f s%n", r.machine(), Text.number(r.hz()), r.seconds());
        if (r.stoppedEarly()) {
            out.printf("  stopped        %s%n", r.stopReason());
        }
        out.printf("  cycles         %d (skipped %d, overruns %d, warnings %d)%n", r.cycles(), r.skipped(), r.overruns(), r.warnings());
        out.printf("  lateness       %s%n", text(r.lateness()));
        out.printf("  cycle time     %s%n", text(r.cycleTime()));
        out.printf("  inference      %d calls (%d failed), %s; %d chunks, %d actions expired during inference%n",
                r.inferences(), r.inferenceFailures(), text(r.inferenceTime()), r.chunks(), r.expiredActions());
        if (r.blend() == ChunkQueue.Blend.CONTINUE) {
            out.printf("  rtc            %d chunks continued the last, %d late (inference outlasted the frozen rows); %s mask%n",
                    r.switches(), r.lateSwitches(), mask.wireName());
        }
        out.printf("  no command     %d cycles%n", r.noCommand());
        out.printf("  interventions  %s%n", r.interventions().isEmpty() ? "none"
                : String.join(", ", r.interventions().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + " " + e.getValue()).toList()));
        for (int i = 0; i < Math.min(5, log.size()); i++) {
            out.printf("    %s%n", log.get(i));
        }
        r.machineMetrics().forEach((k, v) -> out.printf("  %-14s %s%n", k.replace('_', ' '), Double.isFinite(v) ? Text.number(v) : "none"));
        if (recorder != null) {
            out.printf("  recorded       %s in %s kept in %s (%d dropped, %d lost)%n", Text.count(recorder.frames(), "frame"),
                    Text.count(recorder.episodes(), "episode"), recorder.root().toAbsolutePath(), recorder.dropped(), recorder.lost());
        }
    }

    private static String text(LoopReport.Percentiles p) {
        return String.format("p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms", p.p50() / 1e6, p.p99() / 1e6,
                p.p999() / 1e6, p.max() / 1e6);
    }
}
