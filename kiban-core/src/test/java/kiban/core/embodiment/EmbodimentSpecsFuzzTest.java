package kiban.core.embodiment;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import kiban.core.error.InvalidInputException;

/** Any bytes as an embodiment spec file: a spec or an {@link InvalidInputException}, never anything else. */
class EmbodimentSpecsFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readsAnySpecOrNamesTheProblem(byte[] input) {
        try {
            EmbodimentSpecs.parse(new String(input, StandardCharsets.UTF_8), "fuzz.yaml");
        } catch (InvalidInputException expected) {
            // the validator's answer for a bad file
        }
    }
}
