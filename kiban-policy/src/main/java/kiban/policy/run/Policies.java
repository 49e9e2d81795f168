package kiban.policy.run;

import java.nio.file.Path;
import kiban.core.policy.Policy;
import kiban.policy.torchscript.TorchScriptPolicy;

/** Loads whatever policy a folder holds: a Kiban training run or a TorchScript policy from PyTorch. */
public final class Policies {

    private Policies() {}

    public static Policy load(Path dir) {
        return TorchScriptPolicy.isTorchScript(dir) ? TorchScriptPolicy.load(dir) : TrainedPolicy.load(dir);
    }
}
