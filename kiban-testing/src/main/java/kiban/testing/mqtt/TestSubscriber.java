package kiban.testing.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import kiban.core.json.Json;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A plain MQTT client that records every message on a topic filter, as a dashboard would. */
public final class TestSubscriber implements AutoCloseable {

    public record Message(String topic, JsonNode json) {}

    private final MqttClient client;
    public final List<Message> messages = new CopyOnWriteArrayList<>();

    public TestSubscriber(String serverUri, String filter) throws MqttException {
        this(serverUri, filter, new MqttConnectOptions());
    }

    /** Subscribes to {@code broker}, over its TLS and with its first user where it has them. */
    public TestSubscriber(TestBroker broker, String filter) throws MqttException {
        this(broker.serverUri(), filter, broker.clientOptions());
    }

    private TestSubscriber(String serverUri, String filter, MqttConnectOptions o) throws MqttException {
        o.setCleanSession(true);
        // As MqttTelemetry: no silent retry as MQTT 3.1, whose 23-character client-id limit turns a
        // refused or failed first CONNECT into a bare "connection lost" that hides the real cause.
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        client = subscribed(serverUri, filter, o);
    }

    /**
     * A client connected and subscribed. Moquette 0.17 drops a connection whose SUBSCRIBE arrives
     * before its session has left CONNECTING ("SUBSCRIBE received on already closed connection", a
     * race seen on a loaded machine and in FROST-Server's issue 2433), so a subscription lost that
     * way is made again on a new connection, a few times; any other failure is the test's.
     */
    private MqttClient subscribed(String serverUri, String filter, MqttConnectOptions o) throws MqttException {
        for (int attempt = 1; ; attempt++) {
            MqttClient c = new MqttClient(serverUri, "test-" + UUID.randomUUID(), new MemoryPersistence());
            try {
                c.connect(o);
                c.subscribe(filter, 1, (topic, msg) -> messages.add(new Message(topic,
                        Json.MAPPER.readTree(new String(msg.getPayload(), StandardCharsets.UTF_8)))));
                return c;
            } catch (MqttException e) {
                c.close(true);
                if (e.getReasonCode() != MqttException.REASON_CODE_CONNECTION_LOST || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    public List<Message> on(String topic) {
        return messages.stream().filter(m -> m.topic().equals(topic)).toList();
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
