package kiban.connect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.testing.mqtt.TestBroker;
import kiban.testing.mqtt.TestSubscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MqttTelemetryTest {

    /** One broker for the tests that do not stop it: Moquette takes ~2 s to shut down (Netty's quiet period). */
    private static TestBroker shared;

    @BeforeAll
    static void startBroker() {
        shared = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        shared.close();
    }

    @Test
    void publishesJsonEventsUnderThePrefix() throws Exception {
        try (TestSubscriber sub = new TestSubscriber(shared.serverUri(), "plant/#");
                MqttTelemetry t = MqttTelemetry.connect(shared.url("plant/cell-1"))) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("cycles", 12);
            fields.put("jitter_p99_ms", 0.25);
            fields.put("nan", Double.NaN);
            fields.put("reason", "watchdog");
            fields.put("nested", Map.of("before", List.of(1.5, 2.0), "ok", true));
            for (int i = 0; i < 20; i++) {
                t.publish(i % 2 == 0 ? "loop" : "intervention", fields);
            }
            await(() -> sub.on("plant/cell-1/loop").size() == 10 && sub.on("plant/cell-1/intervention").size() == 10);
            JsonNode first = sub.on("plant/cell-1/loop").get(0).json();
            assertThat(first.get("cycles").asInt()).isEqualTo(12);
            assertThat(first.get("jitter_p99_ms").asDouble()).isEqualTo(0.25);
            assertThat(first.get("nan").isNull()).isTrue();
            assertThat(first.get("reason").asText()).isEqualTo("watchdog");
            assertThat(first.get("nested").get("before").get(0).asDouble()).isEqualTo(1.5);
            assertThat(first.get("nested").get("ok").asBoolean()).isTrue();
            assertThat(first.get("time_ms").asLong()).isPositive();
            List<Long> seqs = sub.messages.stream().filter(m -> m.topic().startsWith("plant/cell-1/")
                    && !m.topic().endsWith("status")).map(m -> m.json().get("seq").asLong()).toList();
            assertThat(seqs).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
            assertThat(t.published()).isEqualTo(20);
            assertThat(t.dropped()).isZero();
            await(() -> !sub.on("plant/cell-1/status").isEmpty());
            assertThat(sub.on("plant/cell-1/status").get(0).json().get("online").asBoolean()).isTrue();
        }
    }

    @Test
    void dropsWhenTheQueueIsFullAndReconnectsAfterTheBrokerReturns() throws Exception {
        try (TestBroker broker = TestBroker.start();
                MqttTelemetry t = MqttTelemetry.connect(broker.url("kiban"), 4, Duration.ofSeconds(5))) {
            broker.stop();
            await(() -> !t.connected());
            for (int i = 0; i < 100; i++) {
                t.publish("loop", Map.of("i", i));
            }
            // the sender holds at most one event and the queue four: the rest are dropped, not waited on
            assertThat(t.dropped()).isGreaterThanOrEqualTo(95);
            broker.restart();
            await(t::connected);
            try (TestSubscriber sub = new TestSubscriber(broker.serverUri(), "kiban/loop")) {
                // QoS 0 right after a broker restart may be lost (once, in a cold JVM, Moquette dropped the
                // first one); a dashboard sees the events that follow, and so must this subscriber
                await(() -> {
                    t.publish("loop", Map.of("after", true));
                    return sub.messages.stream().anyMatch(m -> m.json().has("after"));
                });
            }
        }
    }

    @Test
    void unreachableBrokerFailsNamingIt() {
        int port = TestBroker.freePort();
        assertThatThrownBy(() -> MqttTelemetry.connect("mqtt://127.0.0.1:" + port, 8, Duration.ofSeconds(2)))
                .isInstanceOf(KibanException.class).hasMessageContaining("tcp://127.0.0.1:" + port);
    }

    @Test
    void badTopicsAreRefused() throws Exception {
        try (MqttTelemetry t = MqttTelemetry.connect(shared.url("k"))) {
            assertThatThrownBy(() -> t.publish("a/#", Map.of())).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("wildcards");
            assertThatThrownBy(() -> t.publish("", Map.of())).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> t.publish("loop", Map.of("seq", 1))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(50);
        }
    }
}
