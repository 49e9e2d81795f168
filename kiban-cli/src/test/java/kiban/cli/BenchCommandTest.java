package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;

/** Bad bench options are refused before anything is timed; the peer comparison prints both servers' figures. */
class BenchCommandTest {

    @Test
    void anUnknownFlowHeadIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.of("bench", "train", "--flow-head", "unet");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kiban: usage error: --flow-head:").contains("[mlp, film]").contains("\"unet\"");
    }

    @Test
    void filmWidthsThatDifferAreAUsageErrorNamingTheOption() {
        CliRun run = CliRun.of("bench", "train", "--flow-head", "film", "--hidden", "256,128");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kiban: usage error: --hidden:").contains("[256, 128]");
        assertThat(CliRun.of("bench", "train", "--hidden", "0").err()).startsWith("kiban: usage error: --hidden:");
    }

    @Test
    void thePythonPeerComparisonPrintsBothServersAndTheirRatios() throws Exception {
        CliRun run = CliRun.of("bench", "serve", "--peer", "python", "--calls", "20", "--warmup", "5", "--rounds", "1", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = Json.MAPPER.readTree(run.out());
        assertThat(out.get("benchmark").asText()).isEqualTo("bench serve --peer python");
        Map<String, JsonNode> by = new HashMap<>();
        out.get("results").forEach(r -> by.put(r.get("subject").asText() + ": " + r.get("setting").asText(), r));
        for (String server : new String[] {"kiban", "python"}) {
            for (String q : new String[] {"p50", "p99", "p99.9"}) {
                JsonNode r = by.get(server + ": round trip " + q);
                assertThat(r).as(server + " " + q + " in " + by.keySet()).isNotNull();
                assertThat(r.get("value").asDouble()).isPositive();
                assertThat(r.get("unit").asText()).isEqualTo("us");
                assertThat(r.get("operations").asLong()).isEqualTo(20);
            }
        }
        double p50 = by.get("kiban: round trip p50").get("value").asDouble() / by.get("python: round trip p50").get("value").asDouble();
        assertThat(by.get("kiban/python: round trip p50").get("value").asDouble()).isEqualTo(p50);
        double p99 = by.get("kiban: round trip p99").get("value").asDouble() / by.get("python: round trip p99").get("value").asDouble();
        assertThat(by.get("kiban/python: round trip p99").get("value").asDouble()).isEqualTo(p99);
        assertThat(by.get("kiban: round trip p99.9 / p50").get("value").asDouble()).isPositive();
    }

    /** A benchmark's JSON results by setting, each a subject's. */
    private static Map<String, JsonNode> results(CliRun run, String benchmark) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = Json.MAPPER.readTree(run.out());
        assertThat(out.get("benchmark").asText()).isEqualTo(benchmark);
        Map<String, JsonNode> by = new HashMap<>();
        out.get("results").forEach(r -> by.put(r.get("setting").asText().replaceAll(" \\(python torch[^)]*\\)", "")
                .replaceAll("python torch \\S+ eager", "python eager"), r));
        out.get("results").forEach(r -> assertThat(r.get("subject").asText()).isEqualTo("foundation"));
        return by;
    }

    @Test
    void theFoundationTrainingStepIsTimedBesideAPeerThatComputesTheSameNetwork() throws Exception {
        Map<String, JsonNode> by = results(CliRun.of("bench", "train", "--policy", "foundation", "--batch", "4", "--seconds",
                "0.2", "--json"), "bench train");
        assertThat(by.get("parameters, kiban").get("value").asLong()).isPositive()
                .isEqualTo(by.get("parameters, peer").get("value").asLong());
        assertThat(by.get("velocity on kiban's weights, max |kiban - peer|").get("value").asDouble()).isLessThan(1e-4);
        JsonNode kiban = by.entrySet().stream().filter(e -> e.getKey().startsWith("kiban (DJL")).findFirst().orElseThrow().getValue();
        JsonNode like = by.entrySet().stream().filter(e -> e.getKey().endsWith("kiban's thread setting") && e.getKey().startsWith("python"))
                .findFirst().orElseThrow().getValue();
        assertThat(kiban.get("unit").asText()).isEqualTo("ms/step");
        assertThat(kiban.get("setting").asText()).contains("batch 4");
        assertThat(by.get("kiban / python, kiban's thread setting").get("value").asDouble())
                .isEqualTo(kiban.get("value").asDouble() / like.get("value").asDouble());
    }

    @Test
    void theFoundationPolicyIsTimedAtBatchOneAndBatchedBesideThePeer() throws Exception {
        Map<String, JsonNode> by = results(CliRun.of("bench", "infer", "--policy", "foundation", "--calls", "20", "--batch", "3",
                "--json"), "bench infer");
        assertThat(by.get("velocity on kiban's weights, max |kiban - peer|").get("value").asDouble()).isLessThan(1e-4);
        for (String side : new String[] {"kiban", "python eager"}) {
            JsonNode p50 = by.get(side + ", batch 1, 1 thread(s), p50");
            assertThat(p50).as(side + " in " + by.keySet()).isNotNull();
            assertThat(p50.get("operations").asLong()).isEqualTo(20);
            assertThat(by.get(side + ", batch 1, 1 thread(s), p99").get("value").asDouble()).isGreaterThanOrEqualTo(p50.get("value").asDouble());
            JsonNode rate = by.entrySet().stream().filter(e -> e.getKey().startsWith(side + ", batch 3, ") && e.getKey().endsWith("thread(s)"))
                    .findFirst().orElseThrow().getValue();
            assertThat(rate.get("unit").asText()).isEqualTo("rows/s");
            assertThat(rate.get("value").asDouble()).isPositive();
        }
        assertThat(by.get("kiban / python, p50").get("value").asDouble()).isCloseTo(by.get("kiban, batch 1, 1 thread(s), p50")
                .get("value").asDouble() / by.get("python eager, batch 1, 1 thread(s), p50").get("value").asDouble(), within(1e-9));
    }

    @Test
    void imageEncoderOptionsThatDoNotFitAreUsageErrorsNamingTheOption() {
        CliRun unknown = CliRun.of("bench", "train", "--image-encoder", "vgg");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("kiban: usage error: --image-encoder:").contains("[cnn, resnet]").contains("\"vgg\"");
        CliRun policy = CliRun.of("bench", "infer", "--image-encoder", "cnn", "--policy", "mlp");
        assertThat(policy.exitCode()).isEqualTo(2);
        assertThat(policy.err()).startsWith("kiban: usage error: --image-encoder").contains("got mlp");
        CliRun film = CliRun.of("bench", "train", "--image-encoder", "resnet", "--flow-head", "film");
        assertThat(film.exitCode()).isEqualTo(2);
        assertThat(film.err()).startsWith("kiban: usage error: --flow-head:").contains("film");
        CliRun sweep = CliRun.of("bench", "infer", "--image-encoder", "cnn", "--batches", "1,2");
        assertThat(sweep.exitCode()).isEqualTo(2);
        assertThat(sweep.err()).startsWith("kiban: usage error: --batches");
    }

    /** A benchmark's JSON results by setting, with python's version taken out, each of {@code subject}. */
    private static Map<String, JsonNode> imageResults(CliRun run, String benchmark, String subject) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = Json.MAPPER.readTree(run.out());
        assertThat(out.get("benchmark").asText()).isEqualTo(benchmark);
        assertThat(out.get("machine").get("cores").asInt()).isPositive();
        Map<String, JsonNode> by = new HashMap<>();
        out.get("results").forEach(r -> {
            assertThat(r.get("subject").asText()).isEqualTo(subject);
            by.put(r.get("setting").asText().replaceAll(" \\(python torch[^)]*\\)", "")
                    .replaceAll("python torch \\S+", "python"), r);
        });
        assertThat(by.get("parameters, kiban").get("value").asLong()).isPositive()
                .isEqualTo(by.get("parameters, peer").get("value").asLong());
        assertThat(by.get("velocity on kiban's weights, max |kiban - peer|").get("value").asDouble()).isLessThan(1e-4);
        return by;
    }

    private static JsonNode only(Map<String, JsonNode> by, java.util.function.Predicate<String> setting) {
        var found = by.entrySet().stream().filter(e -> setting.test(e.getKey())).toList();
        assertThat(found).as("settings in " + by.keySet()).hasSize(1);
        return found.getFirst().getValue();
    }

    @Test
    void theImagePolicyTrainingStepIsTimedBesideAPeerOfTheSameParameterCount() throws Exception {
        Map<String, JsonNode> by = imageResults(CliRun.of("bench", "train", "--image-encoder", "resnet", "--batch", "2",
                "--seconds", "0.1", "--hidden", "64,64", "--json"), "bench train --image-encoder", "flow+resnet 96x96");
        JsonNode kiban = only(by, s -> s.startsWith("kiban (DJL"));
        JsonNode like = only(by, s -> s.startsWith("python") && s.endsWith("kiban's thread setting"));
        assertThat(kiban.get("unit").asText()).isEqualTo("ms/step");
        assertThat(kiban.get("setting").asText()).contains("batch 2");
        assertThat(by.get("kiban / python, kiban's thread setting").get("value").asDouble())
                .isEqualTo(kiban.get("value").asDouble() / like.get("value").asDouble());
        JsonNode images = by.get("images through the encoder, training, " + kiban.get("setting").asText());
        assertThat(images.get("unit").asText()).isEqualTo("images/s");
        // Two rows of two observation steps: four frames a step.
        assertThat(images.get("value").asDouble()).isCloseTo(4 * 1000 / kiban.get("value").asDouble(), within(1e-6));
    }

    @Test
    void theImagePolicyIsTimedAtBatchOneAndBatchedBesideAPeerOfTheSameParameterCount() throws Exception {
        Map<String, JsonNode> by = imageResults(CliRun.of("bench", "infer", "--image-encoder", "cnn", "--calls", "20",
                "--batch", "3", "--json"), "bench infer --image-encoder", "flow+cnn 96x96");
        for (String side : new String[] {"kiban", "python eager"}) {
            JsonNode p50 = by.get(side + ", batch 1, 1 thread(s), p50");
            assertThat(p50).as(side + " in " + by.keySet()).isNotNull();
            assertThat(p50.get("operations").asLong()).isEqualTo(20);
            assertThat(by.get(side + ", batch 1, 1 thread(s), p99").get("value").asDouble())
                    .isGreaterThanOrEqualTo(p50.get("value").asDouble());
            JsonNode rows = only(by, s -> s.startsWith(side + ", batch 3, ") && s.endsWith("thread(s)"));
            assertThat(rows.get("unit").asText()).isEqualTo("rows/s");
            JsonNode images = only(by, s -> s.startsWith("images through the encoder, inference, " + side + ", batch 3, "));
            assertThat(images.get("value").asDouble()).isCloseTo(2 * rows.get("value").asDouble(), within(1e-6));
        }
        assertThat(by.get("kiban / python, p99").get("value").asDouble()).isCloseTo(by.get("kiban, batch 1, 1 thread(s), p99")
                .get("value").asDouble() / by.get("python eager, batch 1, 1 thread(s), p99").get("value").asDouble(), within(1e-9));
    }

    @Test
    void aBatchedFigureOfNoRowsIsAUsageError() {
        CliRun run = CliRun.of("bench", "infer", "--policy", "foundation", "--batch", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kiban: usage error: --batch:").contains("got 0");
    }

    @Test
    void anUnknownPeerIsAUsageErrorNamingIt() {
        CliRun run = CliRun.of("bench", "serve", "--peer", "ruby");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kiban: usage error: --peer:").contains("'ruby'").contains("python");
    }

    @Test
    void peerOptionsWithoutThePeerOrAMissingRunAreUsageErrors() {
        CliRun calls = CliRun.of("bench", "serve", "--calls", "20");
        assertThat(calls.exitCode()).isEqualTo(2);
        assertThat(calls.err()).startsWith("kiban: usage error: --calls").contains("--peer");
        CliRun missing = CliRun.of("bench", "serve", "--peer", "python", "--run", "no-such-run");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith("kiban: usage error: --run: no-such-run:");
        CliRun clients = CliRun.of("bench", "serve", "--peer", "python", "--clients", "4");
        assertThat(clients.exitCode()).isEqualTo(2);
        assertThat(clients.err()).startsWith("kiban: usage error: --clients does not go with --peer");
    }

    @Test
    void theVideoBenchTimesDecodingTheCacheAndTheSamplerBesideTheStep(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        CliRun run = CliRun.of("bench", "data", "--video", "--video-frames", "40", "--episode-length", "20", "--video-size", "32",
                "--crop", "28", "--state-dim", "2", "--action-dim", "2", "--batch", "4", "--seconds", "0.2", "--scratch",
                tmp.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = Json.MAPPER.readTree(run.out());
        assertThat(out.get("benchmark").asText()).isEqualTo("bench data --video");
        Map<String, JsonNode> by = new HashMap<>();
        out.get("results").forEach(r -> by.put(r.get("setting").asText(), r));
        assertThat(by.get("direct decode (ffmpeg, one pass per episode)").get("operations").asLong()).isEqualTo(40);
        assertThat(by.get("frame cache, first build (decode, write, rename)").get("operations").asLong()).isEqualTo(40);
        JsonNode frames = by.get("cached frames into batches (" + kiban.policy.data.ChunkWindows.WORKERS
                + " workers), crop 28x28 of 32x32, jitter 0.1, batch 4");
        JsonNode batches = by.get("the same, in batches");
        // Two observation steps: two frames per window.
        assertThat(frames.get("operations").asLong()).isEqualTo(batches.get("operations").asLong() * 4 * 2);
        JsonNode step = by.get("flow with its CNN image encoder, one batch again and again, crop 28x28 of 32x32, jitter 0.1, batch 4");
        assertThat(by.get("batches/s per training step/s (goal >= 10)").get("value").asDouble())
                .isCloseTo(batches.get("value").asDouble() / step.get("value").asDouble(), within(1e-9));
        assertThat(by.get("the same, each step fed the sampler's next batch (as training runs)").get("value").asDouble()).isPositive();
        // The scratch dataset and its cache are gone.
        try (var left = java.nio.file.Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aVideoCropLargerThanTheFramesIsAUsageError() {
        CliRun run = CliRun.of("bench", "data", "--video", "--video-size", "32", "--crop", "40");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kiban: usage error: --crop").contains("40");
    }
}
