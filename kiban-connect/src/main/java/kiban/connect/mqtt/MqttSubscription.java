package kiban.connect.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BiConsumer;
import kiban.core.error.KibanException;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Receives the messages of one topic, {@code <prefix>/<topic>}, at QoS 1, with the same TLS, login
 * and reconnection as {@link MqttTelemetry}; it subscribes again after every reconnect. Each
 * message's topic and UTF-8 text go to the handler on Paho's callback thread, in arrival order.
 */
public final class MqttSubscription implements AutoCloseable {

    private final MqttAsyncClient client;
    private final String topic;

    private MqttSubscription(MqttAsyncClient client, String topic) {
        this.client = client;
        this.topic = topic;
    }

    /** Subscribes to {@code topic} under the URL's prefix; {@code handler} gets (full topic, text). */
    public static MqttSubscription open(String url, String topic, MqttSecurity security, Duration timeout,
            BiConsumer<String, String> handler) {
        MqttUrl parsed = MqttUrl.parse(url, "--mqtt");
        MqttUrl.checkTopic(topic, "--readings-topic", "the readings topic");
        String full = parsed.prefix() + "/" + topic;
        MqttConnectOptions options = new MqttConnectOptions();
        MqttTls.configure(options, parsed, security);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // as MqttTelemetry: keeps a refused login legible
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(2000);
        options.setCleanSession(true);
        options.setKeepAliveInterval(10);
        options.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(parsed.serverUri(), "kiban-sub-" + UUID.randomUUID(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new KibanException("bad MQTT broker address " + parsed.serverUri() + ": " + e.getMessage(), e);
        }
        MqttSubscription s = new MqttSubscription(client, full);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                if (reconnect) {
                    s.subscribe(); // a clean session forgets subscriptions
                }
            }

            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void messageArrived(String t, MqttMessage message) {
                handler.accept(t, new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        try {
            client.connect(options).waitForCompletion(timeout.toMillis());
            client.subscribe(full, 1).waitForCompletion(timeout.toMillis());
        } catch (MqttException e) {
            MqttTelemetry.closeQuietly(client);
            throw MqttTls.explain(e, parsed, security);
        }
        return s;
    }

    /** The full topic subscribed to. */
    public String topic() {
        return topic;
    }

    public boolean connected() {
        return client.isConnected();
    }

    private void subscribe() {
        try {
            client.subscribe(topic, 1);
        } catch (MqttException e) {
            // the next reconnect tries again
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(1000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        MqttTelemetry.closeQuietly(client);
    }
}
