package kiban.policy.model;

import java.util.Optional;
import kiban.core.json.FieldReader;

/**
 * One kind of policy network ({@code mlp}, {@code flow}, ...): its settings and how it is built.
 * Found through {@link java.util.ServiceLoader}, listed in
 * {@code META-INF/services/kiban.policy.model.PolicyType}; the order of that file is the order
 * of the types' fields in config files. A new type is one package holding its network, its
 * {@link PolicyConfig} record and this provider, plus one line in that file.
 */
public interface PolicyType {

    /** The registry name, the config file's {@code policy}, such as {@code flow}. */
    String name();

    /** What it is, in a few words that complete "This is ..." on a model card. */
    default String description() {
        return "a policy of type " + name();
    }

    /** The config fields that shape its network, as a model card lists them. */
    default java.util.List<String> networkFields() {
        return java.util.List.of();
    }

    /** Its settings where a config file sets none of its fields. */
    PolicyConfig defaults();

    /**
     * Its settings from a config file's flat fields ({@code fields} is the whole file): each field
     * of its own that is present replaces the default. Bad values fail naming the file and field.
     */
    PolicyConfig read(FieldReader fields);

    /** Its network, reading rows laid out as {@code layout} and predicting {@code chunk}. */
    PolicyNetwork create(PolicyConfig config, ObservationLayout layout, ChunkSpec chunk);

    /**
     * How a network reads {@code inputs} encoded state elements covering {@code observationSteps}
     * frames, where nothing else lays them out (benchmarks of the bare network): as one row by default.
     */
    default ObservationLayout stateOnly(int observationSteps, int inputs, ChunkSpec chunk) {
        return ObservationLayout.stateOnly(1, inputs);
    }

    /**
     * Whether a config file carries this type's fields whatever type it trains. True for the
     * types every config file has carried since before types were registered, so those files read
     * and write byte for byte; a newer type's fields appear where it is the policy or the file sets them.
     */
    default boolean inEveryConfigFile() {
        return false;
    }

    /** How {@code kiban export} describes this type's network to its TorchScript script; empty where it cannot. */
    default Optional<ScriptedNetwork> torchScript() {
        return Optional.empty();
    }
}
