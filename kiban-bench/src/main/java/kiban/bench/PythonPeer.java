package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.policy.model.ActConfig;
import kiban.policy.model.ActNetwork;
import kiban.policy.model.FlowConfig;
import kiban.policy.model.FlowNetwork;
import kiban.policy.run.TrainConfig;
import kiban.policy.train.NativeHeap;

/**
 * Runs a peer script of {@code bench/peers/} with Debian's python3-torch, in the environment Kiban's
 * own process has, and reads the JSON object it prints last.
 */
final class PythonPeer {

    static final String PYTHON = "/usr/bin/python3";

    private PythonPeer() {}

    /**
     * The network's shape as the peers' shared arguments ({@code bench/peers/network_args.py} reads
     * them): PushT's inputs and chunk, and {@code c}'s widths, steps and transformer sizes.
     */
    static List<String> networkArguments(TrainConfig c) {
        FlowConfig flow = flow(c);
        ActConfig act = (ActConfig) c.model(ActNetwork.TYPE);
        return List.of("--obs", String.valueOf(TrainBench.OBSERVATION_INPUTS), "--chunk", String.valueOf(TrainBench.CHUNK_OUTPUTS),
                "--hidden", String.join(",", flow.hidden().stream().map(String::valueOf).toList()), "--observation-steps",
                String.valueOf(c.observationSteps()), "--horizon", String.valueOf(c.horizon()), "--model-dim",
                String.valueOf(act.modelDim()), "--heads", String.valueOf(act.heads()), "--encoder-layers",
                String.valueOf(act.encoderLayers()), "--decoder-layers", String.valueOf(act.decoderLayers()));
    }

    /** {@code c}'s flow settings, whose widths and head the peers' mlp, flow and diffusion networks share. */
    static FlowConfig flow(TrainConfig c) {
        return (FlowConfig) c.model(FlowNetwork.TYPE);
    }

    /**
     * The foundation network's shape as the peers' arguments ({@code bench/peers/foundation.py}
     * reads them): {@code c}'s trunk and tokens, and one embodiment's state and action sizes.
     */
    static List<String> foundationArguments(kiban.policy.foundation.FoundationConfig c, int stateDim, int actionDim) {
        return List.of("--state-dim", String.valueOf(stateDim), "--action-dim", String.valueOf(actionDim),
                "--observation-steps", String.valueOf(c.observationSteps()), "--horizon", String.valueOf(c.horizon()),
                "--model-dim", String.valueOf(c.modelDim()), "--heads", String.valueOf(c.heads()), "--layers",
                String.valueOf(c.layers()), "--max-tokens", String.valueOf(c.maxTokens()), "--vocabulary",
                String.valueOf(c.vocabulary()), "--flow-steps", String.valueOf(c.flowSteps()));
    }

    /** A process builder for {@code script}: the peer's environment, {@code env} on top (a null value removes a variable). */
    static ProcessBuilder builder(Path script, List<String> args, Map<String, String> env) {
        if (!Files.isRegularFile(script)) {
            throw new KibanException(script + ": the Python peer script is missing");
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // The machine sets these for old OpenBLAS builds; they slow a current one, so the peer runs without them.
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        // Kiban's own process runs with these malloc settings (NativeHeap); the peer gets the same allocator.
        pb.environment().put("GLIBC_TUNABLES", NativeHeap.GLIBC_TUNABLES);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        return pb;
    }

    /** Runs {@code script} to its end and returns the JSON object of its last line of output. */
    static JsonNode run(Path script, List<String> args, Map<String, String> env, long timeoutSeconds) {
        try {
            Exit e = exec(builder(script, args, env), timeoutSeconds);
            if (e.status() != 0) {
                throw new KibanException(script.getFileName() + " failed (is Debian's python3-torch installed? "
                        + "scripts/install-test-deps installs it): " + lastLine(e.err()));
            }
            if (e.out().isBlank()) {
                throw new KibanException(script.getFileName() + " printed nothing");
            }
            return Json.MAPPER.readTree(lastLine(e.out()));
        } catch (IOException e) {
            throw new KibanException("cannot run the Python peer " + PYTHON + " " + script + ": " + e.getMessage(), e);
        }
    }

    /** A finished process: its exit status and what it printed. */
    record Exit(int status, String out, String err) {}

    /** Runs {@code pb} to its end, its output in files (a pipe nobody reads could stall it), killed after {@code seconds}. */
    static Exit exec(ProcessBuilder pb, long seconds) throws IOException {
        Path out = Files.createTempFile("kiban-peer", ".out");
        Path err = Files.createTempFile("kiban-peer", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            try {
                if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    throw new KibanException(String.join(" ", pb.command()) + " did not finish in " + seconds + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new KibanException("interrupted", e);
            }
            return new Exit(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The last line of a process's output, for a message. */
    static String lastLine(String text) {
        return text.strip().lines().reduce((a, b) -> b).orElse("(no output)");
    }
}
