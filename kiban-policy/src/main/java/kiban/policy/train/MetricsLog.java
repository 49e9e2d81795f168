package kiban.policy.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import kiban.core.json.Json;
import kiban.policy.run.RunDirectory;

/** Training metrics as JSON lines and CSV, appended (a resumed run continues the same files). */
final class MetricsLog implements AutoCloseable {

    static final String CSV_HEADER = "step,loss,learning_rate,grad_norm,steps_per_second,validation_loss";

    private final BufferedWriter jsonl;
    private final BufferedWriter csv;

    MetricsLog(RunDirectory run, boolean append) throws IOException {
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        boolean header = !append || !Files.exists(run.metricsCsv());
        jsonl = Files.newBufferedWriter(run.metricsJsonl(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        csv = Files.newBufferedWriter(run.metricsCsv(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        if (header) {
            csv.write(CSV_HEADER);
            csv.newLine();
        }
    }

    void log(long step, double loss, double lr, double gradNorm, double rate, double validationLoss, boolean validated) {
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
