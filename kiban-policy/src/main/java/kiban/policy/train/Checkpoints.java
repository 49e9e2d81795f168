package kiban.policy.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.error.KibanException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.policy.run.RunDirectory;

/**
 * A run's checkpoints: the weights, the EMA weights, the optimiser's moments and the step, staged
 * in a temporary folder and put in place at once, so that a crash leaves the last complete one.
 */
public final class Checkpoints {

    private Checkpoints() {}

    /** What a resumed run continues from. */
    public record Restored(long step, double loss) {}

    /** Saves the state after {@code step} steps and returns the checkpoint's folder. */
    public static Path save(RunDirectory run, Block block, AdamW optimizer, Ema ema, long step, double loss) throws IOException {
        Path staged = run.stageCheckpoint(step);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(staged.resolve("model.params")))) {
            block.saveParameters(out);
        }
        try (OutputStream out = Files.newOutputStream(staged.resolve("ema.ndlist"))) {
            ema.weights().encode(out);
        }
        try (OutputStream out = Files.newOutputStream(staged.resolve("optimizer.ndlist"))) {
            optimizer.stateList().encode(out);
        }
        ObjectNode state = Json.object().put("step", step).put("optimizer_step", optimizer.step()).put("loss", loss);
        Files.writeString(staged.resolve("state.json"), Json.pretty(state));
        return run.commit(staged, step);
    }

    /** Loads the newest checkpoint into the block, optimiser and EMA. */
    public static Restored restore(RunDirectory run, Block block, NDManager root, AdamW optimizer, Ema ema) throws IOException {
        Path dir = run.latestCheckpoint().orElseThrow(() -> new KibanException(
                run.root() + ": nothing to resume: no complete checkpoint in " + run.checkpoints()));
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve("model.params")))) {
            block.loadParameters(root, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new KibanException(dir.resolve("model.params") + ": not a checkpoint of this model: " + e.getMessage(), e);
        }
        try (InputStream in = Files.newInputStream(dir.resolve("ema.ndlist"))) {
            ema.restore(NDList.decode(root, in));
        }
        FieldReader state = FieldReader.root(Json.readTree(dir.resolve("state.json")), dir.resolve("state.json").toString());
        try (InputStream in = Files.newInputStream(dir.resolve("optimizer.ndlist"))) {
            optimizer.restore(NDList.decode(root, in), (long) state.requireDouble("optimizer_step", 0, 1e15));
        }
        double loss = state.node().path("loss").isNumber() ? state.node().path("loss").asDouble() : Double.NaN;
        return new Restored((long) state.requireDouble("step", 0, 1e15), loss);
    }
}
