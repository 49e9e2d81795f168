package kiban.health.failures;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.error.KibanException;
import kiban.policy.nn.Blocks;

/** A trained network over {@link FailureFeatures}, standardised; holds native memory until closed. */
public final class MlpClassifier implements Classifier {

    private final NDManager manager;
    private final SequentialBlock block;

    private MlpClassifier(NDManager manager, SequentialBlock block) {
        this.manager = manager;
        this.block = block;
    }

    /** A freshly initialised network (the engine's random seed fixes its weights). */
    static MlpClassifier create(MlpSettings settings, int inputs, int classes) {
        NDManager manager = NDManager.newBaseManager();
        SequentialBlock block = Blocks.mlp(settings.hidden(), classes);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, inputs));
        return new MlpClassifier(manager, block);
    }

    /** The network saved by {@link #save} in {@code file}. */
    public static MlpClassifier load(Path file, MlpSettings settings, int inputs, int classes) {
        MlpClassifier model = create(settings, inputs, classes);
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            model.block.loadParameters(model.manager, in);
            return model;
        } catch (java.nio.file.NoSuchFileException e) {
            model.close();
            throw new kiban.core.error.InvalidInputException(file.toString(), "", "a network saved by kiban health train",
                    "no such file");
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new KibanException(file + ": not a network of " + settings.hidden() + " hidden units, " + inputs + " inputs and "
                    + classes + " classes: " + e.getMessage(), e);
        }
    }

    /** Writes the weights to {@code file} (the caller makes it atomic). */
    public void save(Path file) {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new KibanException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    NDManager manager() {
        return manager;
    }

    SequentialBlock block() {
        return block;
    }

    @Override
    public int[] predict(double[][] x) {
        if (x.length == 0) {
            return new int[0];
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray input = scratch.create(flatten(x), new Shape(x.length, x[0].length));
            NDArray logits = block.forward(new ParameterStore(scratch, false), new NDList(input), false).singletonOrThrow();
            long[] best = logits.argMax(1).toLongArray();
            int[] out = new int[best.length];
            for (int i = 0; i < best.length; i++) {
                out[i] = (int) best[i];
            }
            return out;
        }
    }

    static float[] flatten(double[][] x) {
        int d = x[0].length;
        float[] flat = new float[x.length * d];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = (float) x[i][j];
            }
        }
        return flat;
    }

    @Override
    public void close() {
        manager.close();
    }
}
