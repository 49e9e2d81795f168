package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kiban.connect.opcua.security.ChannelSecurity.Mode;
import kiban.connect.opcua.security.ChannelSecurity.Policy;
import kiban.connect.opcua.security.ServerSecurity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code kiban sim opcua} offers by default, on loopback and off it. */
class SimOpcUaSecurityOptionsTest {

    private final List<String> warnings = new ArrayList<>();

    @Test
    void onLoopbackPolicyNoneWithAnonymousLogin() {
        for (String host : List.of("localhost", "127.0.0.1", "::1")) {
            ServerSecurity s = new SimOpcUaSecurityOptions().security(host, Map.of(), warnings::add);
            assertThat(s.policies()).as(host).containsExactly(Policy.NONE);
            assertThat(s.anonymous()).isTrue();
            assertThat(s.pki()).isNull();
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void offLoopbackOnlySignedAndEncryptedEndpointsForTrustedClients() {
        for (String host : List.of("0.0.0.0", "10.0.0.5", "cell-7.plant", "localhost.example.com")) {
            ServerSecurity s = new SimOpcUaSecurityOptions().security(host, Map.of(), warnings::add);
            assertThat(s.policies()).as(host).containsExactlyElementsOf(Policy.SECURE).doesNotContain(Policy.NONE);
            assertThat(s.modes()).containsExactly(Mode.SIGN_AND_ENCRYPT);
            assertThat(s.pki()).isEqualTo(SimOpcUaSecurityOptions.DEFAULT_PKI);
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void policyNoneOffLoopbackIsAllowedOnlyWhenAskedAndWarnedAbout() {
        var o = new SimOpcUaSecurityOptions();
        o.policies = List.of("None");
        assertThat(o.security("0.0.0.0", Map.of(), warnings::add).policies()).containsExactly(Policy.NONE);
        assertThat(warnings).singleElement().asString().contains("security policy None on 0.0.0.0").contains("anyone");
    }

    @Test
    void aUserMakesEveryEndpointSecureEvenOnLoopback(@TempDir Path dir) throws Exception {
        var o = new SimOpcUaSecurityOptions();
        o.user = "operator";
        o.passwordFile = Files.writeString(dir.resolve("pw"), "pw\n");
        Files.setPosixFilePermissions(o.passwordFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        ServerSecurity s = o.security("localhost", Map.of(), warnings::add);
        assertThat(s.policies()).containsExactlyElementsOf(Policy.SECURE);
        assertThat(s.anonymous()).isFalse();
        assertThat(s.password().orElseThrow().matches("operator", "pw")).isTrue();
        assertThat(s.password().orElseThrow().matches("operator", "pw ")).isFalse();
    }
}
