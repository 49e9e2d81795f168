package kiban.policy.foundation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kiban.core.json.Json;
import kiban.core.policy.PolicyMetadata;
import kiban.policy.data.FeatureCodec;
import kiban.policy.data.InstructionTokens;
import kiban.policy.model.FlowSampling;
import kiban.policy.nn.TransformerLayer;
import kiban.policy.run.PolicyFiles;
import kiban.policy.run.ScriptSpecs;
import kiban.policy.run.ScriptedRun;
import kiban.policy.run.TrainedPolicy;
import kiban.policy.torchscript.TorchScriptPolicy;

/**
 * One embodiment of a foundation run for the TorchScript export: the shared trunk and that
 * embodiment's heads, with the EMA weights Kiban serves (a fine-tuning's low-rank adapters merged
 * into the trunk's projections), its feature encoding and normalisation, and the flow sampling.
 * The module takes the instruction as word ids, which {@link InstructionTokens} gives: the export's
 * {@code policy.json} names that tokenizer, so Kiban (and any client that tokenises alike) feeds it.
 */
final class FoundationExport implements ScriptedRun {

    @Override
    public Stage stage(Path dir, Optional<String> key, Path stage) {
        FoundationCheckpoint checkpoint = FoundationCheckpoint.open(dir);
        int index = FoundationPolicy.select(checkpoint, key);
        FoundationEmbodiment embodiment = checkpoint.embodiments().get(index);
        FoundationConfig c = checkpoint.config();
        FeatureCodec codec = embodiment.codec();
        PolicyMetadata m = embodiment.metadata();
        ObjectNode spec = Json.object();
        spec.put("format_version", 1);
        spec.put("policy", FoundationNetwork.TYPE);
        spec.put("observation_steps", m.observationSteps());
        spec.put("horizon", m.horizon());
        spec.put("action_dim", codec.actionDim());
        ScriptSpecs.putEncoding(spec, codec.layout());
        // FoundationNetwork samples with noise scale 1, as FlowSampling's caller there passes it.
        ScriptSpecs.putFlow(spec, c.flowSteps(), FlowSampling.stepSize(c.flowSteps()), 1f,
                FlowSampling.integrationTimes(c.flowSteps()), FlowSampling.timeFrequencies());
        if (!m.images().isEmpty()) {
            ArrayNode cameras = spec.putArray("images");
            m.images().forEach(i -> ScriptSpecs.addImage(cameras, i));
            spec.put("image_feature_dim", c.imageFeatureDim());
            spec.put("image_encoder", c.imageEncoder());
        }
        spec.putObject("foundation").put("embodiment", embodiment.name()).put("state_dim", codec.encodedObservationDim())
                .put("model_dim", c.modelDim()).put("heads", c.heads()).put("layers", c.layers())
                .put("max_tokens", c.maxTokens()).put("vocabulary", c.vocabulary());
        ScriptSpecs.write(spec, weights(checkpoint, index), stage);

        PolicyMetadata exported = new PolicyMetadata(TorchScriptPolicy.TYPE, m.observation(), m.action(),
                m.observationSteps(), m.horizon(), m.actionSteps(), m.deltaActions(), m.images());
        ObjectNode policy = PolicyFiles.toTree(exported);
        policy.put("embodiment", embodiment.name());
        if (!embodiment.env().isEmpty()) {
            policy.put("env", embodiment.env());
        }
        InstructionTokens tokens = c.tokens();
        ObjectNode instructions = policy.putObject("instructions").put("encoder", InstructionTokens.NAME)
                .put("version", InstructionTokens.VERSION).put("vocabulary", tokens.vocabulary())
                .put("max_tokens", tokens.maxTokens());
        ArrayNode trained = instructions.putArray("trained_on");
        embodiment.trainedOn().forEach(trained::add);
        ObjectNode sampling = Json.object().put("flow_steps", c.flowSteps()).put("flow_noise_scale", 1.0);
        return new Stage(embodiment.name(), checkpoint.checkpointDir(), policy, sampling);
    }

    /**
     * The shared parameters and embodiment {@code index}'s (its cameras' CNNs last, as child blocks
     * come), in the network's order, as the export script's one-embodiment network lists them;
     * adapters are merged into the weights they adapt.
     */
    static List<TrainedPolicy.Weight> weights(FoundationCheckpoint checkpoint, int index) {
        try (NDManager manager = NDManager.newBaseManager()) {
            FoundationNetwork net = checkpoint.network(manager);
            Map<String, NDArray> kept = new LinkedHashMap<>();
            Map<String, NDArray> all = new LinkedHashMap<>();
            for (var p : net.block().getParameters()) {
                NDArray a = p.getValue().getArray();
                all.put(p.getKey(), a);
                boolean heads = FoundationTransformer.isEmbodimentParameter(p.getKey());
                if (!FoundationTransformer.isAdapterParameter(p.getKey())
                        && (!heads || FoundationTransformer.embodimentOf(p.getKey()) == index)) {
                    kept.put(p.getKey(), a);
                }
            }
            for (var e : all.entrySet()) {
                String name = e.getKey();
                if (name.endsWith("_lora_a")) {
                    String base = name.substring(0, name.length() - "_lora_a".length());
                    NDArray b = all.get(base + "_lora_b");
                    String weight = base + "_weight";
                    kept.put(weight, kept.get(weight).add(b.matMul(e.getValue()).mul(TransformerLayer.ADAPTER_SCALE)));
                }
            }
            List<TrainedPolicy.Weight> out = new ArrayList<>();
            kept.forEach((name, a) -> out.add(new TrainedPolicy.Weight(name, a.getShape().getShape(), a.toFloatArray())));
            return out;
        }
    }
}
