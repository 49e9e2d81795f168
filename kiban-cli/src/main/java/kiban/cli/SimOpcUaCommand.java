package kiban.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kiban.connect.opcua.SimOpcUaServer;
import kiban.connect.opcua.security.ChannelSecurity;
import kiban.connect.opcua.security.Pki;
import kiban.connect.opcua.security.ServerSecurity;
import kiban.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban sim opcua}: serve a simulator as an OPC UA machine, to try the runtime without one. */
@Command(name = "opcua", mixinStandardHelpOptions = true,
        description = "Serve a simulator as an OPC UA machine (Eclipse Milo) until interrupted: policy None on loopback, "
                + "signed and encrypted endpoints for trusted clients otherwise (see docs/CONNECT.md).")
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

    @Mixin
    SimOpcUaSecurityOptions securityOptions;

    /** Counted down by Ctrl-C or SIGTERM: the command then prints its final report and returns, exit 0. */
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    @Override
    public void run() {
        if (!(duration >= 0) || !Double.isFinite(duration)) {
            throw new ParameterException(spec.commandLine(), "--duration must be >= 0 seconds, got " + duration);
        }
        PrintWriter out = spec.commandLine().getOut();
        ServerSecurity security = securityOptions.security(host, System.getenv(),
                m -> spec.commandLine().getErr().println("kiban sim opcua: warning: " + m));
        SimOpcUaServer.Config config = new SimOpcUaServer.Config(env, host, port, seed, stepHz, security);
        // A signal only wakes the command: the JVM must not exit before the final line is out.
        try (StopSignals signals = new StopSignals(stopRequested::countDown)) {
            serve(config, out);
        }
    }

    private void serve(SimOpcUaServer.Config config, PrintWriter out) {
        try (SimOpcUaServer server = SimOpcUaServer.start(config)) {
            PrintWriter err = spec.commandLine().getErr();
            server.onRefusal(m -> {
                err.println("kiban sim opcua: " + m);
                err.flush();
            });
            if (mappingOut != null) {
                write(mappingOut, server.mappingYaml());
            }
            double hz = stepHz > 0 ? stepHz : server.spec().controlHz();
            if (json) {
                out.println(Json.compact(startJson(server, hz)));
            } else {
                out.printf("Serving %s at %s (%s steps/s)%n", env, server.endpointUrl(), Text.number(hz));
                printSecurity(out, server);
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
            out.flush();
        }
    }

    private ObjectNode startJson(SimOpcUaServer server, double hz) {
        ObjectNode o = Json.object();
        o.put("endpoint", server.endpointUrl());
        o.put("env", env);
        o.put("step_hz", hz);
        o.put("namespace", SimOpcUaServer.NAMESPACE_URI);
        if (mappingOut != null) {
            o.put("mapping", mappingOut.toString());
        }
        ServerSecurity security = server.security();
        ArrayNode channels = o.putArray("security");
        for (ChannelSecurity c : security.channels()) {
            channels.add(Json.object().put("policy", c.policy().toString()).put("mode", c.mode().toString()));
        }
        ArrayNode logins = o.putArray("logins");
        logins(security).forEach(logins::add);
        Pki pki = server.pki();
        if (pki != null) {
            o.put("pki", pki.root().toString());
            o.put("certificate", pki.certificateFile().toString());
            o.put("thumbprint", pki.thumbprint());
        }
        return o;
    }

    private static void printSecurity(PrintWriter out, SimOpcUaServer server) {
        ServerSecurity security = server.security();
        out.println("Security: " + String.join(", ", security.channels().stream().map(Object::toString).toList())
                + "; logins: " + String.join(", ", logins(security)));
        Pki pki = server.pki();
        if (pki != null) {
            out.println("Certificate: " + pki.certificateFile() + " (SHA-1 " + pki.thumbprint() + "); clients must trust it");
            out.println("Clients not trusted yet are refused and saved in " + pki.peers().rejectedCertificates()
                    + "; to trust one, move its file to " + pki.peers().trustedCertificates());
            if (server.userCertificates() != null) {
                out.println("User certificates are trusted in " + server.userCertificates().trustedCertificates());
            }
        }
    }

    private static java.util.List<String> logins(ServerSecurity security) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (security.anonymous()) {
            out.add("anonymous");
        }
        security.password().ifPresent(p -> out.add("password of user '" + p.user() + "'"));
        if (security.certificateLogin()) {
            out.add("user certificate");
        }
        return out;
    }

    private void await() {
        try {
            if (duration > 0) {
                stopRequested.await(Math.round(duration * 1000), TimeUnit.MILLISECONDS);
            } else {
                stopRequested.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
