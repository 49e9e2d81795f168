package kiban.policy.run;

import java.nio.file.Path;
import java.util.Optional;
import kiban.core.policy.Policy;
import kiban.policy.foundation.FoundationFiles;
import kiban.policy.foundation.FoundationPolicy;
import kiban.policy.torchscript.TorchScriptPolicy;

/**
 * Loads whatever policy a folder holds: a Kiban training run, a foundation policy's run (for one
 * of its embodiments) or a TorchScript policy from PyTorch.
 */
public final class Policies {

    private Policies() {}

    public static Policy load(Path dir) {
        return load(dir, Optional.empty());
    }

    /**
     * As {@link #load(Path)}; a foundation policy serves the embodiment that answers to
     * {@code embodiment} (its name or its simulator's), or its only one. Other policies serve one
     * embodiment and ignore it.
     */
    public static Policy load(Path dir, Optional<String> embodiment) {
        if (TorchScriptPolicy.isTorchScript(dir)) {
            return TorchScriptPolicy.load(dir);
        }
        return FoundationFiles.isFoundation(dir) ? FoundationPolicy.load(dir, embodiment) : TrainedPolicy.load(dir);
    }
}
