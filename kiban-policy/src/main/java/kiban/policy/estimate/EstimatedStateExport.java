package kiban.policy.estimate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.policy.PolicyMetadata;
import kiban.policy.export.TorchScriptExport;
import kiban.policy.run.PolicyFiles;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.ScriptSpecs;
import kiban.policy.run.ScriptedRun;
import kiban.policy.torchscript.TorchScriptPolicy;

/**
 * How {@code kiban export} writes an {@code estimated-state} run: the estimator and the state
 * policy staged as two exports of their own ({@code estimator/} and {@code state-policy/}), and a
 * {@code spec.json} saying where the estimate replaces the state's features between them. The
 * module takes what the run's policy takes (the whole history and its frames) and does what
 * {@link EstimatedStatePolicy} does, so PyTorch users drive from the camera with one module.
 */
final class EstimatedStateExport implements ScriptedRun {

    @Override
    public Stage stage(Path dir, Optional<String> embodiment, Path stage) {
        try (EstimatedStatePolicy p = EstimatedStatePolicy.load(dir)) {
            if (!p.instructions().isEmpty()) {
                throw new KibanException(dir + ": its state policy follows instructions, and kiban export does not write"
                        + " the instruction encoder into TorchScript yet; serve the run itself with kiban serve");
            }
            TorchScriptExport.writeStage(p.estimator(), stage.resolve(EstimatedStatePolicy.ESTIMATOR));
            TorchScriptExport.writeStage(p.statePolicy(), stage.resolve(EstimatedStatePolicy.STATE_POLICY));
            PolicyMetadata m = p.metadata();
            ObjectNode spec = Json.object().put("format_version", 1).put("policy", EstimatedStateConfig.POLICY)
                    .put("observation_steps", m.observationSteps()).put("horizon", m.horizon())
                    .put("action_dim", p.statePolicy().codec().actionDim());
            spec.putObject("encoding").put("observation_dim", p.statePolicy().codec().layout().observationDim());
            ArrayNode cameras = spec.putArray("images");
            m.images().forEach(i -> ScriptSpecs.addImage(cameras, i));
            ArrayNode replaced = spec.putArray("estimated");
            for (EstimatedFeatures.Replaced r : p.features().replaced()) {
                ObjectNode o = replaced.addObject().put("offset", r.offset()).put("size", r.size()).put("target", r.target())
                        .put("folds", r.folds()).put("reference", r.reference());
                r.low().forEach(o.putArray("low")::add);
            }
            Files.writeString(stage.resolve("spec.json"), Json.pretty(spec));
            PolicyMetadata exported = new PolicyMetadata(TorchScriptPolicy.TYPE, m.observation(), m.action(),
                    m.observationSteps(), m.horizon(), m.actionSteps(), m.deltaActions(), m.images());
            Path checkpoint = new RunDirectory(dir.resolve(EstimatedStatePolicy.ESTIMATOR)).latestCheckpoint().orElse(null);
            return new Stage("", checkpoint, PolicyFiles.toTree(exported), TorchScriptExport.sampling(p.statePolicy()));
        } catch (IOException e) {
            throw new KibanException(stage + ": cannot stage the export: " + e.getMessage(), e);
        }
    }
}
