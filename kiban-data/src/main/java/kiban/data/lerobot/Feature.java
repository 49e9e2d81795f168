package kiban.data.lerobot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;

/**
 * One entry of info.json's {@code features}: dtype, shape and the rest of its JSON (names, info,
 * fps) kept as it was.
 */
public record Feature(String name, String dtype, List<Integer> shape, ObjectNode json) {

    /** dtypes of LeRobot features. */
    public static final Set<String> DTYPES = Set.of("float32", "float64", "int64", "int32", "bool", "string", "image", "video");
    /** Columns every LeRobot frame has, in LeRobot's order. */
    public static final List<String> DEFAULT_COLUMNS = List.of("timestamp", "frame_index", "episode_index", "index", "task_index");

    /** Most dimensions a feature's shape may have. */
    public static final int MAX_RANK = 8;
    /** Most elements per frame (a 4K RGB frame has about 2^24.6). */
    public static final int MAX_ELEMENTS = 1 << 28;

    public Feature {
        shape = List.copyOf(shape);
    }

    /** A numeric or boolean feature of the given shape, with no names. */
    public static Feature of(String name, String dtype, int... shape) {
        ObjectNode j = Json.object();
        j.put("dtype", dtype);
        var s = j.putArray("shape");
        for (int d : shape) {
            s.add(d);
        }
        j.putNull("names");
        return parse(name, j, "feature " + name);
    }

    /** A float32 vector feature with element names. */
    public static Feature vector(String name, List<String> names) {
        ObjectNode j = Json.object();
        j.put("dtype", "float32");
        j.putArray("shape").add(names.size());
        var n = j.putArray("names");
        names.forEach(n::add);
        return parse(name, j, "feature " + name);
    }

    /**
     * A camera stream stored as video, as LeRobot's recorder describes it: shape [h, w, 3] with
     * names height/width/channels and the {@code info} block of the encoding.
     */
    public static Feature video(String name, int height, int width, int fps) {
        ObjectNode j = Json.object();
        j.put("dtype", "video");
        j.putArray("shape").add(height).add(width).add(3);
        j.putArray("names").add("height").add("width").add("channels");
        ObjectNode info = j.putObject("info");
        info.put("video.height", height);
        info.put("video.width", width);
        info.put("video.codec", kiban.data.video.Ffmpeg.CODEC);
        info.put("video.pix_fmt", kiban.data.video.Ffmpeg.PIX_FMT);
        info.put("video.is_depth_map", false);
        info.put("video.fps", fps);
        info.put("video.channels", 3);
        info.put("has_audio", false);
        return parse(name, j, "feature " + name);
    }

    public static Feature parse(String name, JsonNode node, String source) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(source, "features." + name, "an object with dtype and shape", String.valueOf(node));
        }
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual() || !DTYPES.contains(dt.asText())) {
            throw new InvalidInputException(source, "features." + name + ".dtype", "one of " + DTYPES.stream().sorted().toList(),
                    String.valueOf(dt));
        }
        JsonNode sh = node.get("shape");
        if (sh == null || !sh.isArray() || sh.isEmpty()) {
            throw new InvalidInputException(source, "features." + name + ".shape", "a non-empty list of sizes", String.valueOf(sh));
        }
        List<Integer> shape = new java.util.ArrayList<>();
        long elements = 1;
        for (JsonNode d : sh) {
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 1) {
                throw new InvalidInputException(source, "features." + name + ".shape", "positive sizes", sh.toString());
            }
            shape.add(d.asInt());
            elements = Math.min(elements * d.asInt(), Long.MAX_VALUE / Integer.MAX_VALUE);
        }
        if (shape.size() > MAX_RANK || elements > MAX_ELEMENTS) {
            throw new InvalidInputException(source, "features." + name + ".shape", "at most " + MAX_RANK + " sizes and "
                    + MAX_ELEMENTS + " elements per frame", sh.toString());
        }
        return new Feature(name, dt.asText(), shape, ((ObjectNode) node).deepCopy());
    }

    /** Elements per frame: the product of the shape. */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public boolean isVideo() {
        return dtype.equals("video");
    }

    /** Frame height and width of an image or video feature, from its [h, w, c] (or [c, h, w]) shape. */
    public int[] frameSize() {
        if (shape.size() != 3) {
            throw new InvalidInputException("feature " + name, "shape", "[height, width, channels]", shape.toString());
        }
        return shape.get(0) <= 4 && shape.get(2) > 4 ? new int[] {shape.get(1), shape.get(2)} : new int[] {shape.get(0), shape.get(1)};
    }

    public boolean isImage() {
        return dtype.equals("image");
    }

    /** Whether the feature is a column of the data parquet files (video frames live in mp4s). */
    public boolean inParquet() {
        return !isVideo();
    }

    /** Whether it is a number or boolean vector (not image, video or string). */
    public boolean numeric() {
        return !isVideo() && !isImage() && !dtype.equals("string");
    }

    /** Whether it is stored as a Parquet list (shape other than [1]). */
    public boolean listStored() {
        return !(shape.size() == 1 && shape.get(0) == 1);
    }
}
