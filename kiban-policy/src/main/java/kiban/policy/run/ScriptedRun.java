package kiban.policy.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How {@code kiban export} writes one embodiment of a {@link RunKind}'s run (a foundation policy's)
 * for the TorchScript export script: the kind stages its network, and the export runs the script
 * and writes the folder, switching on no run type.
 */
public interface ScriptedRun {

    /**
     * What the export folder records besides {@code model.pt}: the embodiment exported, the
     * checkpoint its weights came from, the folder's {@code policy.json} (type {@code torchscript})
     * and the sampling settings {@code export.json} lists.
     */
    record Stage(String embodiment, Path checkpoint, ObjectNode policyFile, ObjectNode sampling) {}

    /**
     * Writes {@code spec.json} and {@code weights.bin} ({@link ScriptSpecs}) into {@code stage} for
     * the embodiment of the run in {@code dir} that answers to {@code embodiment}, or its only one; a
     * run of several embodiments and no choice is refused, naming them.
     */
    Stage stage(Path dir, Optional<String> embodiment, Path stage);
}
