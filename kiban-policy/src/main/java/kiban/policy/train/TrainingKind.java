package kiban.policy.train;

/**
 * A policy type that {@code kiban train} hands the whole run to, because it trains through its
 * own trainer on its own data (the foundation policy: a weighted mixture of datasets). Found
 * through {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/kiban.policy.train.TrainingKind}); the other types train through
 * {@link PolicyTrainer}.
 */
public interface TrainingKind {

    /** The policy type it trains, as {@code --policy} and a config file's {@code policy} name it. */
    String policy();

    /** Trains as {@code request} asks; what to tell the user. Bad input fails naming the option, file or field. */
    TrainOutcome train(TrainRequest request);
}
