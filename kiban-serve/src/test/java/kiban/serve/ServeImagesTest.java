package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleFunction;
import kiban.client.ClientOptions;
import kiban.client.DType;
import kiban.client.NdArray;
import kiban.client.PolicyClient;
import kiban.client.PolicyServerException;
import kiban.client.RemotePolicy;
import kiban.client.Wire;
import kiban.core.json.Json;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;
import kiban.policy.foundation.TinyFoundation;
import kiban.policy.run.Policies;
import kiban.testing.LineCamera;
import kiban.testing.PythonScripts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving a policy that reads a camera: frames travel as uint8 msgpack-numpy arrays under the camera's feature name. */
class ServeImagesTest {

    static final String CAMERA = LineCamera.CAMERA.name();

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void train() {
        run = TinyRun.train(dir.resolve("camera-run"), true);
    }

    static PolicyObservation[] history(double target) {
        return new PolicyObservation[] {
            new PolicyObservation(new double[] {0, 0}, Map.of(CAMERA, LineCamera.strip(target))),
            new PolicyObservation(new double[] {0.5, 0}, Map.of(CAMERA, LineCamera.strip(target)))};
    }

    @Test
    void anOpenpiStyleClientSendsFramesAndGetsTheJavaPolicysActions() throws Exception {
        Path script = PythonScripts.copy(getClass(), dir, "openpi_client.py");
        try (PolicyServer server = new PolicyServer(ServeConfig.defaults(run).withHost("127.0.0.1", null).withPort(0),
                Policies::load).start(); Policy local = Policies.load(run)) {
            JsonNode result = PythonScripts.runJson(script, server.url(), "9", "4");

            JsonNode input = result.get("metadata").get("inputs").get(CAMERA);
            assertThat(input.get("dtype").asText()).isEqualTo("uint8");
            assertThat(input.get("shape").toString()).isEqualTo("[2,8,16,3]");
            assertThat(result.get("metadata").get("images").get(0).get("name").asText()).isEqualTo(CAMERA);
            for (int i = 0; i < 4; i++) {
                double[][] states = Json.MAPPER.treeToValue(result.get("states").get(i), double[][].class);
                int[] pixels = Json.MAPPER.treeToValue(result.get("images").get(i).get(CAMERA), int[].class);
                PolicyObservation[] h = new PolicyObservation[2];
                for (int k = 0; k < 2; k++) {
                    byte[] frame = new byte[LineCamera.CAMERA.bytes()];
                    for (int j = 0; j < frame.length; j++) {
                        frame[j] = (byte) pixels[k * frame.length + j];
                    }
                    h[k] = new PolicyObservation(states[k], Map.of(CAMERA, frame));
                }
                double[][] expected = local.infer(h);
                double[][] got = Json.MAPPER.treeToValue(result.get("actions").get(i), double[][].class);
                for (int r = 0; r < 4; r++) {
                    assertThat(got[r][0]).isCloseTo(expected[r][0], within(1e-6));
                }
            }

            // One observation per call, frames included: the server keeps both histories, repeating the first.
            JsonNode one = result.get("metadata").get("server_history").get("inputs");
            assertThat(one.get(CAMERA).get("shape").toString()).isEqualTo("[8,16,3]");
            PolicyObservation previous = null;
            JsonNode steps = result.get("steps");
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).isTextual()) {
                    previous = null;
                    continue;
                }
                int[] pixels = Json.MAPPER.treeToValue(steps.get(i).get("images").get(CAMERA), int[].class);
                byte[] frame = new byte[pixels.length];
                for (int j = 0; j < frame.length; j++) {
                    frame[j] = (byte) pixels[j];
                }
                PolicyObservation now = new PolicyObservation(Json.MAPPER.treeToValue(steps.get(i).get("state"), double[].class),
                        Map.of(CAMERA, frame));
                double[][] expected = local.infer(new PolicyObservation[] {previous == null ? now : previous, now});
                double[][] got = Json.MAPPER.treeToValue(result.get("step_actions").get(i), double[][].class);
                for (int r = 0; r < 4; r++) {
                    assertThat(got[r][0]).as("step %d", i).isCloseTo(expected[r][0], within(1e-6));
                }
                previous = now;
            }
        }
    }

    /** The residual image encoder is the network's business: served over the WebSocket with frames alike. */
    @Test
    void aPolicyWithTheResidualEncoderIsServedWithFrames() throws Exception {
        Path resnet = TinyRun.train(dir.resolve("resnet-run"), true, "resnet");
        try (PolicyServer server = new PolicyServer(ServeConfig.defaults(resnet).withHost("127.0.0.1", null).withPort(0)
                .withWarmup(10), Policies::load).start(); Policy local = Policies.load(resnet);
                RemotePolicy remote = RemotePolicy.connect(URI.create(server.url()), ClientOptions.defaults())) {
            assertThat(remote.metadata().images()).containsExactly(LineCamera.CAMERA);
            double[][] left = remote.infer(history(-4));
            assertThat(left[0][0]).isCloseTo(local.infer(history(-4))[0][0], within(1e-9));
            assertThat(remote.infer(history(4))[0][0]).isCloseTo(local.infer(history(4))[0][0], within(1e-9))
                    .isNotCloseTo(left[0][0], within(1e-6));
        }
    }

    /** A policy whose flow noise is drawn from the same seed before every batch, so that served and local answers compare. */
    record Reseeded(Policy policy) implements Policy {
        @Override
        public kiban.core.policy.PolicyMetadata metadata() {
            return policy.metadata();
        }

        @Override
        public double[][][] inferBatch(PolicyObservation[][] histories) {
            policy.seed(1);
            return policy.inferBatch(histories);
        }

        @Override
        public void close() {
            policy.close();
        }
    }

    /** A foundation embodiment's camera is served as an image policy's: the server asks for its frames and passes them on. */
    @Test
    void aFoundationEmbodimentWithACameraIsServedWithFrames() throws Exception {
        // Serving needs the run's shape, not its skill: a few episodes and steps.
        Path foundation = TinyFoundation.trainWithEye(dir.resolve("foundation"), 10, 4);
        DoubleFunction<PolicyObservation[]> seeing = target -> new PolicyObservation[] {
            new PolicyObservation(new double[] {0}, Map.of(TinyFoundation.STRIP.name(), TinyFoundation.strip(target)))};
        try (PolicyServer server = new PolicyServer(ServeConfig.defaults(foundation).withHost("127.0.0.1", null).withPort(0)
                .withWarmup(10), d -> new Reseeded(Policies.load(d, Optional.of("eye")))).start();
                Policy local = new Reseeded(Policies.load(foundation, Optional.of("eye")));
                RemotePolicy remote = RemotePolicy.connect(URI.create(server.url()), ClientOptions.defaults())) {
            assertThat(remote.metadata().images()).containsExactly(TinyFoundation.STRIP);
            double[][] left = remote.infer(seeing.apply(-4));
            assertThat(left[0][0]).isCloseTo(local.infer(seeing.apply(-4))[0][0], within(1e-6));
            // The same noise, another picture: another action, as the frames reached the policy.
            assertThat(remote.infer(seeing.apply(4))[0][0]).isCloseTo(local.infer(seeing.apply(4))[0][0], within(1e-6))
                    .isNotCloseTo(left[0][0], within(1e-4));
            assertThatThrownBy(() -> remote.infer(new double[][] {{0}})).hasMessageContaining(TinyFoundation.STRIP.name());
        }
    }

    @Test
    void theJavaClientSendsFramesAndBadFramesAreNamed() throws Exception {
        // The other test warms this camera policy as the defaults do; a short warm-up spares the suite some seconds.
        try (PolicyServer server = new PolicyServer(ServeConfig.defaults(run).withHost("127.0.0.1", null).withPort(0).withWarmup(100),
                Policies::load).start(); Policy local = Policies.load(run);
                RemotePolicy remote = RemotePolicy.connect(URI.create(server.url()), ClientOptions.defaults())) {
            assertThat(remote.metadata().images()).containsExactly(LineCamera.CAMERA);
            double[][] left = remote.infer(history(-4));
            assertThat(left[0][0]).isCloseTo(local.infer(history(-4))[0][0], within(1e-9));
            // The frames reach the policy: another picture, another action.
            assertThat(remote.infer(history(4))[0][0]).isNotCloseTo(left[0][0], within(1e-6));
            assertThatThrownBy(() -> remote.infer(new double[][] {{0, 0}, {0, 0}})).hasMessageContaining("reads image " + LineCamera.CAMERA.name())
                    .hasMessageContaining("has no images");

            byte[] frames = new byte[2 * LineCamera.CAMERA.bytes()];
            record Bad(Object frames, String... words) {}
            List<Bad> cases = List.of(
                    new Bad(null, CAMERA, "no such key", "uint8", "[2, 8, 16, 3]"),
                    new Bad(NdArray.of(DType.FLOAT32, new double[2 * 8 * 16 * 3], 2, 8, 16, 3), CAMERA, "dtype float32"),
                    new Bad(new NdArray(DType.UINT8, new int[] {8, 16, 3, 2}, frames), CAMERA, "shape [8, 16, 3, 2]"),
                    new Bad("a string", CAMERA, "a string"));
            for (Bad bad : cases) {
                Map<String, Object> request = new LinkedHashMap<>();
                request.put(Wire.STATE, NdArray.float64(new double[][] {{0, 0}, {0, 0}}));
                if (bad.frames() != null) {
                    request.put(CAMERA, bad.frames());
                }
                try (PolicyClient c = PolicyClient.connect(URI.create(server.url()), ClientOptions.defaults()
                        .withConnectTimeout(Duration.ofSeconds(5)))) {
                    assertThatThrownBy(() -> c.infer(request).join()).hasCauseInstanceOf(PolicyServerException.class)
                            .cause().hasMessageContainingAll(bad.words());
                }
            }

            // JSON carries the state only, so it names the camera the policy needs.
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/v1/infer")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"observation.state\": [[0, 0], [0, 0]]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(400);
                assertThat(r.body()).contains(CAMERA, "WebSocket");
            }

            // A state-only policy cannot replace it under connected clients.
            Path stateOnly = TinyRun.train(dir.resolve("state-run"));
            assertThatThrownBy(() -> server.reload(stateOnly)).hasMessageContaining("cameras");
            assertThat(remote.infer(history(-4))[0][0]).isCloseTo(left[0][0], within(1e-9));
        }
    }
}
