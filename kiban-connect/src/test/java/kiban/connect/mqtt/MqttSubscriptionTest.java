package kiban.connect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import kiban.core.error.InvalidInputException;
import kiban.testing.mqtt.TestBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

class MqttSubscriptionTest {

    @Test
    void receivesTheTopicUnderThePrefixAndSubscribesAgainAfterTheBrokerComesBack() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            List<String> received = new CopyOnWriteArrayList<>();
            try (MqttSubscription s = MqttSubscription.open(broker.url("plant"), "cell/readings", MqttSecurity.NONE,
                    Duration.ofSeconds(5), (topic, text) -> received.add(topic + " " + text))) {
                assertThat(s.topic()).isEqualTo("plant/cell/readings");
                publish(broker, "plant/cell/readings", "{\"n\": 1}");
                publish(broker, "plant/other", "{\"n\": 2}");
                await(() -> received.size() >= 1);
                broker.stop();
                broker.restart();
                await(s::connected);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (received.size() < 2 && System.nanoTime() < deadline) {
                    publish(broker, "plant/cell/readings", "{\"n\": 3}"); // until the subscription is back
                    Thread.sleep(50);
                }
                assertThat(received.getFirst()).isEqualTo("plant/cell/readings {\"n\": 1}");
                assertThat(received).hasSizeGreaterThanOrEqualTo(2).allMatch(m -> m.startsWith("plant/cell/readings "));
                assertThat(received.get(1)).endsWith("{\"n\": 3}");
            }
        }
    }

    @Test
    void refusesAWildcardTopic() {
        assertThatThrownBy(() -> MqttSubscription.open("mqtt://127.0.0.1:1/plant", "cell/#", MqttSecurity.NONE, Duration.ofSeconds(1),
                (t, m) -> {})).isInstanceOf(InvalidInputException.class).hasMessageContaining("--readings-topic")
                .hasMessageContaining("cell/#");
    }

    private static void publish(TestBroker broker, String topic, String text) throws Exception {
        MqttClient c = new MqttClient(broker.serverUri(), "pub-" + UUID.randomUUID(), new MemoryPersistence());
        c.connect(broker.clientOptions());
        c.publish(topic, text.getBytes(StandardCharsets.UTF_8), 1, false);
        c.disconnect();
        c.close();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
