package kiban.connect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MqttUrlTest {

    @Test
    void parsesHostPortAndPrefix() {
        assertThat(MqttUrl.parse("mqtt://broker.local:1884/plant/cell-1", "--mqtt"))
                .isEqualTo(new MqttUrl("broker.local", 1884, "plant/cell-1"));
        assertThat(MqttUrl.parse("mqtt://10.0.0.5", "--mqtt")).isEqualTo(new MqttUrl("10.0.0.5", 1883, "kiban"));
        assertThat(MqttUrl.parse("mqtt://h/", "--mqtt").prefix()).isEqualTo("kiban");
        assertThat(MqttUrl.parse("mqtt://h:1", "--mqtt").serverUri()).isEqualTo("tcp://h:1");
    }

    @Test
    void mqttsMeansTlsOnPort8883ByDefault() {
        assertThat(MqttUrl.parse("mqtts://broker.local/plant", "--mqtt")).isEqualTo(new MqttUrl("broker.local", 8883, "plant", true));
        assertThat(MqttUrl.parse("MQTTS://h:1", "--mqtt").serverUri()).isEqualTo("ssl://h:1");
    }

    @Test
    void loopbackIsJudgedWithoutAskingDns() {
        assertThat(MqttUrl.parse("mqtt://localhost", "--mqtt").loopback()).isTrue();
        assertThat(MqttUrl.parse("mqtt://127.0.0.9", "--mqtt").loopback()).isTrue();
        assertThat(MqttUrl.parse("mqtt://[::1]", "--mqtt").loopback()).isTrue();
        assertThat(MqttUrl.parse("mqtt://10.0.0.5", "--mqtt").loopback()).isFalse();
        assertThat(MqttUrl.parse("mqtt://localhost.evil.example", "--mqtt").loopback()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "broker:1883", "http://h:1883", "ssl://h", "mqtts://u:p@h", "mqtt://:1883", "mqtt://h:0",
            "mqtt://h:70000", "mqtt://h/a/+/b", "mqtt://h/a#", "mqtt://h/a//b", "mqtt://u:p@h", "mqtt://h?x=1",
            "mqtt://h h"})
    void badUrlsNameTheOptionAndTheExpectedForm(String url) {
        assertThatThrownBy(() -> MqttUrl.parse(url, "--mqtt"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--mqtt")
                .hasMessageContaining("expected");
    }
}
