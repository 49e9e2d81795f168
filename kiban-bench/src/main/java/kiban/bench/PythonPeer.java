package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.policy.train.NativeHeap;

/**
 * Runs a peer script of {@code bench/peers/} with Debian's python3-torch, in the environment Kiban's
 * own process has, and reads the JSON object it prints last.
 */
final class PythonPeer {

    static final String PYTHON = "/usr/bin/python3";

    private PythonPeer() {}

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
            Process p = builder(script, args, env).start();
            // Read stderr beside stdout: a peer that fills one pipe while the other is read would block.
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            String out = readAll(p.getInputStream());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new KibanException(script.getFileName() + " did not finish in " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new KibanException(script.getFileName() + " failed (is Debian's python3-torch installed? "
                        + "scripts/install-test-deps installs it): " + err.join().lines().reduce((a, b) -> b).orElse(""));
            }
            return Json.MAPPER.readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow(
                    () -> new KibanException(script.getFileName() + " printed nothing")));
        } catch (IOException e) {
            throw new KibanException("cannot run the Python peer " + PYTHON + " " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KibanException("interrupted", e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
