package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the TorchScript export script ({@code torchscript_export.py}) needs to rebuild a type's
 * network, for the types it knows: the export asks a {@link PolicyType} for it rather than
 * switching on type names.
 */
public interface ScriptedNetwork {

    /**
     * Puts the type's part of {@code spec.json}: its widths and its sampler, as the script reads
     * them (the weights come from the network's parameters, in their order).
     */
    void writeSpec(PolicyConfig config, ChunkSpec chunk, ObjectNode spec);

    /** Puts the sampling settings an export records in {@code export.json}, after the policy type. None by default. */
    default void describeSampling(PolicyConfig config, ObjectNode provenance) {}
}
