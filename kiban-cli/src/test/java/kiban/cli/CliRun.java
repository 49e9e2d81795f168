package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the CLI with its output captured. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * A tiny trained checkpoint for {@code env} in {@code dir/run}: 2 expert episodes recorded into
     * {@code dir/data}, an mlp trained for 5 steps. Enough for tests of what runs a policy, not of its quality.
     */
    static Path tinyCheckpoint(String env, Path dir) {
        Path data = dir.resolve("data");
        Path run = dir.resolve("run");
        CliRun record = of("data", "record", "--env", env, "--episodes", "2", "--out", data.toString());
        assertThat(record.exitCode()).as(record.err()).isZero();
        CliRun train = of("train", "--dataset", data.toString(), "--policy", "mlp", "--steps", "5", "--batch", "8",
                "--out", run.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        return run;
    }
}
