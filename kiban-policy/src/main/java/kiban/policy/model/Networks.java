package kiban.policy.model;

import java.util.List;
import kiban.core.policy.ImageSpec;

/** Builds the network a config names, through its {@link PolicyType}. */
public final class Networks {

    private Networks() {}

    /** A state-only network reading {@code observationInputs} encoded state elements (all observation steps). */
    public static PolicyNetwork create(NetworkConfig config, int observationInputs, int chunkOutputs) {
        PolicyType type = type(config);
        ChunkSpec chunk = chunk(config, chunkOutputs);
        return type.create(config.model(), type.stateOnly(config.observationSteps(), observationInputs, chunk), chunk);
    }

    /** How a network of {@code config} reads rows of encoded states of {@code encodedStateDim} elements and {@code images}. */
    public static ObservationLayout layout(NetworkConfig config, int encodedStateDim, List<ImageSpec> images) {
        return layout(config, encodedStateDim, images, 0);
    }

    /** As {@link #layout(NetworkConfig, int, List)}, with {@code instructionFeatures} elements of instruction at the end (0: none). */
    public static ObservationLayout layout(NetworkConfig config, int encodedStateDim, List<ImageSpec> images,
            int instructionFeatures) {
        return new ObservationLayout(config.observationSteps(), encodedStateDim, images, config.imageFeatureDim(),
                instructionFeatures, config.imageEncoding());
    }

    /** A network reading rows laid out as {@code layout}, with a CNN per camera where it has cameras. */
    public static PolicyNetwork create(NetworkConfig config, ObservationLayout layout, int chunkOutputs) {
        return type(config).create(config.model(), layout, chunk(config, chunkOutputs));
    }

    /** The chunk of {@code chunkOutputs} elements a network of {@code config} predicts. */
    public static ChunkSpec chunk(NetworkConfig config, int chunkOutputs) {
        return new ChunkSpec(config.horizon(), chunkOutputs, config.normalization());
    }

    private static PolicyType type(NetworkConfig config) {
        return PolicyTypes.registry().get(config.model().type());
    }

    /**
     * Seeds the noise flow and diffusion sample from. libtorch draws it from its global generator,
     * whether the network runs in Kiban or as TorchScript, so one policy evaluates at a time.
     */
    public static void seedSampling(long seed) {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }
}
