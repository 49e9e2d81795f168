package kiban.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;
import kiban.policy.run.Policies;
import kiban.serve.ApiKey;
import kiban.serve.PolicyServer;
import kiban.serve.ServeAccess;
import kiban.serve.ServeConfig;
import kiban.serve.ServeLimits;
import kiban.serve.ServedPolicies;
import kiban.serve.Warmup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban serve}: a checkpoint behind openpi's WebSocket protocol and Kiban's HTTP API, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a policy to robots and clients: openpi's WebSocket protocol on /, GET /healthz, GET /readyz, "
                + "POST /v1/infer (JSON), GET /v1/metadata, GET /metrics, POST /v1/admin/reload (with --allow-reload). "
                + "See docs/SERVING.md.",
            "Binding to a non-loopback address requires --api-key-file (kiban serve --generate-key FILE writes one) and "
                + "--tls-keystore (or --allow-plaintext)."})
final class ServeCommand implements Runnable {

    /** {@code --embodiment all}: every embodiment of the run, chosen per request. */
    static final String ALL = "all";

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "RUN",
            description = "A training run folder (kiban train --out) or a TorchScript policy folder.")
    Path checkpoint;

    @Option(names = "--embodiment", paramLabel = "NAME", description = "Which embodiment of a foundation policy to serve: "
            + "its name or its simulator's (required where the checkpoint serves several), or '" + ALL + "' for every one, "
            + "each request naming its own under the key 'embodiment'.")
    String embodiment;

    @Option(names = "--generate-key", paramLabel = "FILE", description = "Write a new API key (256 random bits) to FILE, "
            + "readable by its owner only, and exit.")
    Path generateKey;

    @Option(names = "--host", defaultValue = ServeConfig.DEFAULT_HOST, description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + ServeConfig.DEFAULT_PORT, description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = "File holding the API key (at least 128 random bits) clients must send as 'Authorization: Api-Key <key>'.")
    Path apiKeyFile;

    @Option(names = "--max-batch", defaultValue = "" + ServeConfig.DEFAULT_MAX_BATCH, description = "Most requests run as one forward pass; 1 turns "
            + "batching off (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "0", description = "How long a batch waits for more requests; 0 takes "
            + "those that queued while the last pass ran (default: ${DEFAULT-VALUE}).")
    double maxWaitMs;

    @Option(names = "--warmup", paramLabel = "CALLS", defaultValue = "" + Warmup.DEFAULT_CALLS, description = "Requests of zeros "
            + "run through the server's own path before clients are let in, so that the first clients do not wait for the "
            + "JIT compiler: this many in-process, as many over the server's socket (up to twice as many while the compiler is "
            + "still busy); at most " + Warmup.MAX_SECONDS + " s each (0: none; default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--max-message-bytes", defaultValue = "" + ServeLimits.DEFAULT_MAX_MESSAGE_BYTES, description = "Largest request accepted "
            + "(default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--max-message-objects", defaultValue = "" + ServeLimits.DEFAULT_MAX_MESSAGE_OBJECTS, description = "Most msgpack values one request may hold "
            + "(arrays count one) (default: ${DEFAULT-VALUE}).")
    int maxMessageObjects;

    @Option(names = "--max-connections", defaultValue = "" + ServeLimits.DEFAULT_MAX_CONNECTIONS, description = "Most connections open at once; more wait "
            + "until one closes (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-queue", defaultValue = "" + ServeLimits.DEFAULT_MAX_QUEUE, description = "Most requests waiting for the model; beyond it "
            + "requests are refused as busy (HTTP 503, WebSocket close 1013) (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--idle-timeout-s", defaultValue = "" + ServeLimits.DEFAULT_IDLE_TIMEOUT_SECONDS, description = "Seconds a connection may stay silent or leave "
            + "its replies unread before it is closed (default: ${DEFAULT-VALUE}).")
    double idleTimeoutSeconds;

    @Option(names = "--allow-origin", paramLabel = "ORIGIN", split = ",", description = "A web page origin (https://host:port) "
            + "allowed to call the server from a browser; none by default.")
    List<String> allowOrigins = List.of();

    @Option(names = "--allow-host", paramLabel = "NAME", split = ",", description = "A host name clients may use for a server "
            + "without a key, besides addresses, localhost and --host (guards against DNS rebinding).")
    List<String> allowHosts = List.of();

    @Option(names = "--allow-reload", description = "Turn on POST /v1/admin/reload (hot swap of the checkpoint).")
    boolean allowReload;

    @Option(names = "--model-root", paramLabel = "DIR", description = "The folder reloads may load from (default: the "
            + "folder holding --checkpoint).")
    Path modelRoot;

    @Option(names = "--allow-plaintext", description = "Bind to a non-loopback address without TLS: the key and the "
            + "observations cross the network in clear text.")
    boolean allowPlaintext;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "Serve wss:// and https:// with this PKCS12 or JKS keystore.")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE", description = "File holding the keystore's password.")
    Path tlsPasswordFile;

    @Option(names = "--json", description = "Announce the server as one JSON line (url, port) once it listens.")
    boolean json;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        if (generateKey != null) {
            if (checkpoint != null) {
                throw new ParameterException(spec.commandLine(), "--generate-key writes a key and exits; start the server in a "
                        + "second call with --api-key-file " + generateKey);
            }
            writeKey(generateKey);
            out.printf("kiban: wrote a new API key to %s (owner-only); serve with --api-key-file %s%n", generateKey, generateKey);
            out.flush();
            return;
        }
        if (checkpoint == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--checkpoint=RUN'");
        }
        String key = apiKeyFile == null ? null : secret(apiKeyFile, "--api-key-file");
        String tlsPassword = tlsPasswordFile == null ? null : secret(tlsPasswordFile, "--tls-keystore-password-file");
        if (tlsKeystore != null && !Files.isRegularFile(tlsKeystore)) {
            throw new InvalidInputException("--tls-keystore", "", "a keystore file", "'" + tlsKeystore + "' (missing)");
        }
        if (modelRoot != null && !Files.isDirectory(modelRoot)) {
            throw new InvalidInputException("--model-root", "", "a folder", "'" + modelRoot + "' (missing)");
        }
        if (!(idleTimeoutSeconds >= 0.1 && idleTimeoutSeconds <= 86_400)) {
            throw new InvalidInputException("--idle-timeout-s", "", "seconds in [0.1, 86400]", String.valueOf(idleTimeoutSeconds));
        }
        ServeLimits limits = new ServeLimits(maxMessageBytes, maxMessageObjects, maxConnections, maxQueue,
                ServeLimits.DEFAULT_MAX_IN_FLIGHT, Duration.ofMillis(Math.round(idleTimeoutSeconds * 1000)),
                ServeLimits.DEFAULT_MAX_AUTH_FAILURES);
        ServeAccess access = new ServeAccess(allowOrigins, allowHosts, allowReload, modelRoot, allowPlaintext);
        // The config checks the bind address, key and TLS before the (slow) policy load.
        ServeConfig config = new ServeConfig(checkpoint, host, port, key, maxBatch, maxWaitMs, tlsKeystore, tlsPassword, limits, access,
                warmup);
        PolicyServer built = ALL.equals(embodiment) ? PolicyServer.serving(config, ServedPolicies::everyEmbodiment)
                : new PolicyServer(config, dir -> Policies.load(dir, java.util.Optional.ofNullable(embodiment)));
        try (PolicyServer server = built.start();
                StopSignals signals = new StopSignals(server::close)) {
            if (json) {
                var line = Json.object().put("url", server.url()).put("port", server.port())
                        .put("policy", server.metadata().type()).put("warmup_calls", server.warmup().calls());
                if (!server.embodiments().isEmpty()) {
                    var names = line.putArray("embodiments");
                    server.embodiments().keySet().forEach(names::add);
                }
                out.println(Json.compact(line));
            } else {
                String which = server.embodiments().isEmpty() ? "" : " for the embodiments " + String.join(", ",
                        server.embodiments().keySet()) + " (each request names one under 'embodiment')";
                out.printf("kiban: serving the %s policy from %s%s on %s (GET /healthz, POST /v1/infer, GET /metrics), warmed up "
                        + "with %d requests in %.1f s; Ctrl-C stops%n", server.metadata().type(), checkpoint, which, server.url(),
                        server.warmup().calls(), server.warmup().millis() / 1000);
            }
            out.flush();
            try {
                server.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (signals.received() != null && !json) {
                out.printf("kiban: %s: stopped serving%n", signals.received());
                out.flush();
            }
        }
    }

    /** Writes a fresh key to {@code file}, readable by its owner only; refuses to overwrite one. */
    static void writeKey(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, ApiKey.generate() + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            throw new InvalidInputException("--generate-key", "", "a new file (an existing key is not overwritten)", "'" + file
                    + "' (exists)");
        } catch (IOException e) {
            throw new InvalidInputException("--generate-key", "", "a writable file", "'" + file + "' (" + e.getMessage() + ")");
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
