package kiban.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;
import kiban.core.progress.Progress;
import kiban.eval.EvalResult;
import kiban.eval.Evaluator;
import kiban.sim.env.EnvConfig;
import kiban.testing.LineEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report opens in headless Chromium (installed by scripts/install-test-deps) with no console errors. */
class EvalReportBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void opensInHeadlessChromiumWithoutConsoleMessages(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed; scripts/install-test-deps installs it");
        Policy chase = new UnbatchedPolicy() {
            @Override
            public PolicyMetadata metadata() {
                return new PolicyMetadata("chase", LineEnv.EMBODIMENT.state(), LineEnv.EMBODIMENT.action(), 1, 2, 1);
            }

            @Override
            public double[][] inferOne(PolicyObservation[] observed) {
                double[][] h = PolicyObservation.states(observed);
                double a = Math.max(-1, Math.min(1, h[0][1] - h[0][0]));
                return new double[][] {{a}, {a}};
            }
        };
        EvalResult r = new Evaluator(2).evaluate(new LineEnv(EnvConfig.DEFAULT), chase, "chase", 5, 0,
                Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "e", 0));
        Path html = dir.resolve("report.html");
        EvalReport.write(html, "browser check", r, List.of(new Series("loss", new double[] {1, 2}, new double[] {0.5, 0.2})));

        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0", "--dump-dom",
                html.toUri().toString())
                .redirectError(dir.resolve("chromium.log").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(dir.resolve("chromium.log"));
        assertThat(dom).contains("browser check").contains("success rate").contains("<svg");
        assertThat(log.lines().filter(l -> l.contains(":CONSOLE")).toList()).as(log).isEmpty();
    }
}
