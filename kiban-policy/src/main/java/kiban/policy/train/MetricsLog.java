package kiban.policy.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Function;
import kiban.core.json.Json;
import kiban.policy.run.RunDirectory;

/**
 * Training metrics as JSON lines and CSV. A resumed run continues the same files from its
 * checkpoint: the rows an interrupted run wrote after its last checkpoint are dropped first, since
 * the resumed run trains those steps again.
 */
public final class MetricsLog implements AutoCloseable {

    static final String CSV_HEADER = "step,loss,learning_rate,grad_norm,steps_per_second,validation_loss";

    private final BufferedWriter jsonl;
    private final BufferedWriter csv;

    private MetricsLog(RunDirectory run, StandardOpenOption mode) throws IOException {
        jsonl = Files.newBufferedWriter(run.metricsJsonl(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        csv = Files.newBufferedWriter(run.metricsCsv(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
    }

    /** Fresh files for a new run. */
    public static MetricsLog create(RunDirectory run) throws IOException {
        MetricsLog log = new MetricsLog(run, StandardOpenOption.TRUNCATE_EXISTING);
        log.csv.write(CSV_HEADER);
        log.csv.newLine();
        log.csv.flush();
        return log;
    }

    /** The run's files, cut back to the rows of steps up to {@code checkpointStep}, to be continued. */
    public static MetricsLog resume(RunDirectory run, long checkpointStep) throws IOException {
        truncate(run.metricsJsonl(), checkpointStep, MetricsLog::jsonStep, null);
        truncate(run.metricsCsv(), checkpointStep, MetricsLog::csvStep, CSV_HEADER);
        return new MetricsLog(run, StandardOpenOption.APPEND);
    }

    /**
     * Keeps the lines whose step is at most {@code lastStep}; a line without a readable step (one an
     * interruption cut short) goes too. The file is replaced atomically, so a crash here loses nothing.
     */
    private static void truncate(Path file, long lastStep, Function<String, OptionalLong> step, String header)
            throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        StringBuilder kept = new StringBuilder();
        if (header != null) {
            kept.append(header).append('\n');
        }
        for (String line : lines) {
            OptionalLong s = step.apply(line);
            if (s.isPresent() && s.getAsLong() <= lastStep) {
                kept.append(line).append('\n');
            }
        }
        RunDirectory.writeAtomically(file, kept.toString());
    }

    private static OptionalLong jsonStep(String line) {
        try {
            var step = Json.MAPPER.readTree(line).path("step");
            return step.canConvertToLong() && step.isIntegralNumber() ? OptionalLong.of(step.asLong()) : OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong csvStep(String line) {
        int comma = line.indexOf(',');
        // A row is whole when it has every column (a cut-off row has fewer).
        if (comma < 0 || line.split(",", -1).length != CSV_HEADER.split(",").length) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(line.substring(0, comma)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public void log(long step, double loss, double lr, double gradNorm, double rate, double validationLoss, boolean validated) {
        var o = Json.object().put("step", step).put("loss", loss).put("learning_rate", lr).put("grad_norm", gradNorm)
                .put("steps_per_second", rate);
        if (validated) {
            o.put("validation_loss", validationLoss);
        }
        try {
            jsonl.write(Json.compact(o));
            jsonl.newLine();
            csv.write(String.format(Locale.ROOT, "%d,%.6g,%.6g,%.6g,%.4g,%s", step, loss, lr, gradNorm, rate,
                    validated ? String.format(Locale.ROOT, "%.6g", validationLoss) : ""));
            csv.newLine();
            jsonl.flush();
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        jsonl.close();
        csv.close();
    }
}
