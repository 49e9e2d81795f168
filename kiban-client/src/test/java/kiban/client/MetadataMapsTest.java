package kiban.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.policy.DeltaPair;
import kiban.core.policy.PolicyMetadata;
import org.junit.jupiter.api.Test;

class MetadataMapsTest {

    @Test
    void deltaActionsTravelThroughTheMetadataMap() throws Exception {
        FeatureSpec pos = new FeatureSpec("joint_pos", "rad", List.of(2), List.of(), List.of(-1.0, -1.0), List.of(1.0, 1.0),
                List.of());
        FeatureSpec target = new FeatureSpec("joint_target", "rad", List.of(2), List.of(), List.of(-1.0, -1.0),
                List.of(1.0, 1.0), List.of());
        PolicyMetadata plain = new PolicyMetadata("flow", List.of(pos), List.of(target), 1, 4, 2);
        PolicyMetadata delta = plain.withDeltaActions(List.of(new DeltaPair("joint_target", "joint_pos")));
        for (PolicyMetadata m : List.of(plain, delta)) {
            // Through msgpack, as a client receives it.
            byte[] wire = MsgpackNumpy.pack(MetadataMaps.toMap(m, Map.of()));
            Map<String, Object> back = MsgpackNumpy.unpackMap(wire);
            assertThat(MetadataMaps.fromMap(back)).isEqualTo(m);
            assertThat(back.containsKey("delta_actions")).isEqualTo(m == delta);
        }
    }
}
