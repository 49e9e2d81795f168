package kiban.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.policy.ChunkExecutor;
import kiban.eval.EvalResult;
import kiban.policy.card.CardEvaluation;
import kiban.policy.card.ModelCards;
import kiban.policy.run.RunDirectory;
import kiban.policy.torchscript.TorchScriptPolicy;
import kiban.sim.env.EnvSpec;

/**
 * What {@code kiban eval} adds to the model card of the Kiban run it evaluated. A card that cannot
 * be written is reported on stderr and does not fail the evaluation, whose own output is as it was.
 */
final class EvalCard {

    /** How the evaluation ran, besides its result. */
    record Setup(long step, String embodiment, List<String> tasks, ChunkExecutor.Mode mode, int actionSteps, int delaySteps,
            String instruction) {}

    private EvalCard() {}

    /** Whether {@code dir} holds a Kiban training run (whose card an evaluation extends), not a TorchScript policy. */
    static boolean isRun(Path dir) {
        return !TorchScriptPolicy.isTorchScript(dir) && new RunDirectory(dir).exists();
    }

    static void add(Path dir, EvalResult r, Setup s, PrintWriter err) {
        try {
            ModelCards.addEvaluation(new RunDirectory(dir), evaluation(r, s));
        } catch (RuntimeException e) {
            err.println("kiban: warning: the model card in " + dir + " was not updated: " + e.getMessage());
        }
    }

    static CardEvaluation evaluation(EvalResult r, Setup s) {
        double[] ci = r.successInterval();
        Map<String, EvalResult.TaskSuccess> perTask = r.successPerTask();
        Map<String, CardEvaluation.TaskResult> tasks = new LinkedHashMap<>();
        // As eval's JSON: by task where the episodes posed several, or a task other than the env's only one.
        if (perTask.size() > 1 || !perTask.containsKey(EnvSpec.DEFAULT_TASK)) {
            perTask.forEach((name, t) -> tasks.put(name, new CardEvaluation.TaskResult(t.episodes(), t.rate(), t.interval()[0],
                    t.interval()[1])));
        }
        return new CardEvaluation(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), s.step(), s.embodiment(), r.env(),
                s.tasks(), r.episodes().size(), r.firstSeed(), s.mode().wireName(), s.actionSteps(), s.delaySteps(),
                s.instruction() == null ? "" : s.instruction(), r.successRate(), ci[0], ci[1], r.meanScore(), tasks);
    }
}
