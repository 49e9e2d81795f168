package kiban.policy.card;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.json.Json;
import kiban.core.policy.PolicyMetadata;
import kiban.policy.run.PolicyFiles;

/**
 * One embodiment a checkpoint serves, as its card describes it.
 *
 * @param name the embodiment's name ({@link ModelCard#UNKNOWN} where the run does not say)
 * @param env the simulator its data came from; empty for a real machine's recording or where unknown
 * @param metadata its state and action features (with units) and its chunk
 * @param normalization each feature's normalisation mode, by the key {@code normalization.json} uses
 * @param instructions the instructions it was trained on (the data's task, for a policy that reads none)
 * @param readsInstructions whether the policy reads instructions at all
 */
public record CardEmbodiment(String name, String env, PolicyMetadata metadata, Map<String, String> normalization,
        List<String> instructions, boolean readsInstructions) {

    public CardEmbodiment {
        normalization = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(normalization));
        instructions = List.copyOf(instructions);
    }

    ObjectNode toTree() {
        ObjectNode o = Json.object();
        o.put("name", name);
        if (!env.isEmpty()) {
            o.put("env", env);
        }
        PolicyFiles.putChunkAndFeatures(o, metadata);
        ObjectNode n = o.putObject("normalization");
        normalization.forEach(n::put);
        o.put("reads_instructions", readsInstructions);
        ArrayNode tasks = o.putArray("instructions");
        instructions.forEach(tasks::add);
        return o;
    }
}
