package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kiban.client.ClientOptions;
import kiban.client.RemotePolicy;
import kiban.core.json.Json;
import kiban.policy.run.Policies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    @Test
    void refusesANonLoopbackBindWithoutAKey(@TempDir Path dir) {
        CliRun r = CliRun.of("serve", "--checkpoint", dir.toString(), "--host", "0.0.0.0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--host", "API key", "0.0.0.0");
    }

    @Test
    void servesATrainedRunAndAnswersHealthz(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        Path key = dir.resolve("key");
        Files.writeString(key, "kT3x9-VbQ2mZr8LwY4pN6sHd1JcF0aUe\n");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        Thread serving = new Thread(() -> {
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            code.set(cli.execute("serve", "--checkpoint", run.toString(), "--port", "0", "--api-key-file", key.toString(), "--json"));
        });
        serving.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!out.toString().contains("\n") && serving.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(out.toString()).as(err.toString()).contains("ws://127.0.0.1:");
        JsonNode announced = Json.MAPPER.readTree(out.toString());
        int port = announced.get("port").asInt();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("OK\n");
            HttpResponse<String> meta = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/metadata"))
                    .header("Authorization", "Api-Key kT3x9-VbQ2mZr8LwY4pN6sHd1JcF0aUe").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(meta.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(meta.body()).get("policy_type").asText()).isEqualTo("mlp");
        }
        // What 'kiban run --server URL' will use: the same actions as the policy loaded locally.
        try (RemotePolicy remote = RemotePolicy.connect(URI.create(announced.get("url").asText()),
                ClientOptions.defaults().withApiKey("kT3x9-VbQ2mZr8LwY4pN6sHd1JcF0aUe"));
                var local = Policies.load(run)) {
            double[][] history = new double[local.metadata().observationSteps()][local.metadata().observationDim()];
            for (double[] o : history) {
                java.util.Arrays.fill(o, 100);
            }
            double[][] expected = local.infer(history);
            double[][] got = remote.infer(history);
            for (int h = 0; h < expected.length; h++) {
                for (int a = 0; a < expected[h].length; a++) {
                    assertThat(got[h][a]).isCloseTo(expected[h][a], org.assertj.core.api.Assertions.within(1e-6));
                }
            }
        }
        serving.interrupt();
        serving.join(10_000);
        assertThat(serving.isAlive()).isFalse();
        assertThat(code.get()).as(err.toString()).isZero();
    }

    @Test
    void generatesAKeyFileOnlyItsOwnerCanReadAndServesWithIt(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("keys/serve.key");
        CliRun made = CliRun.of("serve", "--generate-key", key.toString());
        assertThat(made.exitCode()).as(made.err()).isZero();
        assertThat(made.out()).contains(key.toString(), "--api-key-file");
        String k = Files.readString(key).strip();
        assertThat(k).hasSize(43);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        CliRun again = CliRun.of("serve", "--generate-key", key.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("--generate-key", "exists");
        assertThat(Files.readString(key).strip()).isEqualTo(k);

        // A weak key is refused; off the loopback, a key without TLS is refused too.
        Path weak = dir.resolve("weak.key");
        Files.writeString(weak, "cli-key\n");
        CliRun refused = CliRun.of("serve", "--checkpoint", dir.toString(), "--api-key-file", weak.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("--api-key-file", "128", "--generate-key");
        CliRun plain = CliRun.of("serve", "--checkpoint", dir.toString(), "--host", "0.0.0.0", "--api-key-file", key.toString());
        assertThat(plain.exitCode()).isEqualTo(2);
        assertThat(plain.err()).contains("--tls-keystore", "--allow-plaintext");
    }

    @Test
    void everyEmbodimentNeedsARunOfSeveral(@TempDir Path dir) {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        CliRun r = CliRun.of("serve", "--checkpoint", run.toString(), "--port", "0", "--embodiment", "all");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--embodiment all", "serve it without --embodiment");
    }

    @Test
    void aPortInUseIsNamed(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRun r = CliRun.of("serve", "--checkpoint", run.toString(), "--port", String.valueOf(taken.getLocalPort()));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("port " + taken.getLocalPort() + " is already in use", "--port");
        }
    }

    @Test
    void runRefusesToSendTheKeyInClearTextToAnotherMachine(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "kT3x9-VbQ2mZr8LwY4pN6sHd1JcF0aUe\n");
        long t0 = System.nanoTime();
        CliRun r = CliRun.of("run", "--server", "ws://192.0.2.7:8000", "--api-key-file", key.toString(), "--env", "pusht",
                "--hz", "20", "--duration", "1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("clear text", "--allow-plaintext");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
    }

    /** Runs {@code kiban serve} as its own process, as a user does, and stops it with {@code signal}. */
    private static void stopsCleanlyOn(String signal, Path run) throws Exception {
        String[] args = {"serve", "--checkpoint", run.toString(), "--port", "0"};
        // A job started by a script or a build inherits SIGINT ignored; a terminal's Ctrl-C is not.
        ProcessBuilder b = signal.equals("INT") ? CliProcess.interruptible(args) : CliProcess.builder(args);
        Process p = b.redirectErrorStream(true).start();
        var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains("Ctrl-C stops")) {
                break;
            }
        }
        assertThat(seen.toString()).contains("serving the mlp policy");
        Matcher port = Pattern.compile("ws://127.0.0.1:(\\d+)/").matcher(seen);
        assertThat(port.find()).isTrue();
        try (HttpClient http = HttpClient.newHttpClient()) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1) + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
        assertThat(kill.waitFor()).isZero();
        String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(seen + rest).isZero();
        assertThat(rest).contains("SIG" + signal + ": stopped serving");
    }

    @Test
    void ctrlCAndSigtermStopTheServerWithExitCodeZero(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        stopsCleanlyOn("TERM", run);
        stopsCleanlyOn("INT", run);
    }
}
