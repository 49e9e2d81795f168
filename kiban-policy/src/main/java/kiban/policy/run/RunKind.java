package kiban.policy.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.policy.Policy;

/**
 * A kind of run folder other than a single-embodiment training run, such as the foundation
 * policy's: found through {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/kiban.policy.run.RunKind}) so that loading a policy and writing a model
 * card switch on no policy type.
 */
public interface RunKind {

    /** The {@code type} its folders' {@code policy.json} names. */
    String type();

    /** What it is, in a few words that complete "This is ..." on a model card. */
    String description();

    /** The config fields that shape its network, as a model card lists them. */
    List<String> networkFields();

    /** Its policy for the embodiment that answers to {@code embodiment}, or its only one. */
    Policy load(Path dir, Optional<String> embodiment);

    /** Every embodiment the newest checkpoint serves; errors name the file that is missing or wrong. */
    List<ServedEmbodiment> embodiments(Path dir);

    /** The scalar parameters of the newest checkpoint's network, trained or frozen. */
    long parameterCount(Path dir);

    /** Whether its policy for {@code embodiment} reads the observation's instruction (a foundation policy's always does). */
    default boolean readsInstructions(ServedEmbodiment embodiment) {
        return true;
    }

    /**
     * The training run whose checkpoints, losses and metrics a model card reports: the folder itself,
     * or a part of it that trains (a run that only composes trained parts names the one it trains).
     */
    default RunDirectory trainingRun(Path dir) {
        return new RunDirectory(dir);
    }

    /** How {@code kiban export} writes one of its embodiments as TorchScript; empty where it cannot (refused, saying so). */
    default Optional<ScriptedRun> torchScript() {
        return Optional.empty();
    }
}
