package kiban.testing.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.PermitAllAuthorizatorPolicy;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * A real MQTT broker (Moquette) in the test's JVM, on a free port, nothing on disk. With
 * {@link Security} it speaks TLS only (the key and certificate chain given) and accepts only the
 * users given; wrong credentials get MQTT's "bad user name or password".
 */
public final class TestBroker implements AutoCloseable {

    /**
     * TLS and logins.
     *
     * @param tlsKey   the broker's private key, or null for plain TCP
     * @param tlsChain its certificate chain, leaf first
     * @param users    user name to password; empty allows anonymous clients
     */
    public record Security(PrivateKey tlsKey, List<X509Certificate> tlsChain, Map<String, String> users) {

        public static final Security NONE = new Security(null, List.of(), Map.of());

        public Security {
            tlsChain = List.copyOf(tlsChain);
            users = Map.copyOf(users);
        }

        public static Security tls(PrivateKey key, X509Certificate... chain) {
            return new Security(key, List.of(chain), Map.of());
        }

        public Security withUser(String user, String password) {
            Map<String, String> u = new LinkedHashMap<>(users);
            u.put(user, password);
            return new Security(tlsKey, tlsChain, u);
        }

        public boolean tls() {
            return tlsKey != null;
        }
    }

    private final int port;
    private final Security security;
    private Server server;

    private TestBroker(int port, Security security) {
        this.port = port;
        this.security = security;
    }

    public static TestBroker start() {
        return start(freePort());
    }

    public static TestBroker start(int port) {
        return start(port, Security.NONE);
    }

    public static TestBroker start(Security security) {
        return start(freePort(), security);
    }

    public static TestBroker start(int port, Security security) {
        TestBroker b = new TestBroker(port, security);
        b.restart();
        return b;
    }

    /** Starts the broker (again) on the same port. */
    public void restart() {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", security.tls() ? "disabled" : Integer.toString(port));
        if (security.tls()) {
            p.setProperty("ssl_port", Integer.toString(port));
        }
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", Boolean.toString(security.users().isEmpty()));
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false"); // Moquette would otherwise report to its authors
        p.setProperty("netty.so_reuseaddr", "true");
        server = new Server();
        try {
            server.startServer(new MemoryConfig(p), List.of(), security.tls() ? this::sslContext : null,
                    security.users().isEmpty() ? null : this::authenticate, new PermitAllAuthorizatorPolicy());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private io.netty.handler.ssl.SslContext sslContext() {
        try {
            return SslContextBuilder.forServer(security.tlsKey(), security.tlsChain().toArray(X509Certificate[]::new)).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("test broker TLS: " + e.getMessage(), e);
        }
    }

    private boolean authenticate(String clientId, String user, byte[] password) {
        String expected = user == null ? null : security.users().get(user);
        return expected != null && password != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), password);
    }

    public void stop() {
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }

    public int port() {
        return port;
    }

    /** The URL Kiban takes: {@code mqtt://} or, with TLS, {@code mqtts://}. */
    public String url(String prefix) {
        return (security.tls() ? "mqtts" : "mqtt") + "://127.0.0.1:" + port + "/" + prefix;
    }

    /** The address Paho takes. */
    public String serverUri() {
        return (security.tls() ? "ssl" : "tcp") + "://127.0.0.1:" + port;
    }

    /**
     * Paho options that get a plain client in: trust in the broker's own certificate chain, and the
     * first user's login.
     */
    public MqttConnectOptions clientOptions() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        if (security.tls()) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("broker", security.tlsChain().getLast());
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                o.setSocketFactory(context.getSocketFactory());
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
        security.users().entrySet().stream().findFirst().ifPresent(u -> {
            o.setUserName(u.getKey());
            o.setPassword(u.getValue().toCharArray());
        });
        return o;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
