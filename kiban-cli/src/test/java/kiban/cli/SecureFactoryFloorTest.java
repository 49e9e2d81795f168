package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kiban.connect.opcua.SimOpcUaServer;
import kiban.connect.opcua.security.ChannelSecurity.Mode;
import kiban.connect.opcua.security.ChannelSecurity.Policy;
import kiban.connect.opcua.security.Login;
import kiban.connect.opcua.security.Pki;
import kiban.connect.opcua.security.ServerSecurity;
import kiban.connect.security.KeyFiles;
import kiban.core.json.Json;
import kiban.testing.mqtt.TestBroker;
import kiban.testing.mqtt.TestSubscriber;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiban run} on a locked-down floor: the simulated cell offers only Aes256_Sha256_RsaPss
 * with SignAndEncrypt and a password login to trusted clients, the MQTT broker speaks TLS only and
 * checks its users. One cell, one broker and one trusted client PKI for the class.
 */
class SecureFactoryFloorTest {

    @TempDir
    static Path dir;
    static Path checkpoint;
    static Path mapping;
    static Path clientPki;
    static Path opcuaPassword;
    static Path mqttPassword;
    static Path brokerCertificate;
    static SimOpcUaServer cell;
    static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        checkpoint = CliRun.tinyCheckpoint("factory-cell", dir);
        opcuaPassword = secret("opcua.pw", "cell operator pass\n");
        mqttPassword = secret("mqtt.pw", "dashboard pass\n");
        cell = SimOpcUaServer.start(SimOpcUaServer.Config.of("factory-cell").withStepHz(20).withSecurity(new ServerSecurity(
                List.of(Policy.AES256_SHA256_RSAPSS), List.of(Mode.SIGN_AND_ENCRYPT), dir.resolve("cell-pki"),
                Optional.of(new Login.Password("operator", "cell operator pass".toCharArray())), false)));
        mapping = Files.writeString(dir.resolve("cell.yaml"), cell.mappingYaml());
        clientPki = dir.resolve("client-pki");
        try (Pki client = Pki.open(clientPki, new Pki.Subject("Kiban runtime", "urn:kiban:runtime", List.of("localhost")), "test")) {
            Files.copy(client.certificateFile(), cell.pki().peers().trustedCertificates().resolve("runtime.der"));
            Files.copy(cell.pki().certificateFile(), client.peers().trustedCertificates().resolve("cell.der"));
        }
        KeyPair pair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate certificate = new SelfSignedCertificateBuilder(pair).setCommonName("broker").setApplicationUri("urn:broker")
                .addIpAddress("127.0.0.1").build();
        brokerCertificate = dir.resolve("broker.der");
        KeyFiles.writeCertificate(brokerCertificate, certificate);
        broker = TestBroker.start(TestBroker.Security.tls(pair.getPrivate(), certificate).withUser("dashboard", "dashboard pass"));
    }

    @AfterAll
    static void stop() {
        broker.close();
        cell.close();
    }

    @Test
    void runDrivesTheCellOverEncryptedOpcUaAndReportsOverMqtts() throws Exception {
        try (TestSubscriber dashboard = new TestSubscriber(broker, "plant/#")) {
            CliRun r = run(opcua(clientPki, opcuaPassword), mqtt(mqttPassword, brokerCertificate));
            assertThat(r.exitCode()).as(r.err()).isZero();
            JsonNode j = Json.MAPPER.readTree(r.out());
            assertThat(j.get("cycles").asLong()).isEqualTo(10);
            assertThat(j.get("metrics").get("opcua_writes").asDouble()).isPositive();
            MqttAwait.until(() -> !dashboard.on("plant/summary").isEmpty());
        }
        assertThat(cell.errors()).isZero();
    }

    @Test
    void refusalsSayWhoRefusedWhat() throws Exception {
        Path wrong = secret("wrong.pw", "guess\n");
        CliRun badPassword = run(opcua(clientPki, wrong), List.of());
        assertThat(badPassword.exitCode()).isEqualTo(1);
        assertThat(badPassword.err()).contains("refused the login as user 'operator'").contains("wrong user name or password")
                .doesNotContain("guess");
        // A client the cell has never seen: its certificate is made on first use and refused until trusted there.
        Path stranger = dir.resolve("stranger-pki");
        CliRun untrusted = run(opcua(stranger, opcuaPassword), List.of());
        assertThat(untrusted.exitCode()).isEqualTo(1);
        assertThat(untrusted.err()).contains("refused this client's certificate").contains(stranger.resolve(Pki.CERTIFICATE).toString());
        assertThat(stranger.resolve(Pki.CERTIFICATE)).isRegularFile();
        CliRun badMqtt = run(List.of("--env", "factory-cell"), mqtt(wrong, brokerCertificate));
        assertThat(badMqtt.exitCode()).isEqualTo(1);
        assertThat(badMqtt.err()).contains("refused user 'dashboard'");
        CliRun untrustedBroker = run(List.of("--env", "factory-cell"), List.of("--mqtt", broker.url("plant"), "--mqtt-user", "dashboard",
                "--mqtt-password-file", mqttPassword.toString()));
        assertThat(untrustedBroker.exitCode()).isEqualTo(1);
        assertThat(untrustedBroker.err()).contains("presented a TLS certificate this client does not accept");
    }

    @Test
    void securityOptionsAreUsageErrorsNamingTheOption() throws Exception {
        List<String> machine = List.of("--opcua", cell.endpointUrl(), "--mapping", mapping.toString());
        List<String> sim = List.of("--env", "factory-cell");
        usageError(sim, List.of("--opcua-user", "operator"), "--opcua-user", "--opcua URL with it");
        usageError(sim, List.of("--mqtt-trust", brokerCertificate.toString()), "--mqtt-trust", "--mqtt URL with it");
        usageError(machine, List.of("--opcua-user", "operator", "--opcua-password-file", opcuaPassword.toString()), "--opcua-user",
                "--opcua-security-policy other than None");
        usageError(machine, List.of("--opcua-security-policy", "Aes256_Sha256_RsaPSS2"), "--opcua-security-policy",
                "did you mean 'Aes256_Sha256_RsaPss'");
        usageError(machine, List.of("--opcua-security-mode", "Sign"), "--opcua-security-mode", "no mode with security policy None");
        usageError(machine, List.of("--opcua-security-policy", "Basic256Sha256", "--opcua-user", "operator"), "--opcua-user",
                "--opcua-password-file FILE or --opcua-password-env VAR");
        usageError(machine, List.of("--opcua-security-policy", "Basic256Sha256", "--opcua-user", "operator", "--opcua-password-file",
                opcuaPassword.toString(), "--opcua-user-cert", brokerCertificate.toString()), "--opcua-user", "one login");
        usageError(machine, List.of("--opcua-security-policy", "Basic256Sha256", "--opcua-user-cert", brokerCertificate.toString()),
                "--opcua-user-cert", "--opcua-user-cert and --opcua-user-key together");
        usageError(machine, List.of("--opcua-security-policy", "Basic256Sha256", "--opcua-user-cert", mapping.toString(),
                "--opcua-user-key", mapping.toString()), "--opcua-user-cert", "does not parse");
        usageError(sim, List.of("--mqtt", broker.url("plant"), "--mqtt-user", "dashboard"), "--mqtt-user", "--mqtt-password-file");
        usageError(sim, List.of("--mqtt", broker.url("plant"), "--mqtt-trust", mapping.toString()), "--mqtt-trust", "does not parse");
        usageError(sim, List.of("--mqtt", "mqtt://10.255.255.1/plant", "--mqtt-user", "dashboard", "--mqtt-password-file",
                mqttPassword.toString()), "--mqtt", "an mqtts:// URL to send a password");
    }

    private static void usageError(List<String> target, List<String> options, String option, String expected) {
        List<String> args = new ArrayList<>(List.of("run", "--checkpoint", checkpoint.toString(), "--hz", "10", "--duration", "1"));
        args.addAll(target);
        args.addAll(options);
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(options + ": " + r.err()).isEqualTo(2);
        assertThat(r.err()).as(options.toString()).contains(option).contains(expected);
    }

    private static CliRun run(List<String> target, List<String> telemetry) {
        List<String> args = new ArrayList<>(List.of("run", "--checkpoint", checkpoint.toString(), "--hz", "10", "--duration", "1", "--json"));
        args.addAll(target);
        args.addAll(telemetry);
        return CliRun.of(args.toArray(String[]::new));
    }

    private static List<String> opcua(Path pki, Path password) {
        return List.of("--opcua", cell.endpointUrl(), "--mapping", mapping.toString(), "--opcua-security-policy", "Aes256_Sha256_RsaPss",
                "--opcua-pki", pki.toString(), "--opcua-user", "operator", "--opcua-password-file", password.toString());
    }

    private static List<String> mqtt(Path password, Path trust) {
        return List.of("--mqtt", broker.url("plant"), "--mqtt-trust", trust.toString(), "--mqtt-user", "dashboard",
                "--mqtt-password-file", password.toString());
    }

    private static Path secret(String name, String text) throws Exception {
        Path f = Files.writeString(dir.resolve(name), text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    /** Polls a condition for up to 10 s. */
    static final class MqttAwait {
        static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met within 10 s");
                }
                Thread.sleep(50);
            }
        }
    }
}
