package kiban.connect.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import kiban.connect.opcua.security.ChannelSecurity;
import kiban.connect.opcua.security.ChannelSecurity.Mode;
import kiban.connect.opcua.security.ChannelSecurity.Policy;
import kiban.connect.opcua.security.ClientSecurity;
import kiban.connect.opcua.security.Login;
import kiban.connect.opcua.security.Pki;
import kiban.connect.opcua.security.ServerSecurity;
import kiban.core.error.KibanException;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpcUaMachine against a real Milo server offering every supported policy in Sign and
 * SignAndEncrypt, with password and user-certificate logins: one server and one trusted client
 * PKI for the class (RSA 2048 keys are made once), fresh PKIs only where a test needs a stranger.
 */
class OpcUaSecurityTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final Login.Password OPERATOR = new Login.Password("operator", "correct horse battery".toCharArray());

    @TempDir
    static Path dir;
    static SimOpcUaServer server;
    static NodeMapping mapping;
    static Path clientPki;
    static Login.Certificate trustedUser;
    /** What the server told its operator it refused. */
    static final List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        ServerSecurity security = new ServerSecurity(Policy.SECURE, List.of(Mode.SIGN, Mode.SIGN_AND_ENCRYPT),
                dir.resolve("server-pki"), Optional.of(OPERATOR), true);
        server = SimOpcUaServer.start(SimOpcUaServer.Config.of("factory-cell").withStepHz(50).withSecurity(security));
        mapping = NodeMapping.parse(server.mappingYaml(), "sim");
        server.onRefusal(refusals::add);
        clientPki = dir.resolve("client-pki");
        trustEachOther(clientPki, true, true);
        trustedUser = userCertificate("Trusted operator");
        Files.write(server.userCertificates().trustedCertificates().resolve("operator.der"), trustedUser.certificate().getEncoded());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<ChannelSecurity> channels() {
        return Policy.SECURE.stream().flatMap(p -> Stream.of(new ChannelSecurity(p, Mode.SIGN), new ChannelSecurity(p, Mode.SIGN_AND_ENCRYPT)));
    }

    @ParameterizedTest
    @MethodSource("channels")
    void eachPolicyAndModeReadsAndWrites(ChannelSecurity channel) {
        try (OpcUaMachine m = connect(new ClientSecurity(channel, clientPki, OPERATOR))) {
            assertThat(m.read().connected()).isTrue();
            double speed = 0.3 + 0.1 * channel.policy().ordinal() + (channel.mode() == Mode.SIGN ? 0.05 : 0);
            m.command(new double[] {0.8, speed, 0});
            await(() -> server.lastAction()[1] == speed);
        }
    }

    @Test
    void aWrongPasswordIsRefusedNamingTheUser() {
        var wrong = new Login.Password("operator", "Tr0ub4dor&3".toCharArray());
        assertThatThrownBy(() -> connect(secure(clientPki, wrong)))
                .isInstanceOf(KibanException.class)
                .hasMessageContaining("refused the login as user 'operator'")
                .hasMessageContaining("wrong user name or password")
                .hasMessageNotContaining("Tr0ub4dor");
        var unknown = new Login.Password("intruder", "correct horse battery".toCharArray());
        assertThatThrownBy(() -> connect(secure(clientPki, unknown))).hasMessageContaining("refused the login as user 'intruder'");
        assertThat(refusals).contains("refused the login of user 'operator': wrong user name or password",
                "refused the login of user 'intruder': wrong user name or password");
    }

    @Test
    void anUntrustedClientIsRefusedAndTrustedByMovingItsCertificate() throws Exception {
        Path stranger = dir.resolve("stranger-pki");
        trustEachOther(stranger, false, true);
        assertThatThrownBy(() -> connect(secure(stranger, OPERATOR)))
                .isInstanceOf(KibanException.class)
                .hasMessageContaining("refused this client's certificate")
                .hasMessageContaining("Bad_SecurityChecksFailed")
                .hasMessageContaining(stranger.resolve(Pki.CERTIFICATE).toString());
        String thumbprint;
        try (Pki p = Pki.open(stranger, new Pki.Subject("unused", "urn:unused", List.of()), "test")) {
            thumbprint = p.thumbprint();
        }
        assertThat(refusals).anyMatch(r -> r.startsWith("refused a client with certificate 'O=Kiban,CN=Kiban test client' (SHA-1 "
                + thumbprint + "), which is not trusted") && r.contains("move it to " + server.pki().peers().trustedCertificates()));
        // The server kept the stranger's certificate for the operator to judge, as UaExpert does.
        byte[] mine = Files.readAllBytes(stranger.resolve(Pki.CERTIFICATE));
        Path rejected = server.pki().peers().rejectedCertificates();
        Path saved;
        try (var files = Files.list(rejected)) {
            saved = files.filter(f -> sameBytes(f, mine)).findFirst().orElseThrow(() -> new AssertionError("not in " + rejected));
        }
        Files.move(saved, server.pki().peers().trustedCertificates().resolve(saved.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        // The trust folders are watched: the running server accepts it without a restart.
        OpcUaMachine m = eventually(() -> connect(secure(stranger, OPERATOR)));
        m.close();
    }

    @Test
    void anUntrustedServerIsRefusedAndItsCertificateSavedInRejected() throws Exception {
        Path wary = dir.resolve("wary-pki");
        trustEachOther(wary, true, false);
        assertThatThrownBy(() -> connect(secure(wary, OPERATOR)))
                .isInstanceOf(KibanException.class)
                .hasMessageContaining("this client does not trust the certificate of the OPC UA server")
                .hasMessageContaining(wary.resolve("rejected").toString());
        byte[] theirs = Files.readAllBytes(server.pki().certificateFile());
        try (var files = Files.list(wary.resolve("rejected"))) {
            assertThat(files.filter(f -> sameBytes(f, theirs)).count()).isEqualTo(1);
        }
    }

    @Test
    void aTrustedUserCertificateLogsInAndAnUntrustedOneIsRefused() throws Exception {
        try (OpcUaMachine m = connect(secure(clientPki, trustedUser))) {
            assertThat(m.read().connected()).isTrue();
        }
        Login.Certificate stranger = userCertificate("Someone else");
        assertThatThrownBy(() -> connect(secure(clientPki, stranger)))
                .isInstanceOf(KibanException.class)
                .hasMessageContaining("refused the login as user certificate")
                .hasMessageContaining("does not trust this user certificate");
        assertThat(refusals).anyMatch(r -> r.startsWith("refused the login with user certificate '") && r.contains("CN=Someone else"));
        byte[] theirs = stranger.certificate().getEncoded();
        try (var files = Files.list(server.userCertificates().rejectedCertificates())) {
            assertThat(files.filter(f -> sameBytes(f, theirs)).count()).isEqualTo(1);
        }
    }

    @Test
    void policyNoneAndAnonymousLoginAreNotOfferedAndSaySoNamingWhatIs() {
        assertThatThrownBy(() -> connect(ClientSecurity.NONE))
                .isInstanceOf(KibanException.class)
                .hasMessageContaining("offers Basic256Sha256/Sign (logins: user name and password, user certificate)")
                .hasMessageContaining("Aes256_Sha256_RsaPss/SignAndEncrypt")
                .hasMessageContaining("this client asked for None/None");
        assertThatThrownBy(() -> connect(secure(clientPki, Login.ANONYMOUS)))
                .hasMessageContaining("this client asked for Basic256Sha256/SignAndEncrypt with anonymous login, which that endpoint does not accept");
    }

    /**
     * A certificate the client trusts, presented by a server reached under a name the certificate
     * does not hold, as a copied certificate on another machine would be.
     */
    @Test
    void aServerCertificateThatDoesNotNameTheHostDialledIsRefused() throws Exception {
        Path pki = dir.resolve("elsewhere-pki");
        Pki.open(pki, new Pki.Subject("Kiban simulated machine", "urn:kiban:sim:opcua", List.of("cell-7.plant")), "test").close();
        ServerSecurity security = new ServerSecurity(List.of(Policy.BASIC256SHA256), List.of(Mode.SIGN), pki, Optional.empty(), false);
        // Bound to one host its certificate does not name, the server refuses to start at all.
        assertThatThrownBy(() -> SimOpcUaServer.start(SimOpcUaServer.Config.of("factory-cell").withSecurity(security)))
                .isInstanceOf(kiban.core.error.InvalidInputException.class)
                .hasMessageContaining("--pki")
                .hasMessageContaining("naming the host 'localhost'")
                .hasMessageContaining("[cell-7.plant]");
        // Bound to every address it starts (its certificate may name any of them), and the client checks the name it dialled.
        Path client = dir.resolve("dialler-pki");
        try (Pki c = Pki.open(client, new Pki.Subject("Kiban test client", "urn:kiban:test", List.of("localhost")), "test")) {
            Files.copy(c.certificateFile(), pki.resolve("trusted/certs/dialler.der"));
            Files.copy(pki.resolve(Pki.CERTIFICATE), c.peers().trustedCertificates().resolve("elsewhere.der"));
        }
        SimOpcUaServer.Config wildcard = new SimOpcUaServer.Config("factory-cell", "0.0.0.0", 0, 0, 0, security);
        try (SimOpcUaServer elsewhere = SimOpcUaServer.start(wildcard)) {
            String url = "opc.tcp://localhost:" + elsewhere.port() + "/kiban";
            ClientSecurity dialler = new ClientSecurity(new ChannelSecurity(Policy.BASIC256SHA256, Mode.SIGN), client, Login.ANONYMOUS);
            assertThatThrownBy(() -> OpcUaMachine.connect(url, mapping, new OpcUaMachine.Options(TIMEOUT, 10, 10), dialler))
                    .isInstanceOf(KibanException.class)
                    .hasMessageContaining("does not name the host 'localhost'")
                    .hasMessageContaining("Bad_CertificateHostNameInvalid");
        }
    }

    @Test
    void aServerThatIsNotThereIsNamedWithTheReason() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String url = "opc.tcp://localhost:" + closed + "/kiban";
        assertThatThrownBy(() -> OpcUaMachine.connect(url, mapping, new OpcUaMachine.Options(Duration.ofSeconds(2), 10, 10),
                secure(clientPki, OPERATOR)))
                .isInstanceOf(KibanException.class)
                .hasMessageStartingWith("cannot reach the OPC UA server at " + url + ": ")
                .hasMessageContaining("refused")
                .hasMessageNotContaining("supported so far");
    }

    /** A client that ignores the endpoint list, as an attacker's would: the server itself must refuse. */
    @Test
    void aClientForgingAnEndpointCannotDowngradeToNoneOrLogInAnonymously() throws Exception {
        EndpointDescription listed = DiscoveryClient.getEndpoints(server.endpointUrl()).get().stream()
                .filter(e -> e.getSecurityPolicyUri().equals(Policy.BASIC256SHA256.uri()) && e.getSecurityMode() == Mode.SIGN_AND_ENCRYPT.milo())
                .findFirst().orElseThrow();
        UserTokenPolicy[] anonymous = {new UserTokenPolicy("anonymous", UserTokenType.Anonymous, null, null, null)};
        EndpointDescription none = new EndpointDescription(listed.getEndpointUrl(), listed.getServer(), ByteString.NULL_VALUE,
                MessageSecurityMode.None, Policy.NONE.uri(), anonymous, listed.getTransportProfileUri(), listed.getSecurityLevel());
        assertThat(statusOf(none, null)).isEqualTo("Bad_SecurityPolicyRejected");
        EndpointDescription forged = new EndpointDescription(listed.getEndpointUrl(), listed.getServer(), listed.getServerCertificate(),
                listed.getSecurityMode(), listed.getSecurityPolicyUri(), anonymous, listed.getTransportProfileUri(), listed.getSecurityLevel());
        try (Pki pki = Pki.open(clientPki, new Pki.Subject("unused", "urn:unused", List.of()), "test")) {
            assertThat(statusOf(forged, pki)).isIn("Bad_IdentityTokenInvalid", "Bad_IdentityTokenRejected", "Bad_UserAccessDenied");
        }
    }

    /** The status a Milo client connecting to {@code endpoint} anonymously fails with. */
    private static String statusOf(EndpointDescription endpoint, Pki pki) throws Exception {
        OpcUaClientConfigBuilder config = OpcUaClientConfig.builder().setEndpoint(endpoint)
                .setApplicationName(LocalizedText.english("forger")).setApplicationUri("urn:forger")
                .setSessionEndpointValidationEnabled(false).setRequestTimeout(uint(5000));
        if (pki != null) {
            config.setApplicationUri(pki.applicationUri()).setKeyPair(pki.keyPair()).setCertificate(pki.certificate())
                    .setCertificateChain(new X509Certificate[] {pki.certificate()})
                    .setCertificateValidator(new DefaultClientCertificateValidator(pki.peers().trustList(), pki.peers().rejected()));
        }
        OpcUaClient client = OpcUaClient.create(config.build());
        try {
            client.connect();
            throw new AssertionError("the server accepted " + endpoint.getSecurityPolicyUri() + " with an anonymous login");
        } catch (UaException e) {
            return ConnectFailures.name(e.getStatusCode().getValue());
        } finally {
            try {
                client.disconnectAsync().get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // Cleanup after a refusal, as OpcUaClients does: on a loaded machine Milo may take longer to
                // tear down a channel the server closed, which says nothing about what the server refused.
            }
        }
    }

    private static ClientSecurity secure(Path pki, Login login) {
        return new ClientSecurity(new ChannelSecurity(Policy.BASIC256SHA256, Mode.SIGN_AND_ENCRYPT), pki, login);
    }

    private static OpcUaMachine connect(ClientSecurity security) {
        return OpcUaMachine.connect(server.endpointUrl(), mapping, new OpcUaMachine.Options(TIMEOUT, 10, 10), security);
    }

    /** Makes a client PKI under {@code pki}; the server trusts it and it trusts the server, as asked. */
    private static void trustEachOther(Path pki, boolean serverTrustsClient, boolean clientTrustsServer) throws Exception {
        try (Pki client = Pki.open(pki, new Pki.Subject("Kiban test client", "urn:kiban:test", List.of("localhost")), "test")) {
            if (serverTrustsClient) {
                Files.copy(client.certificateFile(), server.pki().peers().trustedCertificates().resolve(pki.getFileName() + ".der"));
            }
            if (clientTrustsServer) {
                Files.copy(server.pki().certificateFile(), client.peers().trustedCertificates().resolve("server.der"));
            }
        }
    }

    private static Login.Certificate userCertificate(String name) throws Exception {
        KeyPair pair = SelfSignedCertificateGenerator.generateRsaKeyPair(Pki.KEY_BITS);
        X509Certificate c = new SelfSignedCertificateBuilder(pair).setCommonName(name).setApplicationUri("urn:kiban:test:user").build();
        return new Login.Certificate(c, pair.getPrivate());
    }

    private static boolean sameBytes(Path file, byte[] bytes) {
        try {
            return java.util.Arrays.equals(Files.readAllBytes(file), bytes);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static <T> T eventually(java.util.function.Supplier<T> action) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return action.get();
            } catch (KibanException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + TIMEOUT);
            }
            sleep(5);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
