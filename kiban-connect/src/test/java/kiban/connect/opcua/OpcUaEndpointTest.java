package kiban.connect.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpcUaEndpointTest {

    @Test
    void parsesHostAndPort() {
        assertThat(OpcUaEndpoint.parse("opc.tcp://plc-7:4841/cell", "--opcua"))
                .isEqualTo(new OpcUaEndpoint("opc.tcp://plc-7:4841/cell", "plc-7", 4841));
        assertThat(OpcUaEndpoint.parse("opc.tcp://10.1.2.3", "--opcua").port()).isEqualTo(4840);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost:4840", "http://plc:4840", "opc.https://plc:4843", "opc.tcp://:4840",
            "opc.tcp://plc:0", "opc.tcp://plc:99999", "opc.tcp://user@plc:4840", "opc.tcp://plc 1"})
    void badUrlsNameTheOptionAndTheExpectedForm(String url) {
        assertThatThrownBy(() -> OpcUaEndpoint.parse(url, "--opcua"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--opcua")
                .hasMessageContaining("opc.tcp://host:4840");
    }
}
