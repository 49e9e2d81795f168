package kiban.connect.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.machine.Telemetry;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publishes the runtime's events as JSON objects to {@code <prefix>/<topic>} over MQTT (QoS 0).
 * {@link #publish} only offers the event to a bounded queue, dropping and counting it when the
 * queue is full, so a slow or absent broker never stalls the control loop; one thread serialises
 * and sends. Each payload holds the event's fields plus {@code time_ms} (wall clock) and
 * {@code seq} (per-client counter, so a subscriber sees gaps). {@code <prefix>/status} holds a
 * retained {@code {"online": true|false}}, set to false by the broker if the link dies (last will).
 * The client reconnects on its own after a loss.
 */
public final class MqttTelemetry implements Telemetry {

    public static final int DEFAULT_QUEUE_CAPACITY = 1024;

    private record Event(String topic, Map<String, ?> fields, long timeMillis) {}

    private final MqttUrl url;
    private final MqttAsyncClient client;
    private final BlockingQueue<Event> queue;
    private final Thread sender;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;
    private volatile String lastError;

    private MqttTelemetry(MqttUrl url, MqttAsyncClient client, int capacity) {
        this.url = url;
        this.client = client;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sender = new Thread(this::sendLoop, "kiban-mqtt-telemetry");
        this.sender.setDaemon(true);
    }

    /** Connects with the default queue, a 5 s timeout, and no login. */
    public static MqttTelemetry connect(String url) {
        return connect(url, MqttSecurity.NONE);
    }

    /** Connects with the default queue and a 5 s timeout. */
    public static MqttTelemetry connect(String url, MqttSecurity security) {
        return connect(url, DEFAULT_QUEUE_CAPACITY, Duration.ofSeconds(5), security);
    }

    /** Connects without a login. */
    public static MqttTelemetry connect(String url, int queueCapacity, Duration timeout) {
        return connect(url, queueCapacity, timeout, MqttSecurity.NONE);
    }

    /**
     * Connects to the broker of {@code url} (see {@link MqttUrl}) with {@code security}; fails with a
     * message naming the broker and what went wrong (unreachable within {@code timeout}, a TLS
     * certificate this client does not trust, a login the broker refused).
     */
    public static MqttTelemetry connect(String url, int queueCapacity, Duration timeout, MqttSecurity security) {
        MqttUrl parsed = MqttUrl.parse(url, "--mqtt");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be positive, got " + queueCapacity);
        }
        MqttConnectOptions options = new MqttConnectOptions();
        MqttTls.configure(options, parsed, security);
        // Paho's default retries a refused 3.1.1 CONNECT as MQTT 3.1, whose 23-character client-id limit
        // then hides the broker's real answer (a wrong password) behind "connection lost".
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(2000); // a factory dashboard should not stay dark for minutes
        options.setCleanSession(true);
        options.setKeepAliveInterval(10);
        options.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        options.setMaxInflight(Math.max(10, queueCapacity));
        options.setWill(parsed.prefix() + "/status", status(false), 1, true);
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(parsed.serverUri(), "kiban-" + UUID.randomUUID(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new KibanException("bad MQTT broker address " + parsed.serverUri() + ": " + e.getMessage(), e);
        }
        MqttTelemetry t = new MqttTelemetry(parsed, client, queueCapacity);
        try {
            client.connect(options).waitForCompletion(timeout.toMillis());
            client.publish(parsed.prefix() + "/status", status(true), 1, true);
        } catch (MqttException e) {
            closeQuietly(client);
            throw MqttTls.explain(e, parsed, security);
        }
        t.sender.start();
        return t;
    }

    private static byte[] status(boolean online) {
        return ("{\"online\":" + online + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Queues one event; never blocks. {@code fields} must not change afterwards (it is serialised on
     * the sender thread) and must not use the names {@code time_ms} or {@code seq}.
     */
    @Override
    public void publish(String topic, Map<String, ?> fields) {
        MqttUrl.checkTopic(topic, "telemetry", "the topic");
        if (fields.containsKey("time_ms") || fields.containsKey("seq")) {
            throw new IllegalArgumentException("telemetry fields 'time_ms' and 'seq' are set by the publisher");
        }
        if (closed || !queue.offer(new Event(topic, fields, System.currentTimeMillis()))) {
            dropped.incrementAndGet();
        }
    }

    private void sendLoop() {
        while (!closed || !queue.isEmpty()) {
            Event e;
            try {
                e = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                return;
            }
            if (e == null) {
                continue;
            }
            while (!client.isConnected() && !closed) {
                try {
                    Thread.sleep(20); // the client reconnects by itself; the queue fills meanwhile and then drops
                } catch (InterruptedException ex) {
                    return;
                }
            }
            try {
                client.publish(url.prefix() + "/" + e.topic(), payload(e), 0, false);
                published.incrementAndGet();
            } catch (MqttException | RuntimeException ex) {
                failed.incrementAndGet();
                lastError = ex.toString();
            }
        }
    }

    private byte[] payload(Event e) {
        ObjectNode o = Json.object();
        e.fields().forEach((k, v) -> o.set(k, toJson(v)));
        o.put("time_ms", e.timeMillis());
        o.put("seq", seq.incrementAndGet());
        try {
            return Json.MAPPER.writeValueAsBytes(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Strings, numbers (non-finite as null, which JSON has no other word for), booleans, maps and lists. */
    static JsonNode toJson(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? f.numberNode(d) : f.nullNode();
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return f.numberNode(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return Double.isFinite(n.doubleValue()) ? f.numberNode(n.doubleValue()) : f.nullNode();
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = f.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), toJson(x)));
            return o;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = f.arrayNode();
            c.forEach(x -> a.add(toJson(x)));
            return a;
        }
        if (v instanceof double[] d) {
            ArrayNode a = f.arrayNode();
            for (double x : d) {
                Json.addNumber(a, x);
            }
            return a;
        }
        return f.textNode(v.toString());
    }

    public MqttUrl url() {
        return url;
    }

    /** Events handed to the broker. */
    public long published() {
        return published.get();
    }

    /** Events dropped because the queue was full (or the sink closed). */
    public long dropped() {
        return dropped.get();
    }

    /** Events the client refused to send; {@link #lastError()} says why. */
    public long failed() {
        return failed.get();
    }

    public String lastError() {
        return lastError;
    }

    public boolean connected() {
        return client.isConnected();
    }

    /** Sends what is queued (for up to a second), marks the status offline and disconnects. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sender.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        try {
            if (client.isConnected()) {
                client.publish(url.prefix() + "/status", status(false), 1, true).waitForCompletion(1000);
                client.disconnect().waitForCompletion(1000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        closeQuietly(client);
    }

    static void closeQuietly(MqttAsyncClient client) {
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }
}
