package kiban.policy.run;

import java.nio.file.Path;
import java.util.Optional;
import kiban.core.policy.Policy;
import kiban.policy.torchscript.TorchScriptPolicy;

/**
 * Loads whatever policy a folder holds: a Kiban training run, a run of a registered
 * {@link RunKind} (such as a foundation policy's, for one of its embodiments) or a TorchScript
 * policy from PyTorch.
 */
public final class Policies {

    private Policies() {}

    public static Policy load(Path dir) {
        return load(dir, Optional.empty());
    }

    /**
     * As {@link #load(Path)}; a run that serves several embodiments serves the one that answers to
     * {@code embodiment} (its name or its simulator's), or its only one. Other policies serve one
     * embodiment and ignore it.
     */
    public static Policy load(Path dir, Optional<String> embodiment) {
        if (TorchScriptPolicy.isTorchScript(dir)) {
            return TorchScriptPolicy.load(dir);
        }
        return RunKinds.of(dir).map(k -> k.load(dir, embodiment)).orElseGet(() -> TrainedPolicy.load(dir));
    }
}
