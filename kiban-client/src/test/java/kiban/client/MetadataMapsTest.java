package kiban.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.policy.DeltaPair;
import kiban.core.policy.ImageSpec;
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

    @Test
    void camerasTravelThroughTheMetadataMapAndAreListedAsInputs() {
        FeatureSpec pos = new FeatureSpec("pos", "m", List.of(1), List.of(), List.of(-1.0), List.of(1.0), List.of());
        ImageSpec front = ImageSpec.ofCamera("front", 6, 8);
        for (int steps : new int[] {1, 2}) {
            PolicyMetadata m = new PolicyMetadata("mlp", List.of(pos), List.of(pos), steps, 4, 2).withImages(List.of(front));
            Map<String, Object> back = MsgpackNumpy.unpackMap(MsgpackNumpy.pack(MetadataMaps.toMap(m, Map.of())));
            assertThat(MetadataMaps.fromMap(back)).isEqualTo(m);
            @SuppressWarnings("unchecked")
            Map<String, Object> input = (Map<String, Object>) ((Map<String, Object>) back.get("inputs")).get(front.name());
            assertThat(input).containsEntry("dtype", "uint8");
            assertThat(input.get("shape")).isEqualTo(steps == 1 ? List.of(6L, 8L, 3L) : List.of(2L, 6L, 8L, 3L));
        }
        Map<String, Object> broken = new java.util.HashMap<>(MetadataMaps.toMap(
                new PolicyMetadata("mlp", List.of(pos), List.of(pos), 1, 4, 2), Map.of()));
        broken.put("images", List.of(Map.of("name", "observation.images.front", "height", 0L, "width", 8L, "channels", 3L)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetadataMaps.fromMap(broken))
                .hasMessageContainingAll("images[0]", "height");
    }
}
