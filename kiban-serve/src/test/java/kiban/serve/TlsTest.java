package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import kiban.client.ClientOptions;
import kiban.client.PolicyClient;
import kiban.client.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS by configuration: a keystore made with the JDK's keytool; HTTPS and wss:// on the same port. */
class TlsTest {

    @Test
    void servesHttpsWithAConfiguredKeystore(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "kiban", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String log = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(log).isZero();

        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);

        ServeConfig config = ServeConfig.defaults(Path.of("fake")).withPort(0).withTls(keystore, "changeit");
        try (PolicyServer s = new PolicyServer(config, p -> new FakePolicy(0, 0)).start();
                HttpClient https = HttpClient.newBuilder().sslContext(ssl).build()) {
            assertThat(s.url()).startsWith("wss://");
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("OK\n");
            try (PolicyClient c = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults().withSslContext(ssl))) {
                assertThat(c.infer(PolicyServerTest.request(PolicyServerTest.history(1))).join()).containsKey(Wire.ACTIONS);
            }
        }
    }
}
