package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
