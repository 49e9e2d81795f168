package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kiban.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed {@code POST /v1/infer} bodies: each is answered 400 (415 for the wrong
 * Content-Type) with an error naming the field, never 500, never an allocation sized by the body,
 * never Jackson's or Java's own words.
 */
class HttpInferTest {

    private PolicyServer server;
    private HttpClient http;

    @BeforeEach
    void start() {
        server = new PolicyServer(ServeConfig.defaults(Path.of("fake")).withPort(0), p -> new FakePolicy(0, 0)).start();
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    private HttpResponse<String> post(byte[] body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/infer"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return post(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json; charset=utf-8");
    }

    @Test
    void aBodyWhoseFirstRowClaimsGigabytesIsRefusedBeforeAnythingIsAllocated() throws Exception {
        // 46,000 numbers in the first row and 46,000 rows: read as the first row's size times the row count, 17 GB of doubles.
        int n = 46_000;
        StringBuilder b = new StringBuilder(6 * n).append("{\"observation.state\": [[");
        b.append("0,".repeat(n - 1)).append("0]");
        b.append(",[]".repeat(n - 1)).append("]}");
        assertThat(b.length()).isLessThan(3 << 20);
        HttpResponse<String> r = post(b.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("observation.state", "[2, 3]", "more than 3 numbers").doesNotContain("Memory", "java.");
        // The server goes on.
        assertThat(post("{\"observation.state\": [[1, 0.5, -1], [2, 0.25, 3]]}").statusCode()).isEqualTo(200);
    }

    @Test
    void everyMalformedBodyIsA400NamingTheField() throws Exception {
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("", new String[] {"request", "an empty body"});
        cases.put("{not json", new String[] {"request", "well-formed JSON", "line 1, column 2"});
        cases.put("{\"observation.state\": [[1, 2", new String[] {"'observation.state'", "well-formed JSON", "end-of-input"});
        cases.put("[1, 2]", new String[] {"request", "a JSON object", "an array"});
        cases.put("{\"state\": 1}", new String[] {"'observation.state'", "no such key"});
        cases.put("{\"observation.state\": null}", new String[] {"'observation.state'", "a null"});
        cases.put("{\"observation.state\": {}}", new String[] {"'observation.state'", "an object"});
        cases.put("{\"observation.state\": [[1, 2], [3, 4]]}", new String[] {"'observation.state'", "[2, 3]", "row 0 of 2 numbers"});
        cases.put("{\"observation.state\": [[1, \"x\", 0], [0, 0, 0]]}", new String[] {"'observation.state'", "a string at row 0 element 1"});
        cases.put("{\"observation.state\": [[1, 0, 0], [0, 0, 0], [0, 0, 0]]}", new String[] {"'observation.state'", "more than 2 rows"});
        cases.put("{\"observation.state\": [[1, 0, 0]]}", new String[] {"'observation.state'", "1 rows"});
        cases.put("{\"observation.state\": [[1, 0, 0], 7]}", new String[] {"'observation.state'", "a number among the rows"});
        cases.put("{\"observation.state\": [[1e999, 0, 0], [0, 0, 0]]}", new String[] {"'observation.state'", "finite", "Infinity"});
        cases.put("{\"observation.state\": [[NaN, 0, 0], [0, 0, 0]]}", new String[] {"'observation.state'", "well-formed JSON"});
        cases.put("{\"observation.state\": [[1" + "0".repeat(200) + ", 0, 0], [0, 0, 0]]}",
                new String[] {"'observation.state'", "well-formed JSON"});
        cases.put("{\"extra\": " + "[".repeat(2000) + "]".repeat(2000) + "}", new String[] {"request", "well-formed JSON"});
        cases.put("{\"prompt\": {\"text\": \"push\"}, \"observation.state\": [[1, 0.5, -1], [2, 0.25, 3]]}",
                new String[] {"'prompt'", "a string of at most 1000 characters", "an object"});
        cases.put("{\"prompt\": \"" + "a".repeat(1001) + "\", \"observation.state\": [[1, 0.5, -1], [2, 0.25, 3]]}",
                new String[] {"'prompt'", "1001 characters"});
        cases.put("{\"observation.state\": [[1, 2, 3], [4, 5, 6]], \"observation.state\": [[1, 2, 3], [4, 5, 6]]}",
                new String[] {"'observation.state'", "the key twice"});
        cases.put("{\"observation.state\": [[1, 2, 3], [4, 5, 6]]} {}", new String[] {"request", "more content"});
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = post(c.getKey());
            String what = c.getKey().length() > 80 ? c.getKey().substring(0, 80) + "..." : c.getKey();
            assertThat(r.statusCode()).as(what + " -> " + r.body()).isEqualTo(400);
            String error = Json.MAPPER.readTree(r.body()).get("error").asText();
            assertThat(error).as(what).contains(c.getValue()).doesNotContain("REDACTED", "Source:", "java.", "Exception");
        }
        byte[] notUtf8 = {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'};
        HttpResponse<String> r = post(notUtf8, "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("well-formed JSON");
        // Other keys beside the state (nested values) are skipped, not refused; a prompt is read.
        assertThat(post("{\"extra\": {\"text\": [\"push\", 1]}, \"prompt\": \"push the T\", "
                + "\"observation.state\": [[1, 0.5, -1], [2, 0.25, 3]]}").statusCode()).isEqualTo(200);
    }

    @Test
    void onlyJsonBodiesAreAccepted() throws Exception {
        String body = "{\"observation.state\": [[1, 0.5, -1], [2, 0.25, 3]]}";
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // What a web page can send across origins without asking first: a form or plain text.
        for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            HttpResponse<String> r = post(bytes, type);
            assertThat(r.statusCode()).as(String.valueOf(type)).isEqualTo(415);
            assertThat(r.body()).contains("Content-Type: application/json");
        }
        assertThat(post(bytes, "application/json").statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyThatGrowsPastTheLimitIs413AndOneThatStopsShortIs400() throws Exception {
        ServeConfig small = ServeConfig.defaults(Path.of("fake")).withPort(0).withLimits(ServeLimits.defaults().withMaxMessageBytes(4096)
                .withIdleTimeout(java.time.Duration.ofMillis(500)));
        try (PolicyServer s = new PolicyServer(small, p -> new FakePolicy(0, 0)).start()) {
            // Chunked, so no Content-Length announces the size: the limit applies as the bytes arrive.
            var chunked = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(new byte[20_000]));
            HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/infer"))
                    .header("Content-Type", "application/json").POST(chunked).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(big.body()).contains("limit of 4096 bytes");
            // Declares 100 bytes, sends 5, then waits.
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", s.port())) {
                raw.setSoTimeout(5000);
                raw.getOutputStream().write(("POST /v1/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{\"obs").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                raw.getOutputStream().flush();
                String reply = new String(raw.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(reply).startsWith("HTTP/1.1 400").contains("a whole body", "idle timeout");
            }
        }
    }
}
