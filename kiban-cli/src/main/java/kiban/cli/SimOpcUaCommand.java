package kiban.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import kiban.connect.opcua.SimOpcUaServer;
import kiban.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban sim opcua}: serve a simulator as an OPC UA machine, to try the runtime without one. */
@Command(name = "opcua", mixinStandardHelpOptions = true,
        description = "Serve a simulator as an OPC UA machine (Eclipse Milo, security None) until interrupted.")
final class SimOpcUaCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--env", defaultValue = "factory-cell", description = "Simulator name (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--host", defaultValue = "localhost", description = "Address to bind and advertise (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "4840", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--step-hz", defaultValue = "0", description = "Simulation steps per second; 0 = the env's control rate (default: ${DEFAULT-VALUE}).")
    double stepHz;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the first episode (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mapping-out", description = "Write the node mapping file for this machine here.")
    Path mappingOut;

    @Option(names = "--duration", defaultValue = "0", description = "Stop after this many seconds; 0 = run until interrupted (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--json", description = "Print the endpoint as a JSON object at start, and the step count at the end.")
    boolean json;

    @Override
    public void run() {
        if (!(duration >= 0)) {
            throw new ParameterException(spec.commandLine(), "--duration must be >= 0 seconds, got " + duration);
        }
        PrintWriter out = spec.commandLine().getOut();
        SimOpcUaServer.Config config = new SimOpcUaServer.Config(env, host, port, seed, stepHz);
        try (SimOpcUaServer server = SimOpcUaServer.start(config)) {
            if (mappingOut != null) {
                write(mappingOut, server.mappingYaml());
            }
            double hz = stepHz > 0 ? stepHz : server.spec().controlHz();
            if (json) {
                ObjectNode o = Json.object();
                o.put("endpoint", server.endpointUrl());
                o.put("env", env);
                o.put("step_hz", hz);
                o.put("namespace", SimOpcUaServer.NAMESPACE_URI);
                if (mappingOut != null) {
                    o.put("mapping", mappingOut.toString());
                }
                out.println(Json.compact(o));
            } else {
                out.printf("Serving %s at %s (%s steps/s)%n", env, server.endpointUrl(), Text.number(hz));
                out.println(mappingOut != null ? "Node mapping written to " + mappingOut
                        : "Node mapping: kiban sim opcua --env " + env + " --mapping-out FILE, or examples/opcua/");
                out.println("Press Ctrl-C to stop.");
            }
            out.flush();
            await();
            if (json) {
                out.println(Json.compact(Json.object().put("steps", server.steps()).put("errors", server.errors())));
            } else {
                out.printf("Stopped after %d steps.%n", server.steps());
            }
        }
    }

    private void await() {
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (duration > 0) {
                Thread.sleep(Math.round(duration * 1000));
            } else {
                stop.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
        }
    }

    private static void write(Path file, String text) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
