package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kiban.connect.opcua.NodeMapping;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimOpcUaCommandTest {

    @Test
    void servesTheFactoryCellAndWritesItsMapping(@TempDir Path dir) throws Exception {
        Path mapping = dir.resolve("cell.yaml");
        CliRun run = CliRun.of("sim", "opcua", "--env", "factory-cell", "--port", "0", "--step-hz", "20",
                "--duration", "1", "--mapping-out", mapping.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        var lines = run.out().lines().toList();
        JsonNode start = Json.MAPPER.readTree(lines.get(0));
        assertThat(start.get("endpoint").asText()).startsWith("opc.tcp://localhost:").endsWith("/kiban");
        assertThat(start.get("step_hz").asDouble()).isEqualTo(20);
        JsonNode end = Json.MAPPER.readTree(lines.get(1));
        assertThat(end.get("steps").asLong()).isGreaterThan(5);
        assertThat(end.get("errors").asLong()).isZero();
        assertThat(NodeMapping.load(mapping).actionNodes()).hasSize(3);
    }

    @Test
    void servesSecureEndpointsWithACertificateMadeOnFirstUse(@TempDir Path dir) throws Exception {
        Path pki = dir.resolve("pki");
        CliRun run = CliRun.of("sim", "opcua", "--host", "127.0.0.1", "--port", "0", "--duration", "0.5", "--json",
                "--security-policy", "Basic256Sha256,aes256_sha256_rsapss", "--security-mode", "Sign,SignAndEncrypt", "--pki", pki.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode start = Json.MAPPER.readTree(run.out().lines().findFirst().orElseThrow());
        assertThat(start.get("security").toString()).isEqualTo("[{\"policy\":\"Basic256Sha256\",\"mode\":\"Sign\"},"
                + "{\"policy\":\"Basic256Sha256\",\"mode\":\"SignAndEncrypt\"},{\"policy\":\"Aes256_Sha256_RsaPss\",\"mode\":\"Sign\"},"
                + "{\"policy\":\"Aes256_Sha256_RsaPss\",\"mode\":\"SignAndEncrypt\"}]");
        // Only clients it trusts get in, so an anonymous user is acceptable there; none of them is trusted yet.
        assertThat(start.get("logins").toString()).isEqualTo("[\"anonymous\"]");
        assertThat(Path.of(start.get("certificate").asText())).isEqualTo(pki.resolve("own/certificate.der")).isRegularFile();
        assertThat(start.get("thumbprint").asText()).hasSize(40);
        assertThat(pki.resolve("trusted/certs")).isEmptyDirectory();
    }

    @Test
    void badSecurityOptionsAreUsageErrorsNamingTheOption(@TempDir Path dir) throws Exception {
        assertUsageError(List.of("--security-policy", "Basic256Sha265"), "--security-policy", "did you mean 'Basic256Sha256'");
        assertUsageError(List.of("--security-mode", "Sign"), "--security-mode", "a --security-policy other than None");
        assertUsageError(List.of("--security-policy", "Basic256Sha256", "--security-mode", "None"), "--security-mode",
                "Sign and SignAndEncrypt");
        assertUsageError(List.of("--pki", dir.toString()), "--pki", "policy None uses no certificates");
        assertUsageError(List.of("--user", "operator"), "--user", "--password-file FILE or --password-env VAR");
        assertUsageError(List.of("--password-file", "pw"), "--password-file", "--user NAME with it");
        assertUsageError(List.of("--user", "operator", "--password-file", dir.resolve("missing").toString()), "--password-file",
                "does not exist");
        assertUsageError(List.of("--user", "operator", "--password-env", "KIBAN_TEST_SURELY_UNSET_VARIABLE"), "--password-env",
                "'KIBAN_TEST_SURELY_UNSET_VARIABLE', which is not set");
        assertUsageError(List.of("--security-policy", "None,Basic256Sha256", "--certificate-login"), "--security-policy",
                "policies other than None");
    }

    private static void assertUsageError(List<String> options, String option, String expected) {
        List<String> args = new ArrayList<>(List.of("sim", "opcua", "--port", "0", "--duration", "0.1"));
        args.addAll(options);
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(args + ": " + r.err()).isEqualTo(2);
        assertThat(r.err()).as(args.toString()).contains(option).contains(expected);
    }

    /** As a person would meet it: in a real process, with everything Milo and the JVM print. */
    @Test
    void aPortInUseIsOneClearLineAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            Process p = CliProcess.start("sim", "opcua", "--port", Integer.toString(taken.getLocalPort()), "--duration", "1");
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(err.lines().toList()).as(err).containsExactly("kiban: error: cannot start the OPC UA server: port "
                    + taken.getLocalPort() + " is already in use on localhost (choose another with --port, or 0 for any free one)");
        }
    }

    /**
     * SIGTERM, as systemd or docker stop send it: the JSON report's last line must come out every
     * time, not lose the race between the JVM's shutdown and the thread that prints it, and the
     * stop is a clean one (exit 0).
     */
    @Test
    void aStopSignalAlwaysLeavesTheFinalJsonLine() throws Exception {
        int runs = 4; // main lost the line in about one stop in three: four stops catch that 4 times in 5
        List<Process> processes = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Process p = CliProcess.builder("sim", "opcua", "--port", "0", "--step-hz", "20", "--json")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(p);
            outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }
        try {
            for (int i = 0; i < runs; i++) {
                String first = outs.get(i).readLine();
                assertThat(first).as("start line of run " + i).contains("\"endpoint\"");
                processes.get(i).toHandle().destroy(); // SIGTERM, leaving our end of the pipes open (Process.destroy closes them)
            }
            for (int i = 0; i < runs; i++) {
                List<String> rest = outs.get(i).lines().toList();
                assertThat(processes.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(processes.get(i).exitValue()).as("a clean stop").isZero();
                assertThat(rest).as("what run " + i + " printed after SIGTERM").hasSize(1);
                JsonNode end = Json.MAPPER.readTree(rest.getFirst());
                assertThat(end.has("steps")).isTrue();
                assertThat(end.get("errors").asLong()).isZero();
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliRun env = CliRun.of("sim", "opcua", "--env", "factory-cel", "--duration", "1");
        assertThat(env.exitCode()).isEqualTo(2);
        assertThat(env.err()).contains("--env").contains("did you mean 'factory-cell'");
        CliRun port = CliRun.of("sim", "opcua", "--port", "70000", "--duration", "1");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("--port").contains("[0, 65535]");
    }
}
