package kiban.connect.opcua;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import kiban.core.error.InvalidInputException;

/** Any bytes as an OPC UA mapping file: a mapping or an {@link InvalidInputException}, never anything else. */
class NodeMappingFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readsAnyMappingOrNamesTheProblem(byte[] input) {
        try {
            NodeMapping.parse(new String(input, StandardCharsets.UTF_8), "fuzz-mapping.yaml");
        } catch (InvalidInputException expected) {
            // the validator's answer for a bad file
        }
    }
}
