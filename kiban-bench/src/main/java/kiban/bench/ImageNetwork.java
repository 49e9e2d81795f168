package kiban.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kiban.core.policy.ImageSpec;
import kiban.policy.data.Batch;
import kiban.policy.model.FlowNetwork;
import kiban.policy.model.Networks;
import kiban.policy.model.ObservationLayout;
import kiban.policy.model.PolicyNetwork;
import kiban.policy.nn.ImageEncoders;
import kiban.policy.run.TrainConfig;

/**
 * The flow image policy's network as PushT trains it (docs/TRAINING.md, "Camera images"): the 96x96
 * camera and the agent's position ({@code state_features: [agent_pos]}, two encoded elements a
 * step), two observation steps, chunks of 16 x 2, the config's default head and
 * {@code image_feature_dim}, and the camera encoder {@code image_encoder} names. Rows are laid out
 * as the trainer lays them out: the state history, then the frame history as CHW values in [0, 1].
 */
record ImageNetwork(String encoder, TrainConfig config) {

    static final String CAMERA = "observation.images.image";
    static final int SIZE = 96;
    /** PushT's {@code agent_pos}: x and y, each normalised to one element. */
    static final int STATE_DIM = 2;
    /** Diffusion Policy's image batch, as docs/TRAINING.md's PushT image config. */
    static final int DEFAULT_BATCH = 64;

    ImageNetwork {
        if (!ImageEncoders.NAMES.contains(encoder)) {
            throw new IllegalArgumentException("unknown image encoder \"" + encoder + "\"; one of " + ImageEncoders.NAMES);
        }
    }

    /** The network for {@code encoder} at {@code network}'s widths and head, trained on batches of {@code batch}. */
    static ImageNetwork of(String encoder, TrainConfig network, int batch) {
        return new ImageNetwork(encoder, network.with(c -> {
            c.put("policy", FlowNetwork.TYPE).put("steps", 1_000_000).put("batch", batch).put("learning_rate", 1e-4)
                    .put("warmup_steps", 0).put("validation_fraction", 0).put("image_encoder", encoder);
            c.putArray("image_features").add(CAMERA);
            c.putArray("state_features").add("agent_pos");
        }));
    }

    static ImageSpec camera() {
        return new ImageSpec(CAMERA, SIZE, SIZE, 3);
    }

    ObservationLayout layout() {
        return Networks.layout(config, STATE_DIM, List.of(camera()));
    }

    PolicyNetwork create() {
        return Networks.create(config, layout(), chunkOutputs());
    }

    int steps() {
        return config.observationSteps();
    }

    int chunkOutputs() {
        return config.horizon() * NetworkPolicy.ACTION_DIM;
    }

    /** Elements of one input row. */
    int inputs() {
        return layout().inputs();
    }

    /** Frames a row carries: one per observation step. */
    int framesPerRow() {
        return steps();
    }

    /** Normal states, uniform pixels in [0, 1], normal actions, every action real. */
    Batch randomBatch(int rows, SplittableRandom r) {
        int inputs = inputs();
        int states = steps() * STATE_DIM;
        float[] obs = new float[rows * inputs];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = i % inputs < states ? (float) r.nextGaussian() : (float) r.nextDouble();
        }
        float[] act = new float[rows * chunkOutputs()];
        float[] mask = new float[act.length];
        for (int i = 0; i < act.length; i++) {
            act[i] = (float) r.nextGaussian();
            mask[i] = 1f;
        }
        return new Batch(rows, obs, act, mask);
    }

    /** The peers' arguments for this network ({@code bench/peers/image_policy.py} reads them). */
    List<String> peerArguments() {
        List<String> args = new ArrayList<>(List.of("--image-encoder", encoder, "--image-size", String.valueOf(SIZE),
                "--image-features", String.valueOf(config.imageFeatureDim()), "--state-dim", String.valueOf(STATE_DIM),
                "--action-dim", String.valueOf(NetworkPolicy.ACTION_DIM), "--flow-steps",
                String.valueOf(PythonPeer.flow(config).steps()), "--observation-steps", String.valueOf(steps()),
                "--horizon", String.valueOf(config.horizon()), "--hidden",
                String.join(",", PythonPeer.flow(config).hidden().stream().map(String::valueOf).toList())));
        return args;
    }

    /** Every scalar parameter of {@code net}. */
    static long parameterCount(PolicyNetwork net) {
        return net.block().getParameters().stream().mapToLong(p -> p.getValue().getArray().size()).sum();
    }
}
