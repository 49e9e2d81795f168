package kiban.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Collectors;
import kiban.core.error.KibanException;
import kiban.core.progress.Progress;
import kiban.policy.export.TorchScriptExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python peer comparison, short: both servers answer a PushT-sized trained run, the peer
 * computes what Kiban computes (same network, same normalisation), and every figure is a real
 * sample. A correctness test: its figures are not timed.
 */
class PeerServeBenchTest {

    /** Tests run in the module's folder. */
    private static final Path PEERS = Path.of("..", "bench", "peers");

    @Test
    void bothServersAnswerWithTheSameActions(@TempDir Path dir) {
        Path run = PushTRun.train(dir.resolve("run"));
        PeerServeBench.Result r = new PeerServeBench(PEERS, TorchScriptExport.defaultPython(), new PeerServeBench.Options(30, 5, 2))
                .run(run, Progress.to(System.err, "peer", "runs", 4));

        assertThat(r.kiban().roundTripUs()).hasSize(60);
        assertThat(r.python().roundTripUs()).hasSize(60);
        assertThat(r.kiban().inferUs()).hasSize(60);
        assertThat(r.python().inferUs()).hasSize(60);
        assertThat(r.torchThreads()).isPositive();
        // PushT's chunk: 16 steps of a 2-D target on a 512 px table. The normalisation maps it to
        // pixels, so a peer without it is off by tens to hundreds. float32 sums on two BLAS builds
        // differ in the last places: measured 1.3e-4 px on values near 480 (relative 3e-7), hence
        // a relative tolerance of 1e-5, under what a changed activation or layer would give.
        double[][] kiban = r.kiban().probeActions();
        assertThat(kiban).hasDimensions(16, 2);
        assertThat(r.python().probeActions()).hasDimensions(16, 2);
        for (int t = 0; t < kiban.length; t++) {
            for (int j = 0; j < kiban[t].length; j++) {
                assertThat(r.python().probeActions()[t][j]).as("step %d, element %d", t, j)
                        .isCloseTo(kiban[t][j], offset(1e-5 * Math.max(1, Math.abs(kiban[t][j]))));
            }
        }

        Map<String, Double> by = r.measurements().stream().collect(Collectors.toMap(m -> m.subject() + ": " + m.setting(),
                Measurement::value));
        for (String server : new String[] {"kiban", "python"}) {
            for (String q : new String[] {"p50", "p99", "p99.9", "mean"}) {
                assertThat(by.get(server + ": round trip " + q)).as(server + " " + q).isPositive().isFinite();
            }
            for (String q : new String[] {"p50", "p99"}) {
                assertThat(by.get(server + ": server infer_ms " + q)).as(server + " infer " + q).isPositive().isFinite();
                // The server's forward pass is part of the round trip the client timed.
                assertThat(by.get(server + ": server infer_ms " + q)).isLessThan(by.get(server + ": round trip " + q));
            }
        }
        assertThat(by.get("kiban/python: round trip p50")).isEqualTo(by.get("kiban: round trip p50") / by.get("python: round trip p50"));
        assertThat(by.get("kiban/python: round trip p99")).isEqualTo(by.get("kiban: round trip p99") / by.get("python: round trip p99"));
        assertThat(by.get("kiban: round trip p99.9 / p50")).isEqualTo(by.get("kiban: round trip p99.9") / by.get("kiban: round trip p50"));
        assertThat(by.get("kiban/python: probe actions, largest difference"))
                .isEqualTo(PeerServeBench.largestDifference(kiban, r.python().probeActions()));
    }

    @Test
    void aPythonWithoutTheModulesIsNamedWithWhatToInstall(@TempDir Path dir) throws Exception {
        // Debian's python3 without its site packages: no torch, websockets or msgpack.
        Path bare = dir.resolve("bare-python");
        Files.writeString(bare, "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n");
        Files.setPosixFilePermissions(bare, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> new PeerServeBench(PEERS, bare.toString(), new PeerServeBench.Options(1, 0, 1))
                .run(dir.resolve("no-run"), Progress.to(System.err, "peer", "runs", 2)))
                .isInstanceOf(KibanException.class)
                .hasMessageContaining(bare.toString())
                .hasMessageContaining("No module named")
                .hasMessageContaining("policy_server.py")
                .hasMessageContaining("scripts/install-test-deps");
    }
}
