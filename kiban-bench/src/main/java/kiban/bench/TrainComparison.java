package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import kiban.policy.data.Batch;
import kiban.policy.train.TrainStep;

/**
 * The training-step comparison {@link TrainBench} and {@link ImageTrainBench} make: Kiban's fastest
 * of as many timed windows as the peer has runs, each window just before a peer run, so that on a
 * shared machine both sides get the same number of chances at a quiet moment; the peer's fastest of
 * {@link TrainBench#PEER_SETTINGS}, and the peer under Kiban's own thread setting.
 *
 * @param kiban Kiban's fastest window, in ms/step
 * @param best the peer's fastest setting
 * @param like the peer under Kiban's thread setting
 */
record TrainComparison(Measurement kiban, Measurement best, Measurement like) {

    /**
     * Warms {@code step} up for {@code warmup} steps on {@code batch}, then times windows of {@code seconds}
     * each, one before each run of {@code peer} (a setting in, its JSON figures out).
     */
    static TrainComparison measure(String subject, int rows, TrainStep step, Batch batch, int warmup, double seconds,
            Function<Map<String, String>, JsonNode> peer) {
        Map<String, String> same = TrainBench.kibanThreads();
        List<Map<String, String>> settings = new ArrayList<>(TrainBench.PEER_SETTINGS);
        if (!settings.contains(same)) {
            settings.add(same);
        }
        Measurement kiban = null;
        Measurement best = null;
        Measurement like = null;
        step.start();
        long k = 0;
        for (; k < warmup; k++) {
            step.run(batch, 1e-4, k);
        }
        for (Map<String, String> setting : settings) {
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            long steps = 0;
            while (System.nanoTime() < deadline || steps == 0) {
                step.run(batch, 1e-4, k++);
                steps++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (kiban == null || 1000 * elapsed / steps < kiban.value()) {
                kiban = new Measurement(subject, "kiban (DJL " + ai.djl.engine.Engine.getInstance().getEngineName() + " "
                        + ai.djl.engine.Engine.getInstance().getVersion() + "), batch " + rows + ", OMP "
                        + Objects.requireNonNullElse(System.getenv("OMP_NUM_THREADS"), "unset") + ", fastest of "
                        + settings.size() + " windows", 1000 * elapsed / steps, "ms/step", steps, elapsed);
            }
            JsonNode p = peer.apply(setting);
            Measurement m = new Measurement(subject, "python torch " + p.get("torch").asText() + ", batch " + rows + ", "
                    + p.get("threads").asInt() + " threads (OMP " + setting.getOrDefault("OMP_NUM_THREADS", "unset") + ")",
                    p.get("ms_per_step").asDouble(), "ms/step", p.get("steps").asLong(), p.get("seconds").asDouble());
            if (setting.equals(same)) {
                like = new Measurement(subject, m.setting() + ", kiban's thread setting", m.value(), m.unit(),
                        m.operations(), m.seconds());
            }
            if (TrainBench.PEER_SETTINGS.contains(setting) && (best == null || m.value() < best.value())) {
                best = m;
            }
        }
        best = new Measurement(subject, best.setting() + ", fastest setting", best.value(), best.unit(), best.operations(),
                best.seconds());
        return new TrainComparison(kiban, best, like);
    }

    /** Kiban's, the peer's fastest and like-for-like figures, then Kiban's over each of the peer's. */
    List<Measurement> figures() {
        String subject = kiban.subject();
        return List.of(kiban, best, like,
                new Measurement(subject, "kiban / python, kiban's thread setting", kiban.value() / like.value(), "x",
                        kiban.operations() + like.operations(), kiban.seconds() + like.seconds()),
                new Measurement(subject, "kiban / python, fastest setting", kiban.value() / best.value(), "x",
                        kiban.operations() + best.operations(), kiban.seconds() + best.seconds()));
    }
}
