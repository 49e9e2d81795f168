package kiban.sim.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EnvRegistryTest {

    @Test
    void findsProvidersOnTheClassPath() {
        EnvRegistry registry = EnvRegistry.load();
        assertThat(registry.names()).contains("line");
        assertThat(registry.get("line").spec().maxSteps()).isEqualTo(50);
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> EnvRegistry.load().get("lien"))
                .hasMessageContaining("unknown env 'lien'").hasMessageContaining("did you mean 'line'")
                .hasMessageContaining("known envs: ");
    }
}
