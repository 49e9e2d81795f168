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

    @ParameterizedTest
    @ValueSource(strings = {"", "broker:1883", "http://h:1883", "mqtts://h", "mqtt://:1883", "mqtt://h:0",
            "mqtt://h:70000", "mqtt://h/a/+/b", "mqtt://h/a#", "mqtt://h/a//b", "mqtt://u:p@h", "mqtt://h?x=1",
            "mqtt://h h"})
    void badUrlsNameTheOptionAndTheExpectedForm(String url) {
        assertThatThrownBy(() -> MqttUrl.parse(url, "--mqtt"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--mqtt")
                .hasMessageContaining("expected");
    }
}
