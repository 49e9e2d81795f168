package kiban.connect.opcua;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.text.Suggest;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.StepResult;
import kiban.connect.opcua.security.Pki;
import kiban.connect.opcua.security.ServerSecurity;
import kiban.connect.opcua.security.ServerSetup;
import kiban.connect.opcua.security.TrustFolder;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigBuilder;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * A real OPC UA server (Eclipse Milo, in-process) that serves one of Kiban's simulated envs as a
 * machine, so the runtime can be tried without one. The env steps on its own clock at
 * {@link Config#stepHz()}, applying the newest set points a client wrote; an episode that ends is
 * followed by a fresh one. While the e-stop variable is true the machine stands still.
 *
 * <p>Node ids, in namespace {@value #NAMESPACE_URI} (index 2): {@code ENV/state/FEATURE} (read
 * only), {@code ENV/setpoint/FEATURE} (writable), {@code ENV/emergency_stop} (Boolean, writable), {@code ENV/operator_control} (Boolean, writable: an
 * operator has taken the machine over),
 * {@code ENV/steps}, {@code ENV/episodes} and {@code ENV/metrics/NAME} (the env's figures of the
 * episode so far, such as {@code oee}); a feature of several elements gets {@code FEATURE/i}.
 * {@link #mappingYaml()} writes the matching {@link NodeMapping}.
 */
public final class SimOpcUaServer implements AutoCloseable {

    public static final String NAMESPACE_URI = "urn:kiban:sim";
    /** The namespace index of {@value #NAMESPACE_URI}: Milo puts the first added namespace after the server's own. */
    public static final int NAMESPACE_INDEX = 2;

    /**
     * How to run the simulated machine.
     *
     * @param env    the env's registry name, such as {@code factory-cell}
     * @param host   the address to bind and advertise
     * @param port   the TCP port; 0 picks a free one
     * @param seed   the first episode's seed (the n-th episode uses seed + n)
     * @param stepHz simulation steps per second of wall time; 0 means the env's control rate
     * @param security the endpoints, certificate and logins offered; {@link ServerSecurity#NONE} by default
     */
    public record Config(String env, String host, int port, long seed, double stepHz, ServerSecurity security) {

        public Config {
            if (env == null || env.isBlank()) {
                throw new InvalidInputException("--env", "", "an env name", String.valueOf(env));
            }
            if (host == null || host.isBlank()) {
                throw new InvalidInputException("--host", "", "a host name or address", String.valueOf(host));
            }
            if (port < 0 || port > 65535) {
                throw new InvalidInputException("--port", "", "a TCP port in [0, 65535]", String.valueOf(port));
            }
            if (!(stepHz >= 0 && stepHz <= 1000)) {
                throw new InvalidInputException("--step-hz", "", "a rate in [0, 1000] steps per second",
                        String.valueOf(stepHz));
            }
            if (security == null) {
                throw new IllegalArgumentException("security: use ServerSecurity.NONE for none");
            }
        }

        /** Policy None, anonymous. */
        public Config(String env, String host, int port, long seed, double stepHz) {
            this(env, host, port, seed, stepHz, ServerSecurity.NONE);
        }

        public static Config of(String env) {
            return new Config(env, "localhost", 0, 0, 0);
        }

        public Config withPort(int p) {
            return new Config(env, host, p, seed, stepHz, security);
        }

        public Config withStepHz(double hz) {
            return new Config(env, host, port, seed, hz, security);
        }

        public Config withSeed(long s) {
            return new Config(env, host, port, s, stepHz, security);
        }

        public Config withSecurity(ServerSecurity s) {
            return new Config(env, host, port, seed, stepHz, s);
        }
    }

    private final Config config;
    private final EnvSpec spec;
    private final Env env;
    private final int port;
    private final double stepHz;
    private final ServerSetup setup;
    private final OpcUaServer server;
    private final SimNamespace namespace;
    private final ScheduledExecutorService clock;
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile long episodes;
    private volatile double[] state;
    private volatile double[] lastAction;
    private volatile String lastError;
    private final List<String> metricNames;

    private SimOpcUaServer(Config config) {
        this.config = config;
        EnvRegistry registry = EnvRegistry.load();
        if (!registry.names().contains(config.env())) {
            throw new InvalidInputException("--env", "",
                    "one of " + String.join(", ", registry.names()) + Suggest.didYouMean(config.env(), registry.names()),
                    "'" + config.env() + "'");
        }
        this.env = registry.get(config.env()).create(EnvConfig.DEFAULT);
        this.spec = env.spec();
        this.stepHz = config.stepHz() > 0 ? config.stepHz() : spec.controlHz();
        this.state = env.reset(config.seed()).state();
        this.lastAction = initialSetpoints(spec, state);
        this.port = config.port() > 0 ? config.port() : freePort(config.host());
        this.setup = openSetup(config, env);
        this.server = new OpcUaServer(serverConfig(config.host(), port, setup), profile -> {
            if (profile != TransportProfile.TCP_UASC_UABINARY) {
                throw new IllegalArgumentException("unsupported transport " + profile);
            }
            return new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build());
        });
        this.metricNames = List.copyOf(new java.util.TreeSet<>(env.episodeMetrics().keySet()));
        this.namespace = new SimNamespace(server, spec.name(), spec.observation(), spec.action(), state, lastAction,
                metricNames);
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiban-sim-opcua-" + spec.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the server and the simulation clock; fails with a clear message if the port is taken. */
    public static SimOpcUaServer start(Config config) {
        SimOpcUaServer s = new SimOpcUaServer(config);
        try {
            // Milo would log the bind failure with a stack trace and then say only "No endpoints bound".
            requireFree(config.host(), s.port);
            s.namespace.startup();
            s.server.startup().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            s.release();
            throw new KibanException("cannot start the OPC UA server on " + config.host() + ":" + s.port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            s.release();
            Thread.currentThread().interrupt();
            throw new KibanException("interrupted while starting the OPC UA server", e);
        } catch (RuntimeException e) {
            s.release();
            throw e;
        }
        s.namespace.publish(s.state, 0, 0);
        s.namespace.publishMetrics(s.env.episodeMetrics());
        long periodNanos = Math.round(1e9 / s.stepHz);
        s.clock.scheduleAtFixedRate(s::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return s;
    }

    /** One simulation step with the newest set points; never throws, or the clock would stop. */
    private void tick() {
        try {
            if (namespace.emergencyStop()) {
                return;
            }
            double[] action = namespace.setpoints();
            for (int i = 0; i < action.length; i++) {
                if (!Double.isFinite(action[i])) {
                    action[i] = lastAction[i]; // a client wrote garbage: the drive keeps its last set point
                }
            }
            StepResult r = env.step(action);
            lastAction = action;
            double[] s = r.observation().state();
            namespace.publishMetrics(env.episodeMetrics());
            if (r.done()) {
                episodes++;
                s = env.reset(config.seed() + episodes).state();
            }
            state = s;
            namespace.publish(s, steps.incrementAndGet(), episodes);
        } catch (RuntimeException e) {
            errors.incrementAndGet();
            lastError = e.toString();
        }
    }

    /** The URL clients connect to, such as {@code opc.tcp://localhost:4840/kiban}. */
    public String endpointUrl() {
        return "opc.tcp://" + config.host() + ":" + port + "/kiban";
    }

    public int port() {
        return port;
    }

    public EnvSpec spec() {
        return spec;
    }

    /** Simulation steps taken so far. */
    public long steps() {
        return steps.get();
    }

    /** The observation after the newest step. */
    public double[] state() {
        return state.clone();
    }

    /** The set points the newest step applied. */
    public double[] lastAction() {
        return lastAction.clone();
    }

    /** Steps that failed (the error is kept in {@link #lastError()}); 0 in a healthy run. */
    public long errors() {
        return errors.get();
    }

    public String lastError() {
        return lastError;
    }

    /** Presses or releases the e-stop, as an operator at the machine would. */
    public void setEmergencyStop(boolean pressed) {
        namespace.setEmergencyStop(pressed);
    }

    /**
     * An operator at the machine takes it over and sets {@code setpoints} (as from an HMI), or hands it
     * back ({@code active} false, {@code setpoints} null to leave them).
     */
    public void setOperatorControl(boolean active, double[] setpoints) {
        if (setpoints != null && setpoints.length != spec.action().stream().mapToInt(kiban.core.embodiment.FeatureSpec::size).sum()) {
            throw new IllegalArgumentException("set points of " + setpoints.length + " elements for " + spec.name());
        }
        namespace.setOperatorControl(active, setpoints);
    }

    /** A mapping file for this machine: every observation and action feature, and the env's metrics. */
    public String mappingYaml() {
        return SimNodes.mappingYaml(spec, metricNames);
    }

    /** The names of the env's metrics this server publishes. */
    public List<String> metricNames() {
        return metricNames;
    }

    /** The mapping file for the simulated machine serving {@code spec}, without metrics. */
    public static String mappingYaml(EnvSpec spec) {
        return SimNodes.mappingYaml(spec, List.of());
    }

    /**
     * The set points before any client writes: the reset value of the state feature of the same
     * name where there is one (a drive starts at its current speed), else 0 within the limits.
     */
    private static double[] initialSetpoints(EnvSpec spec, double[] state) {
        double[] out = new double[spec.actionDim()];
        int a = 0;
        for (FeatureSpec f : spec.action()) {
            int offset = 0;
            int match = -1;
            for (FeatureSpec s : spec.observation()) {
                if (s.name().equals(f.name()) && s.size() == f.size()) {
                    match = offset;
                }
                offset += s.size();
            }
            for (int i = 0; i < f.size(); i++) {
                double v = match >= 0 ? state[match + i] : 0;
                out[a + i] = Math.max(f.low().get(i), Math.min(f.high().get(i), v));
            }
            a += f.size();
        }
        return out;
    }

    private static ServerSetup openSetup(Config config, Env env) {
        try {
            return ServerSetup.open(config.security(), config.host(), "Kiban simulated machine");
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    private static OpcUaServerConfig serverConfig(String host, int port, ServerSetup setup) {
        OpcUaServerConfigBuilder builder = OpcUaServerConfig.builder()
                .setApplicationUri("urn:kiban:sim:opcua")
                .setProductUri("urn:kiban:sim:opcua")
                .setApplicationName(LocalizedText.english("Kiban simulated machine"));
        setup.configure(builder, host, port, "/kiban");
        return builder.build();
    }

    /** The endpoints, certificate and logins offered. */
    public ServerSecurity security() {
        return config.security();
    }

    /** The server's PKI folder, certificate and trust lists; null when it offers policy None only. */
    public Pki pki() {
        return setup.pki();
    }

    /** Tells {@code listener} of each client certificate, password or user certificate refused (see {@link ServerSetup#onRefusal}). */
    public void onRefusal(java.util.function.Consumer<String> listener) {
        setup.onRefusal(listener);
    }

    /** Where trusted user certificates go, or null without certificate login. */
    public TrustFolder userCertificates() {
        return setup.users();
    }

    private static void requireFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as Netty binds: a closed server's lingering connections do not count
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (BindException e) {
            throw new KibanException("cannot start the OPC UA server: port " + port + " is already in use on " + host
                    + " (choose another with --port, or 0 for any free one)", e);
        } catch (IOException e) {
            throw new KibanException("cannot start the OPC UA server on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** What the constructor acquired, for a start that failed. */
    private void release() {
        env.close();
        setup.close();
    }

    private static int freePort(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on " + host, e);
        }
    }

    /** Stops the clock and the server; the port is free again when this returns. */
    @Override
    public void close() {
        clock.shutdownNow();
        try {
            clock.awaitTermination(5, TimeUnit.SECONDS);
            namespace.shutdown();
            server.shutdown().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new KibanException("OPC UA server did not shut down cleanly: " + e.getMessage(), e);
        } finally {
            env.close();
            setup.close();
        }
    }
}
