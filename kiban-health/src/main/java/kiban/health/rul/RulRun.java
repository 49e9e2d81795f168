package kiban.health.rul;

import java.nio.file.Path;
import kiban.policy.run.RunDirectory;

/**
 * The files of one RUL training run: {@code config.json} (the {@link RulConfig}),
 * {@code features.json} (the kept sensors and the normalisation, {@link RulFeatures}),
 * {@code data.json} (the training file, the subset and the held-out units), {@code model.params}
 * (the EMA weights of the epoch with the best validation RMSE: what evaluation loads),
 * {@code summary.json}, and the policies' run layout for the rest ({@code metrics.jsonl},
 * {@code metrics.csv}, {@code checkpoints/}). Every file is replaced atomically.
 */
public record RulRun(Path root) {

    public RunDirectory directory() {
        return new RunDirectory(root);
    }

    public Path config() {
        return root.resolve("config.json");
    }

    public Path features() {
        return root.resolve("features.json");
    }

    public Path data() {
        return root.resolve("data.json");
    }

    public Path model() {
        return root.resolve("model.params");
    }

    public Path summary() {
        return root.resolve("summary.json");
    }
}
