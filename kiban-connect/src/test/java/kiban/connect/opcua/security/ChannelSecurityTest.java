package kiban.connect.opcua.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.connect.opcua.security.ChannelSecurity.Mode;
import kiban.connect.opcua.security.ChannelSecurity.Policy;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Names from the command line, and the combinations of policy, mode and login that make no sense. */
class ChannelSecurityTest {

    @Test
    void parsesOpcUaNamesInAnyCaseAndSuggestsTheNearestOtherwise() {
        assertThat(Policy.parse("aes256_sha256_rsapss", "--opcua-security-policy")).isEqualTo(Policy.AES256_SHA256_RSAPSS);
        assertThat(Mode.parse(" SignAndEncrypt ", "--opcua-security-mode")).isEqualTo(Mode.SIGN_AND_ENCRYPT);
        assertThatThrownBy(() -> Policy.parse("Basic256Sha265", "--opcua-security-policy"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--opcua-security-policy")
                .hasMessageContaining("None, Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss")
                .hasMessageContaining("did you mean 'Basic256Sha256'");
        // Deprecated policies are not offered, even though Milo knows them.
        assertThatThrownBy(() -> Policy.parse("Basic128Rsa15", "--security-policy")).hasMessageContaining("got 'Basic128Rsa15'");
        assertThatThrownBy(() -> Mode.parse("Encrypt", "--opcua-security-mode")).hasMessageContaining("Sign, SignAndEncrypt");
    }

    @Test
    void policyNoneGoesWithModeNoneOnly() {
        assertThatThrownBy(() -> new ChannelSecurity(Policy.NONE, Mode.SIGN)).hasMessageContaining("mode None with security policy None");
        assertThatThrownBy(() -> new ChannelSecurity(Policy.BASIC256SHA256, Mode.NONE))
                .hasMessageContaining("mode Sign or SignAndEncrypt with security policy Basic256Sha256");
        assertThat(new ChannelSecurity(Policy.AES128_SHA256_RSAOAEP, Mode.SIGN)).hasToString("Aes128_Sha256_RsaOaep/Sign");
    }

    @Test
    void credentialsNeverTravelOverPolicyNone() {
        var password = new Login.Password("operator", "secret".toCharArray());
        assertThatThrownBy(() -> new ClientSecurity(ChannelSecurity.NONE, null, password))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a secure channel")
                .hasMessageContaining("user 'operator'")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> new ServerSecurity(List.of(Policy.NONE, Policy.BASIC256SHA256), List.of(Mode.SIGN), Path.of("pki"),
                Optional.of(password), false)).hasMessageContaining("--security-policy").hasMessageContaining("policies other than None");
        assertThatThrownBy(() -> new ServerSecurity(List.of(Policy.NONE), List.of(), null, Optional.empty(), true))
                .hasMessageContaining("policies other than None");
        assertThat(password.toString()).doesNotContain("secret");
    }

    @Test
    void aServerOffersEachPolicyWithEachModeAndNeedsAPkiForThem() {
        var s = new ServerSecurity(List.of(Policy.NONE, Policy.BASIC256SHA256, Policy.AES256_SHA256_RSAPSS),
                List.of(Mode.SIGN, Mode.SIGN_AND_ENCRYPT), Path.of("pki"), Optional.empty(), false);
        assertThat(s.channels()).extracting(Object::toString).containsExactly("None/None", "Basic256Sha256/Sign",
                "Basic256Sha256/SignAndEncrypt", "Aes256_Sha256_RsaPss/Sign", "Aes256_Sha256_RsaPss/SignAndEncrypt");
        assertThat(s.anonymous()).isTrue();
        assertThatThrownBy(() -> new ServerSecurity(Policy.SECURE, List.of(Mode.SIGN), null, Optional.empty(), false))
                .hasMessageContaining("--pki");
        assertThatThrownBy(() -> new ServerSecurity(Policy.SECURE, List.of(), Path.of("pki"), Optional.empty(), false))
                .hasMessageContaining("--security-mode");
        assertThatThrownBy(() -> new ServerSecurity(List.of(Policy.BASIC256SHA256, Policy.BASIC256SHA256), List.of(Mode.SIGN),
                Path.of("pki"), Optional.empty(), false)).hasMessageContaining("distinct");
        assertThatThrownBy(() -> new ClientSecurity(new ChannelSecurity(Policy.BASIC256SHA256, Mode.SIGN), null, Login.ANONYMOUS))
                .hasMessageContaining("a PKI folder");
    }
}
