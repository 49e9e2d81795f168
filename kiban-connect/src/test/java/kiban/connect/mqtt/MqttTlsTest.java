package kiban.connect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.testing.mqtt.TestBroker;
import kiban.testing.mqtt.TestSubscriber;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MQTT over TLS with a login, against a real broker that speaks TLS only and knows one user. The
 * broker's certificate names 127.0.0.1 and broker.test, not localhost; keys are made once.
 */
class MqttTlsTest {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final String PASSWORD = "dashboard-pass-7";

    static X509Certificate brokerCertificate;
    static X509Certificate impostor;
    static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        KeyPair pair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        brokerCertificate = new SelfSignedCertificateBuilder(pair).setCommonName("test broker").setApplicationUri("urn:broker")
                .addIpAddress("127.0.0.1").addDnsName("broker.test").build();
        impostor = new SelfSignedCertificateBuilder(SelfSignedCertificateGenerator.generateRsaKeyPair(2048))
                .setCommonName("test broker").setApplicationUri("urn:broker").addIpAddress("127.0.0.1").build();
        broker = TestBroker.start(TestBroker.Security.tls(pair.getPrivate(), brokerCertificate).withUser("dashboard", PASSWORD));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void theRightPasswordPublishesOverTls() throws Exception {
        assertThat(broker.url("plant")).startsWith("mqtts://");
        try (TestSubscriber dashboard = new TestSubscriber(broker, "plant/#");
                MqttTelemetry t = MqttTelemetry.connect(broker.url("plant"), 16, TIMEOUT, login(PASSWORD, brokerCertificate))) {
            assertThat(t.url().serverUri()).startsWith("ssl://");
            t.publish("loop", Map.of("cycles", 3));
            MqttTelemetryTest.await(() -> !dashboard.on("plant/loop").isEmpty());
            assertThat(dashboard.on("plant/loop").getFirst().json().get("cycles").asInt()).isEqualTo(3);
        }
    }

    @Test
    void aWrongPasswordOrNoneIsRefusedNamingTheUser() {
        assertThatThrownBy(() -> MqttTelemetry.connect(broker.url("plant"), 16, TIMEOUT, login("guess", brokerCertificate)))
                .isInstanceOf(KibanException.class)
                .hasMessageContaining("refused user 'dashboard'")
                .hasMessageContaining("wrong user name or password")
                .hasMessageNotContaining("guess");
        assertThatThrownBy(() -> MqttTelemetry.connect(broker.url("plant"), 16, TIMEOUT,
                new MqttSecurity(List.of(brokerCertificate), null, null, false)))
                .hasMessageContaining("refused a connection without a login")
                .hasMessageContaining("requires a user and password");
    }

    @Test
    void aBrokerCertificateThatIsNotTrustedOrNamesAnotherHostIsRefused() {
        assertThatThrownBy(() -> MqttTelemetry.connect(broker.url("plant"), 16, TIMEOUT, login(PASSWORD, impostor)))
                .isInstanceOf(KibanException.class)
                .hasMessageContaining("the MQTT broker at ssl://127.0.0.1:" + broker.port())
                .hasMessageContaining("presented a TLS certificate this client does not accept");
        // Without certificates of its own the client trusts the JVM's CAs only, which did not sign it.
        assertThatThrownBy(() -> MqttTelemetry.connect(broker.url("plant"), 16, TIMEOUT,
                new MqttSecurity(List.of(), "dashboard", PASSWORD.toCharArray(), false)))
                .hasMessageContaining("give its CA or its own certificate");
        // The right certificate, reached by a name it does not hold: what a man in the middle with a stolen certificate would be.
        String byName = "mqtts://localhost:" + broker.port() + "/plant";
        assertThatThrownBy(() -> MqttTelemetry.connect(byName, 16, TIMEOUT, login(PASSWORD, brokerCertificate)))
                .hasMessageContaining("does not name the host 'localhost'");
    }

    @Test
    void aPasswordIsNotSentInClearToAnotherMachine() {
        var security = new MqttSecurity(List.of(), "dashboard", PASSWORD.toCharArray(), false);
        assertThatThrownBy(() -> MqttTelemetry.connect("mqtt://10.255.255.1:1883/plant", 16, TIMEOUT, security))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("an mqtts:// URL to send a password");
        assertThatThrownBy(() -> MqttTelemetry.connect("mqtt://10.255.255.1:1883/plant", 16, TIMEOUT,
                new MqttSecurity(List.of(brokerCertificate), null, null, false)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("an mqtts:// URL to go with trusted certificates");
    }

    private static MqttSecurity login(String password, X509Certificate trusted) {
        return new MqttSecurity(List.of(trusted), "dashboard", password.toCharArray(), false);
    }
}
