package kiban.connect.opcua;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kiban.connect.opcua.security.ClientSecurity;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.embodiment.StopMode;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.machine.Machine;
import kiban.core.machine.MachineReading;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * A {@link Machine} behind an OPC UA server. Sensor nodes are monitored through one subscription,
 * so {@link #read()} only copies the newest values; set points are written asynchronously, at most
 * one write in flight, a newer command replacing one not yet sent. When the link drops, readings say
 * {@code connected=false}, commands are dropped (never queued: a stale set point must not reach the
 * machine after a reconnect), and Milo reconnects on its own; when the server comes back as a new
 * process the subscription is created again.
 */
public final class OpcUaMachine implements Machine {

    /**
     * Connection settings.
     *
     * @param connectTimeout        how long {@link #connect} waits for the server and the first values
     * @param samplingIntervalMillis how often the server samples each sensor node
     * @param publishingIntervalMillis how often the server sends the changes
     */
    public record Options(Duration connectTimeout, double samplingIntervalMillis, double publishingIntervalMillis) {

        public static final Options DEFAULT = new Options(Duration.ofSeconds(10), 10, 10);

        public Options {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new InvalidInputException("opcua options", "connect_timeout", "a positive duration",
                        connectTimeout.toString());
            }
            if (!(samplingIntervalMillis >= 0) || !(publishingIntervalMillis > 0)) {
                throw new InvalidInputException("opcua options", "sampling/publishing interval",
                        "a sampling interval >= 0 ms and a publishing interval > 0 ms",
                        samplingIntervalMillis + " / " + publishingIntervalMillis);
            }
        }
    }

    /** Server/ServerStatus/CurrentTime, which every OPC UA server has. */
    private static final NodeId SERVER_CURRENT_TIME = NodeId.parse("i=2258");

    private final OpcUaEndpoint endpoint;
    private final NodeMapping mapping;
    private final Options options;
    private final OpcUaClient client;
    private final OpcUaClients.Link link;
    private final SetpointWriter writer;
    private final ScheduledExecutorService recovery;
    private final OpcUaSubscription subscription;

    private final List<String> metricNames;
    private final LatestValues latest;
    /** The server's clock, whose ticks refresh the readings of a machine at rest. */
    private OpcUaMonitoredItem clock;

    private volatile boolean sessionActive;
    private volatile boolean subscribed;
    private volatile boolean closed;
    private volatile double[] lastCommand;

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong resubscriptions = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();

    private OpcUaMachine(OpcUaEndpoint endpoint, NodeMapping mapping, Options options, OpcUaClients.Link link) {
        this.endpoint = endpoint;
        this.mapping = mapping;
        this.options = options;
        this.link = link;
        this.client = link.client();
        this.writer = new SetpointWriter(client, mapping.actionNodes());
        this.metricNames = List.copyOf(mapping.metricNodes().keySet());
        this.latest = new LatestValues(mapping.stateNodes(), metricNames, mapping.emergencyStop().isPresent(),
                mapping.actionNodes().size());
        this.recovery = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiban-opcua-recovery");
            t.setDaemon(true);
            return t;
        });
        this.subscription = new OpcUaSubscription(client, options.publishingIntervalMillis());
    }

    /** Connects with {@link Options#DEFAULT}. */
    public static OpcUaMachine connect(String endpointUrl, NodeMapping mapping) {
        return connect(endpointUrl, mapping, Options.DEFAULT);
    }

    /** Connects with policy None and anonymous login ({@link ClientSecurity#NONE}). */
    public static OpcUaMachine connect(String endpointUrl, NodeMapping mapping, Options options) {
        return connect(endpointUrl, mapping, options, ClientSecurity.NONE);
    }

    /**
     * Connects to {@code endpointUrl} with exactly the security asked for, subscribes to the mapped
     * sensor nodes and waits until each has reported a value. Fails with a message naming the
     * endpoint and what was refused (the policy the server does not offer, a certificate one side
     * does not trust, the login), or the node that does not exist.
     */
    public static OpcUaMachine connect(String endpointUrl, NodeMapping mapping, Options options, ClientSecurity security) {
        OpcUaEndpoint endpoint = OpcUaEndpoint.parse(endpointUrl, "--opcua");
        OpcUaClients.Link link = OpcUaClients.connect(endpoint, security, timeoutMillis(options));
        OpcUaMachine machine = new OpcUaMachine(endpoint, mapping, options, link);
        try {
            machine.start();
            return machine;
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
    }

    private static int timeoutMillis(Options options) {
        return (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
    }

    private void start() {
        sessionActive = true;
        client.addSessionActivityListener(new SessionActivityListener() {
            @Override
            public void onSessionActive(UaSession session) {
                sessionActive = true;
            }

            @Override
            public void onSessionInactive(UaSession session) {
                sessionActive = false;
                disconnects.incrementAndGet();
                writer.discardPending(); // never send a command that was meant for before the loss
            }
        });
        writer.readTypes(mapping.source(), endpoint.url());
        subscription.setSubscriptionListener(new OpcUaSubscription.SubscriptionListener() {
            @Override
            public void onKeepAliveReceived(OpcUaSubscription s) {
                latest.onKeepAlive();
            }

            @Override
            public void onTransferFailed(OpcUaSubscription s, StatusCode code) {
                // the server restarted and forgot the subscription: make it again, off Milo's delivery thread
                subscribed = false;
                recovery.execute(OpcUaMachine.this::resubscribe);
            }
        });
        List<String> stateIds = mapping.stateNodes();
        List<OpcUaMonitoredItem> items = new ArrayList<>();
        for (int i = 0; i < stateIds.size(); i++) {
            int index = i;
            items.add(item(NodeId.parse(stateIds.get(i)), (it, v) -> latest.onState(index, v)));
        }
        mapping.emergencyStop().ifPresent(id -> items.add(item(NodeId.parse(id), (it, v) -> latest.onEmergencyStop(v))));
        // The server's clock changes at every sample it grants (restRefresh): its notifications tell a machine at
        // rest (values unchanged, nothing else published) from a server that stopped publishing, whatever
        // keep-alive interval the server chose, so a reading's age means something.
        clock = item(SERVER_CURRENT_TIME, (it, v) -> latest.onHeartbeat());
        items.add(clock);
        mapping.operatorControl().ifPresent(id -> items.add(item(NodeId.parse(id), (it, v) -> latest.onOperatorControl(v))));
        // the set points read back: where the runtime's rate limits start, and what an operator commands during a take-over
        for (int i = 0; i < mapping.actionNodes().size(); i++) {
            int index = i;
            items.add(item(NodeId.parse(mapping.actionNodes().get(i)), (it, v) -> latest.onSetpoint(index, v)));
        }
        for (int i = 0; i < metricNames.size(); i++) {
            int index = i;
            items.add(item(NodeId.parse(mapping.metricNodes().get(metricNames.get(i))), (it, v) -> latest.onMetric(index, v)));
        }
        try {
            subscription.create();
            subscription.addMonitoredItems(items);
            subscription.synchronizeMonitoredItems();
        } catch (MonitoredItemSynchronizationException e) {
            List<String> bad = new ArrayList<>();
            e.getCreateResults().forEach(r -> bad.add(r.monitoredItem().getReadValueId().getNodeId().toParseableString()
                    + " (" + r.operationResult().map(Object::toString).orElse(r.serviceResult().toString()) + ")"));
            throw new InvalidInputException(mapping.source(), "state, emergency_stop, operator_control, action or metrics",
                    "node ids that exist on " + endpoint.url(), "cannot monitor " + String.join(", ", bad));
        } catch (UaException e) {
            throw new KibanException("cannot subscribe on " + endpoint.url() + ": " + e.getMessage(), e);
        }
        subscribed = true;
        awaitFirstValues();
    }

    private OpcUaMonitoredItem item(NodeId id, OpcUaMonitoredItem.DataValueListener listener) {
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(id);
        item.setSamplingInterval(options.samplingIntervalMillis());
        item.setQueueSize(uint(1)); // only the newest value matters
        item.setDataValueListener(listener);
        return item;
    }

    private void awaitFirstValues() {
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        while (!latest.complete()) {
            if (System.nanoTime() > deadline) {
                throw new InvalidInputException(mapping.source(), "state",
                        "numeric values from every state node within " + options.connectTimeout().toMillis() + " ms",
                        "none from " + String.join(", ", latest.missing()));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KibanException("interrupted while waiting for the first values from " + endpoint.url(), e);
            }
        }
    }

    /**
     * Makes the subscription and its items again on a server that forgot them. Safe to repeat: a
     * subscription made by an earlier attempt whose items failed (a server still loading its address
     * space, a request lost under load) is kept and only its missing items are made, since Milo refuses
     * to create a subscription twice; and a second transfer failure queued behind the first finds
     * nothing left to do.
     */
    void resubscribe() {
        if (closed) {
            return;
        }
        try {
            if (subscription.getSyncState() == OpcUaSubscription.SyncState.INITIAL) {
                latest.awaitNewValues(); // each item made now reports its value once; until then they are the old server's
                subscription.create();
            }
            subscription.synchronizeMonitoredItems();
            subscribed = true;
            resubscriptions.incrementAndGet();
        } catch (UaException | RuntimeException e) {
            // the server may be half up; try again shortly
            recovery.schedule(this::resubscribe, 500, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public String name() {
        return "opcua:" + endpoint.url();
    }

    @Override
    public List<FeatureSpec> observationFeatures() {
        return mapping.observation();
    }

    @Override
    public List<FeatureSpec> actionFeatures() {
        return mapping.action();
    }

    /** The newest values, with the set-point writes that failed in a row; never waits on the network. */
    @Override
    public MachineReading read() {
        MachineReading r = latest.reading(connected());
        int failed = writer.failedInARow();
        return failed == 0 ? r : r.withFailedCommands(failed, writer.lastError());
    }

    /**
     * At worst how long a reading of a machine whose values do not change goes without a refresh: the
     * server's clock ticks at the sampling interval the server granted it (Milo's server, and so
     * {@code kiban sim opcua}, grants 100 ms whatever the 10 ms asked), and a keep-alive comes when
     * nothing else was published, neither sooner than the publishing interval. A loop that calls a
     * reading younger than this stale stops a healthy machine at rest.
     */
    public Duration restRefresh() {
        double publishing = subscription.getServerState().map(OpcUaSubscription.ServerState::getPublishingInterval)
                .orElse(options.publishingIntervalMillis());
        double keepAlive = subscription.getServerState().map(st -> st.getMaxKeepAliveCount().doubleValue() * publishing)
                .orElse(Double.POSITIVE_INFINITY);
        double tick = Math.max(publishing, clock.getRevisedSamplingInterval().orElse(options.samplingIntervalMillis()));
        return Duration.ofNanos(Math.round(Math.min(tick, keepAlive) * 1e6));
    }

    /** True while the session is up and the subscription delivers. */
    public boolean connected() {
        return sessionActive && subscribed && !closed;
    }

    @Override
    public void command(double[] action) {
        if (action.length != writer.size()) {
            throw new IllegalArgumentException("command of " + action.length + " elements for " + writer.size()
                    + " set-point nodes");
        }
        for (double v : action) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("non-finite command " + Arrays.toString(action)
                        + " reached the OPC UA adapter; the shield must stop it");
            }
        }
        if (!connected()) {
            dropped.incrementAndGet();
            return;
        }
        lastCommand = action.clone();
        writer.submit(action.clone());
    }

    /** Commands the embodiment's stop: zero within the limits, or the last command held. Never throws. */
    @Override
    public void stop() {
        try {
            double[] a;
            if (mapping.embodiment().safety().stopMode() == StopMode.HOLD) {
                a = lastCommand;
                if (a == null) {
                    return; // nothing was commanded: the machine holds already
                }
            } else {
                double[] low = mapping.embodiment().actionLow();
                double[] high = mapping.embodiment().actionHigh();
                a = new double[writer.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = Math.max(low[i], Math.min(high[i], 0));
                }
            }
            command(a);
        } catch (RuntimeException e) {
            writer.fail("stop: " + e.getMessage());
        }
    }

    /**
     * The mapped metric nodes' newest values (NaN until one arrives), and link figures: writes sent and
     * failed, commands superseded or dropped while down, reconnections.
     */
    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new TreeMap<>();
        latest.putMetrics(m);
        m.put("opcua_writes", (double) writer.writes.get());
        m.put("opcua_write_failures", (double) writer.failures.get());
        m.put("opcua_commands_superseded", (double) writer.superseded.get());
        m.put("opcua_commands_dropped", (double) dropped.get());
        m.put("opcua_disconnects", (double) disconnects.get());
        m.put("opcua_resubscriptions", (double) resubscriptions.get());
        return m;
    }

    /** The newest write error, or null. */
    public String lastWriteError() {
        return writer.lastError();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        recovery.shutdownNow();
        try {
            client.disconnectAsync().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing: the server may be gone already, nothing to do about it
        }
        link.close();
    }
}
