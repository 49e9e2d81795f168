package kiban.policy.foundation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import kiban.policy.data.Batch;
import kiban.policy.data.ChunkWindows;

/** Held-out action error: how a policy is judged on a recording where no simulator can run it. */
final class HeldOut {

    /** The run's held-out figures by embodiment, beside its checkpoints. */
    static final String FILE = "held_out.json";

    private HeldOut() {}

    /**
     * The mean squared error between sampled and recorded normalised chunks over the real elements
     * of the first {@code limit} windows of {@code windows} (embodiment {@code e}'s).
     */
    static double actionError(ParameterStore store, NDManager root, FoundationNetwork net, int e, ChunkWindows windows,
            int limit, int batch) {
        double sum = 0;
        double count = 0;
        int seen = 0;
        FoundationDims dims = net.dims();
        for (Batch raw : windows.all(batch)) {
            if (seen >= limit) {
                break;
            }
            seen += raw.size();
            try (NDManager scratch = root.newSubManager()) {
                Batch b = Mixture.pad(e, raw, dims);
                NDArray obs = scratch.create(b.observations(), new Shape(b.size(), dims.observationInputs()));
                float[] predicted = net.predict(store, obs).toFloatArray();
                for (int i = 0; i < predicted.length; i++) {
                    // raw rows are the embodiment's own size, as predict's output
                    float m = raw.mask()[i];
                    double d = predicted[i] - raw.actions()[i];
                    sum += m * d * d;
                    count += m;
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
