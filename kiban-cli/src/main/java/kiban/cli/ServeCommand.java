package kiban.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;
import kiban.policy.run.Policies;
import kiban.serve.PolicyServer;
import kiban.serve.ServeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiban serve}: a checkpoint behind openpi's WebSocket protocol and Kiban's HTTP API, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a policy to robots and clients: openpi's WebSocket protocol on /, GET /healthz, "
                + "POST /v1/infer (JSON), GET /v1/metadata, GET /metrics, POST /v1/admin/reload. See docs/SERVING.md.",
            "Binding to a non-loopback address requires --api-key-file."})
final class ServeCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "RUN",
            description = "A training run folder (kiban train --out) or a TorchScript policy folder.")
    Path checkpoint;

    @Option(names = "--host", defaultValue = ServeConfig.DEFAULT_HOST, description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = "File holding the API key clients must send as 'Authorization: Api-Key <key>'.")
    Path apiKeyFile;

    @Option(names = "--max-batch", defaultValue = "32", description = "Most requests run as one forward pass; 1 turns "
            + "batching off (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "0", description = "How long a batch waits for more requests; 0 takes "
            + "those that queued while the last pass ran (default: ${DEFAULT-VALUE}).")
    double maxWaitMs;

    @Option(names = "--max-message-bytes", defaultValue = "16777216", description = "Largest request accepted "
            + "(default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "Serve wss:// and https:// with this PKCS12 or JKS keystore.")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE", description = "File holding the keystore's password.")
    Path tlsPasswordFile;

    @Option(names = "--json", description = "Announce the server as one JSON line (url, port) once it listens.")
    boolean json;

    @Override
    public void run() {
        String key = apiKeyFile == null ? null : secret(apiKeyFile, "--api-key-file");
        String tlsPassword = tlsPasswordFile == null ? null : secret(tlsPasswordFile, "--tls-keystore-password-file");
        if (tlsKeystore != null && !Files.isRegularFile(tlsKeystore)) {
            throw new InvalidInputException("--tls-keystore", "", "a keystore file", "'" + tlsKeystore + "' (missing)");
        }
        // The config checks the bind address and key before the (slow) policy load.
        ServeConfig config = new ServeConfig(checkpoint, host, port, key, maxBatch, maxWaitMs, maxMessageBytes, tlsKeystore, tlsPassword);
        PrintWriter out = spec.commandLine().getOut();
        try (PolicyServer server = new PolicyServer(config, Policies::load).start()) {
            Thread hook = new Thread(server::close, "kiban-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            if (json) {
                out.println(Json.compact(Json.object().put("url", server.url()).put("port", server.port())
                        .put("policy", server.metadata().type())));
            } else {
                out.printf("kiban: serving the %s policy from %s on %s (GET /healthz, POST /v1/infer, GET /metrics); Ctrl-C stops%n",
                        server.metadata().type(), checkpoint, server.url());
            }
            out.flush();
            try {
                server.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The JVM is exiting and the hook closes the server.
                }
            }
        }
    }

    static String secret(Path file, String option) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) {
                throw new InvalidInputException(option, "", "a non-empty secret in " + file, "an empty file");
            }
            return s;
        } catch (IOException e) {
            throw new InvalidInputException(option, "", "a readable file", "'" + file + "' (" + e.getMessage() + ")");
        }
    }
}
