package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import kiban.client.MsgpackNumpy;
import kiban.core.error.InvalidInputException;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;

/**
 * Any bytes as a WebSocket request to a policy with a two-step history of three and a 2x2 RGB camera: a
 * control message, a history or one observation of the right shapes with finite states, or an
 * {@link InvalidInputException} that says what was wrong; never anything else.
 */
class ObservationsFuzzTest {

    private static final ImageSpec CAMERA = new ImageSpec("observation.images.top", 2, 2, 3);
    private static final PolicyMetadata METADATA = FakePolicy.METADATA.withImages(List.of(CAMERA));

    @FuzzTest(maxDuration = "10m")
    void decodesAnyFrameOrNamesTheProblem(byte[] frame) {
        Observations.Decoded d;
        try {
            d = Observations.decode(ByteBuffer.wrap(frame), METADATA, MsgpackNumpy.DEFAULT_MAX_OBJECTS);
        } catch (InvalidInputException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        switch (d) {
            case Observations.Control c -> assertThat(c.value()).isNotNull();
            case Observations.Infer i -> {
                assertThat(i.history()).hasSize(METADATA.observationSteps());
                Arrays.stream(i.history()).forEach(ObservationsFuzzTest::checkShape);
            }
            case Observations.Step s -> checkShape(s.observation());
        }
    }

    private static void checkShape(PolicyObservation o) {
        assertThat(o.state()).hasSize(METADATA.observationDim());
        assertThat(Arrays.stream(o.state()).allMatch(Double::isFinite)).isTrue();
        assertThat(o.images().get(CAMERA.name())).hasSize(CAMERA.bytes());
    }
}
