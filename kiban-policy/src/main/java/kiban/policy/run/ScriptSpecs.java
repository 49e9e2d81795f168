package kiban.policy.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.policy.ImageSpec;
import kiban.policy.data.EncodingLayout;

/**
 * Writes what the TorchScript export script ({@code torchscript_export.py}) reads: {@code spec.json}
 * (everything but the weights) and {@code weights.bin} (little-endian float32, in the spec's order).
 * Shared by single-policy runs and the run kinds that export ({@link ScriptedRun}).
 */
public final class ScriptSpecs {

    private ScriptSpecs() {}

    /** Puts the feature encoding and normalisation the module applies as {@code spec}'s {@code encoding}. */
    public static void putEncoding(ObjectNode spec, EncodingLayout l) {
        ObjectNode enc = spec.putObject("encoding");
        enc.put("observation_dim", l.observationDim());
        numbers(enc.putArray("offset"), l.offset());
        numbers(enc.putArray("scale"), l.scale());
        ints(enc.putArray("select"), l.select());
        ints(enc.putArray("rel_position"), l.relPosition());
        ints(enc.putArray("rel_angle"), l.relAngle());
        ints(enc.putArray("rel_other"), l.relOther());
        numbers(enc.putArray("rel_scale"), l.relScale());
        numbers(enc.putArray("action_scale"), l.actionScale());
        numbers(enc.putArray("action_offset"), l.actionOffset());
    }

    /** Lists {@code weights} in {@code spec} and writes {@code spec.json} and {@code weights.bin} into {@code dir}. */
    public static void write(ObjectNode spec, List<TrainedPolicy.Weight> weights, Path dir) {
        ArrayNode list = spec.putArray("weights");
        long total = 0;
        for (TrainedPolicy.Weight w : weights) {
            ArrayNode shape = list.addObject().put("name", w.name()).putArray("shape");
            for (long d : w.shape()) {
                shape.add(d);
            }
            total += w.values().length;
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(4 * total)).order(ByteOrder.LITTLE_ENDIAN);
        for (TrainedPolicy.Weight w : weights) {
            for (float v : w.values()) {
                buf.putFloat(v);
            }
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("spec.json"), Json.pretty(spec));
            try (OutputStream o = Files.newOutputStream(dir.resolve("weights.bin"))) {
                o.write(buf.array());
            }
        } catch (IOException e) {
            throw new KibanException(dir + ": cannot write the policy's spec and weights: " + e.getMessage(), e);
        }
    }

    /** A camera entry of spec.json's {@code images}, as the export's Python reads it. */
    public static ObjectNode addImage(ArrayNode images, ImageSpec image) {
        return images.addObject().put("name", image.name()).put("height", image.height()).put("width", image.width())
                .put("channels", image.channels());
    }

    /** Puts a flow sampler's settings ({@code flow}: steps, step size, noise scale, times, time frequencies). */
    public static void putFlow(ObjectNode spec, int steps, float stepSize, float noiseScale, float[] times, float[] frequencies) {
        ObjectNode flow = spec.putObject("flow");
        flow.put("steps", steps);
        flow.put("step_size", stepSize);
        flow.put("noise_scale", noiseScale);
        floats(flow.putArray("times"), times);
        floats(flow.putArray("time_frequencies"), frequencies);
    }

    private static void floats(ArrayNode a, float[] v) {
        for (float x : v) {
            a.add(x);
        }
    }

    private static void numbers(ArrayNode a, double[] v) {
        for (double x : v) {
            a.add(x);
        }
    }

    private static void ints(ArrayNode a, int[] v) {
        for (int x : v) {
            a.add(x);
        }
    }
}
