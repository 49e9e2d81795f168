package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import kiban.client.ClientOptions;
import kiban.client.PolicyClient;
import kiban.client.PolicyServerException;
import kiban.client.Wire;
import kiban.core.error.KibanException;
import kiban.core.policy.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a web page, a guesser of keys and a reload request can do: a foreign Origin and a rebound
 * Host are refused, wrong keys are rate limited, reload is off unless allowed and stays inside its
 * model root, and no reply shows an absolute path or a class name.
 */
class AccessTest {

    private static final String KEY = PolicyServerTest.KEY;

    private static PolicyServer serve(ServeConfig config) {
        return new PolicyServer(config.withPort(0), p -> new FakePolicy(0, 0)).start();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder at(PolicyServer s, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
    }

    private static HttpRequest.Builder infer(PolicyServer s) {
        return at(s, "/v1/infer").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"observation.state\": [[1, 0.5, -1], [2, 0.25, 3]]}"));
    }

    /** A raw HTTP/1.1 GET with the given Host header (the JDK's client will not send a chosen Host); returns the status line. */
    private static String rawGet(PolicyServer s, String path, String host) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return response.lines().findFirst().orElse("") + " " + response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void webPagesAreRefusedUnlessTheirOriginIsAllowed() throws Exception {
        try (PolicyServer s = serve(ServeConfig.defaults(Path.of("fake"))); HttpClient http = HttpClient.newHttpClient()) {
            for (HttpRequest.Builder b : List.of(infer(s), at(s, "/v1/metadata"), at(s, "/metrics"))) {
                HttpResponse<String> r = send(http, b.header("Origin", "https://evil.example"));
                assertThat(r.statusCode()).isEqualTo(403);
                assertThat(r.body()).contains("Origin", "evil.example", "--allow-origin");
            }
            // A page's WebSocket carries its Origin too.
            assertThatThrownBy(() -> http.newWebSocketBuilder().header("Origin", "http://evil.example")
                    .buildAsync(URI.create(s.url()), new ServerFuzzTest.Outcome()).join()).hasStackTraceContaining("403");
            // Clients that are not browsers send no Origin and are served.
            assertThat(send(http, infer(s)).statusCode()).isEqualTo(200);
            // Health checks say nothing a page could use, and answer anyone.
            assertThat(send(http, at(s, "/healthz").header("Origin", "https://evil.example")).statusCode()).isEqualTo(200);
        }
        ServeConfig allowed = ServeConfig.defaults(Path.of("fake"))
                .withAccess(ServeAccess.defaults().withAllowOrigins(List.of("https://dash.example:8443")));
        try (PolicyServer s = serve(allowed); HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = send(http, infer(s).header("Origin", "https://dash.example:8443"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://dash.example:8443");
            HttpResponse<String> preflight = send(http, at(s, "/v1/infer").header("Origin", "https://dash.example:8443")
                    .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Content-Type");
            assertThat(send(http, infer(s).header("Origin", "https://dash.example:9999")).statusCode()).isEqualTo(403);
        }
    }

    @Test
    void withoutAKeyTheHostMustNameThisServer() throws Exception {
        ServeConfig config = ServeConfig.defaults(Path.of("fake")).withAccess(ServeAccess.defaults().withAllowHosts(List.of("robot.lan")));
        try (PolicyServer s = serve(config)) {
            // DNS rebinding: a page at attacker.example whose name now resolves to 127.0.0.1.
            String rebound = rawGet(s, "/v1/metadata", "attacker.example:" + s.port());
            assertThat(rebound).startsWith("HTTP/1.1 403").contains("attacker.example", "--allow-host");
            assertThat(rawGet(s, "/v1/metadata", "localhost:" + s.port())).startsWith("HTTP/1.1 200");
            assertThat(rawGet(s, "/v1/metadata", "127.0.0.1:" + s.port())).startsWith("HTTP/1.1 200");
            assertThat(rawGet(s, "/v1/metadata", "[::1]:" + s.port())).startsWith("HTTP/1.1 200");
            assertThat(rawGet(s, "/v1/metadata", "robot.lan:" + s.port())).startsWith("HTTP/1.1 200");
        }
        // With a key a rebound page gets nowhere anyway (it has no key), so any name is fine.
        try (PolicyServer s = serve(ServeConfig.defaults(Path.of("fake")).withHost("127.0.0.1", KEY))) {
            assertThat(rawGet(s, "/v1/metadata", "robot-server:" + s.port())).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void wrongKeysAreRateLimitedPerAddress() throws Exception {
        try (PolicyServer s = serve(ServeConfig.defaults(Path.of("fake")).withHost("127.0.0.1", KEY));
                HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < ServeLimits.DEFAULT_MAX_AUTH_FAILURES; i++) {
                assertThat(send(http, at(s, "/v1/metadata").header("Authorization", "Api-Key guess-" + i)).statusCode()).isEqualTo(401);
            }
            // Held off now, even with the right key: a guesser cannot tell a hit from a miss.
            HttpResponse<String> held = send(http, at(s, "/v1/metadata").header("Authorization", "Api-Key " + KEY));
            assertThat(held.statusCode()).isEqualTo(429);
            assertThat(held.headers().firstValue("Retry-After")).isPresent();
            assertThatThrownBy(() -> PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults().withApiKey(KEY)))
                    .isInstanceOf(PolicyServerException.class).hasMessageContaining("429");
            // Another address is not held off.
            try (HttpClient other = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build()) {
                HttpResponse<String> r = send(other, at(s, "/v1/metadata").header("Authorization", "Api-Key " + KEY));
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void theLimiterForgetsFailuresAfterItsWindow() {
        AtomicLong now = new AtomicLong();
        AuthLimiter limiter = new AuthLimiter(3, Duration.ofSeconds(60), now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.blockedSeconds("10.0.0.1")).isZero();
            limiter.failed("10.0.0.1");
        }
        assertThat(limiter.blockedSeconds("10.0.0.1")).isEqualTo(60);
        assertThat(limiter.blockedSeconds("10.0.0.2")).isZero();
        now.set(Duration.ofSeconds(45).toNanos());
        assertThat(limiter.blockedSeconds("10.0.0.1")).isEqualTo(15);
        now.set(Duration.ofSeconds(60).toNanos());
        assertThat(limiter.blockedSeconds("10.0.0.1")).isZero();
    }

    @Test
    void reloadIsOffUnlessAllowedAndStaysInsideTheModelRoot(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("models"));
        Path served = Files.createDirectory(root.resolve("served"));
        Path next = Files.createDirectory(root.resolve("next"));
        Path broken = Files.createDirectory(root.resolve("broken"));
        Path outside = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("link-out"), outside);
        java.util.function.Function<Path, Policy> loader = p -> {
            if (p.endsWith("broken")) {
                throw new KibanException(p.toAbsolutePath() + ": not a training run (no config.json)");
            }
            return new FakePolicy(p.endsWith("next") ? 100 : 0, 0);
        };
        try (PolicyServer s = new PolicyServer(ServeConfig.defaults(served).withPort(0), loader).start();
                HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> off = send(http, reload(s, "{\"checkpoint\": \"next\"}"));
            assertThat(off.statusCode()).isEqualTo(403);
            assertThat(off.body()).contains("--allow-reload");
        }
        ServeConfig on = ServeConfig.defaults(served).withAccess(ServeAccess.defaults().withReload(true, null)).withPort(0);
        try (PolicyServer s = new PolicyServer(on, loader).start(); HttpClient http = HttpClient.newHttpClient()) {
            record Case(String body, int status, String words) {}
            for (Case c : List.of(
                    new Case("{\"checkpoint\": \"missing\"}", 404, "'missing' not found under the model root"),
                    new Case("{\"checkpoint\": \"../elsewhere\"}", 403, "outside the model root"),
                    new Case("{\"checkpoint\": \"" + outside + "\"}", 403, "outside the model root"),
                    new Case("{\"checkpoint\": \"link-out\"}", 403, "links outside the model root"),
                    new Case("{\"checkpoint\": \"broken\"}", 400, "broken: not a training run"),
                    new Case("{\"checkpoint\": 5}", 400, "'checkpoint'"),
                    new Case("{\"checkpoint\": [1, 2", 400, "reload request"),
                    new Case("{\"checkpoint\": \"next\"}", 200, "\"reloaded\":\"next\""),
                    new Case("", 200, "\"generation\":2"))) {
                HttpResponse<String> r = send(http, reload(s, c.body()));
                assertThat(r.statusCode()).as(c.body() + " -> " + r.body()).isEqualTo(c.status());
                assertThat(r.body()).as(c.body()).contains(c.words()).doesNotContain(root.toString(), "java.", "Exception", "REDACTED");
            }
            // Still serving, on the reloaded checkpoint.
            try (PolicyClient c = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults())) {
                assertThat(c.infer(PolicyServerTest.request(PolicyServerTest.history(1))).join()).containsKey(Wire.ACTIONS);
            }
        }
    }

    private static HttpRequest.Builder reload(PolicyServer s, String body) {
        return at(s, "/v1/admin/reload").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void everyMetricHasHelpText() throws Exception {
        try (PolicyServer s = serve(ServeConfig.defaults(Path.of("fake"))); HttpClient http = HttpClient.newHttpClient()) {
            send(http, infer(s));
            send(http, at(s, "/v1/infer").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{")));
            String metrics = send(http, at(s, "/metrics")).body();
            List<String> help = metrics.lines().filter(l -> l.startsWith("# HELP ")).toList();
            assertThat(help).anyMatch(l -> l.startsWith("# HELP kiban_serve_requests_total "))
                    .anyMatch(l -> l.startsWith("# HELP kiban_serve_errors_total "));
            for (String l : help) {
                String[] parts = l.split(" ", 4);
                assertThat(parts.length == 4 && !parts[3].isBlank()).as(l).isTrue();
            }
        }
    }

    @Test
    void aPortInUseIsSaidInSoManyWords() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServeConfig config = ServeConfig.defaults(Path.of("fake")).withPort(taken.getLocalPort());
            PolicyServer s = new PolicyServer(config, p -> new FakePolicy(0, 0));
            assertThatThrownBy(s::start).isInstanceOf(KibanException.class)
                    .hasMessageContainingAll("port " + taken.getLocalPort(), "already in use", "--port");
        }
    }
}
