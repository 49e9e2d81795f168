package kiban.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageSpecTest {

    @Test
    void aCameraFeatureNamesItsCameraAndAnyOtherFeatureNone() {
        assertThat(ImageSpec.cameraOf(ImageSpec.ofCamera("wrist", 96, 96).name())).isEqualTo("wrist");
        assertThat(ImageSpec.cameraOf("observation.image")).isEmpty();
        assertThat(ImageSpec.cameraOf("observation.state")).isEmpty();
    }
}
