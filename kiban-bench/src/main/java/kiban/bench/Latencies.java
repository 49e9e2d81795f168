package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Timed calls in nanoseconds and the latency figures {@link InferBench} and {@link ImageInferBench}
 * both report from them: Kiban's and the peer's quantiles at batch 1 and their ratios, and the
 * batched figures.
 */
final class Latencies {

    static final double[] QUANTILES = {0.5, 0.99, 0.999};
    static final String[] QUANTILE_NAMES = {"p50", "p99", "p99.9"};

    private Latencies() {}

    /**
     * {@code n} timed calls (after {@code warmup} untimed ones); {@code call} gets the call's index,
     * negative while warming up.
     */
    static long[] time(int n, int warmup, IntConsumer call) {
        long[] ns = new long[n];
        for (int i = -warmup; i < n; i++) {
            long t0 = System.nanoTime();
            call.accept(i);
            if (i >= 0) {
                ns[i] = System.nanoTime() - t0;
            }
        }
        return ns;
    }

    /**
     * Kiban's p50, p99 and p99.9 at batch 1; with a peer ({@code python} not null), the peer's and the
     * ratios of the first two. {@code pythonSeconds} is the time the peer says its calls took.
     */
    static List<Measurement> batchOne(String subject, int threads, long[] kiban, long[] python, String torch,
            double pythonSeconds) {
        long[] k = sorted(kiban);
        double kibanSeconds = seconds(k);
        List<Measurement> out = new ArrayList<>();
        for (int q = 0; q < QUANTILES.length; q++) {
            out.add(new Measurement(subject, "kiban, batch 1, " + threads + " thread(s), " + QUANTILE_NAMES[q],
                    percentile(k, QUANTILES[q]) / 1e6, "ms", k.length, kibanSeconds));
        }
        if (python != null) {
            long[] p = sorted(python);
            for (int q = 0; q < QUANTILES.length; q++) {
                out.add(new Measurement(subject, "python torch " + torch + " eager, batch 1, " + threads + " thread(s), "
                        + QUANTILE_NAMES[q], percentile(p, QUANTILES[q]) / 1e6, "ms", p.length, pythonSeconds));
            }
            for (int q = 0; q < 2; q++) {
                out.add(new Measurement(subject, "kiban / python, " + QUANTILE_NAMES[q],
                        percentile(k, QUANTILES[q]) / (double) percentile(p, QUANTILES[q]), "x", k.length,
                        kibanSeconds + pythonSeconds));
            }
        }
        return out;
    }

    /** p50 and p99 of batched calls of {@code rows} rows, and last the rows a second they sample at. */
    static List<Measurement> batched(String subject, String setting, long[] ns, int rows) {
        long[] s = sorted(ns);
        double seconds = seconds(s);
        return List.of(new Measurement(subject, setting + ", p50", percentile(s, 0.5) / 1e6, "ms", s.length, seconds),
                new Measurement(subject, setting + ", p99", percentile(s, 0.99) / 1e6, "ms", s.length, seconds),
                new Measurement(subject, setting, (double) rows * s.length / seconds, "rows/s", s.length, seconds));
    }

    /** Kiban's batched p50 over the peer's, {@code rows} naming the batch and threads. */
    static Measurement batchedRatio(String subject, String rows, long[] kiban, long[] python) {
        return new Measurement(subject, "kiban / python, " + rows + ", p50", percentile(sorted(kiban), 0.5)
                / (double) percentile(sorted(python), 0.5), "x", kiban.length + python.length,
                (Arrays.stream(kiban).sum() + Arrays.stream(python).sum()) / 1e9);
    }

    /** A peer run's timed calls, in nanoseconds. */
    static long[] samples(JsonNode ns) {
        long[] out = new long[ns.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ns.get(i).asLong();
        }
        return out;
    }

    static long[] sorted(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s;
    }

    /** The {@code q} quantile of sorted samples: the sample at rank floor(q n). */
    static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    /** The samples' total, in seconds. */
    static double seconds(long[] ns) {
        return Arrays.stream(ns).sum() / 1e9;
    }

    static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
