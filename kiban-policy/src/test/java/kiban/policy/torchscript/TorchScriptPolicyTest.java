package kiban.policy.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import kiban.policy.run.Policies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptPolicyTest {

    /** Runs the example script with Debian's python3-torch (installed by scripts/install-test-deps). */
    static Path makePushtPolicy(Path dir) throws Exception {
        // Tests run in the module folder; the example lives at the repository root.
        Path script = Path.of("..", "examples", "torchscript", "pusht_policy.py").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), dir.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(log).isZero();
        return dir;
    }

    @Test
    void runsAModuleScriptedInPyTorch(@TempDir Path tmp) throws Exception {
        Path dir = makePushtPolicy(tmp.resolve("policy"));
        assertThat(TorchScriptPolicy.isTorchScript(dir)).isTrue();
        try (var policy = Policies.load(dir)) {
            assertThat(policy).isInstanceOf(TorchScriptPolicy.class);
            assertThat(policy.metadata().horizon()).isEqualTo(4);
            double[][] chunk = policy.infer(new double[][] {{10, 20, 100, 200, 1}, {11, 21, 150, 250, 1.5}});
            assertThat(chunk).hasNumberOfRows(4);
            for (double[] a : chunk) {
                assertThat(a[0]).isCloseTo(153, within(1e-4));
                assertThat(a[1]).isCloseTo(248, within(1e-4));
            }
        }
    }

    @Test
    void aBrokenModelFileIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = makePushtPolicy(tmp.resolve("policy"));
        Files.writeString(dir.resolve("model.pt"), "not a zip");
        assertThatThrownBy(() -> TorchScriptPolicy.load(dir)).hasMessageContaining("model.pt")
                .hasMessageContaining("not a TorchScript module");
        Files.writeString(dir.resolve("policy.json"), Files.readString(dir.resolve("policy.json")).replace("torchscript", "onnx"));
        assertThatThrownBy(() -> TorchScriptPolicy.load(dir)).hasMessageContaining("expected \"torchscript\"");
    }
}
