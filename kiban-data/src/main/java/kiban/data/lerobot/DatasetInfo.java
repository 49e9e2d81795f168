package kiban.data.lerobot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;

/** meta/info.json of any supported version. Unknown keys are kept in {@code raw} and ignored. */
public record DatasetInfo(
        FormatVersion version,
        String robotType,
        int fps,
        int totalEpisodes,
        long totalFrames,
        int totalTasks,
        int chunksSize,
        int dataFilesSizeInMb,
        int videoFilesSizeInMb,
        String dataPath,
        String videoPath,
        Map<String, Feature> features,
        ObjectNode raw) {

    public static final String V3_DATA_PATH = "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet";
    public static final String V3_VIDEO_PATH = "videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4";
    public static final int CHUNKS_SIZE = 1000;
    public static final int DATA_FILES_SIZE_IN_MB = 100;
    public static final int VIDEO_FILES_SIZE_IN_MB = 200;
    /** Highest frame rate info.json may declare. */
    public static final int MAX_FPS = 100_000;

    public DatasetInfo {
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** Reads {@code root/meta/info.json}. */
    public static DatasetInfo read(Path root) {
        Path file = root.resolve("meta").resolve("info.json");
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "", "a LeRobot dataset's meta/info.json", "no such file");
        }
        JsonNode node = Json.readTree(file);
        return parse(node, file.toString());
    }

    public static DatasetInfo parse(JsonNode node, String source) {
        if (!node.isObject()) {
            throw new InvalidInputException(source, "", "a JSON object", node.getNodeType().toString());
        }
        JsonNode v = node.get("codebase_version");
        FormatVersion version = FormatVersion.parse(v == null || !v.isTextual() ? null : v.asText(), source);
        JsonNode fpsNode = node.get("fps");
        if (fpsNode == null || !fpsNode.isNumber() || fpsNode.asDouble() <= 0 || fpsNode.asDouble() != Math.rint(fpsNode.asDouble())
                || fpsNode.asDouble() > MAX_FPS) {
            throw new InvalidInputException(source, "fps", "a whole number of frames per second from 1 to " + MAX_FPS,
                    String.valueOf(fpsNode));
        }
        JsonNode feats = node.get("features");
        if (feats == null || !feats.isObject()) {
            throw new InvalidInputException(source, "features", "an object of features", String.valueOf(feats));
        }
        Map<String, Feature> features = new LinkedHashMap<>();
        for (var it = feats.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            Feature f = Feature.parse(e.getKey(), e.getValue(), source);
            if (f.isVideo()) {
                // A video key becomes a folder name in video_path.
                PathTemplates.checkFolderName(f.name(), source, "features." + f.name());
            }
            features.put(e.getKey(), f);
        }
        for (String c : Feature.DEFAULT_COLUMNS) {
            if (!features.containsKey(c)) {
                throw new InvalidInputException(source, "features." + c, "the default feature '" + c + "'", null);
            }
        }
        String defaultData = version == FormatVersion.V3_0 ? V3_DATA_PATH : null;
        String dataPath = text(node, "data_path", defaultData, source);
        if (dataPath == null) {
            throw new InvalidInputException(source, "data_path", "a path template", null);
        }
        PathTemplates.check(dataPath, source, "data_path");
        String videoPath = text(node, "video_path", null, source);
        if (videoPath != null) {
            PathTemplates.check(videoPath, source, "video_path");
        }
        JsonNode robot = node.get("robot_type");
        return new DatasetInfo(version,
                robot == null || robot.isNull() ? null : robot.asText(),
                fpsNode.asInt(),
                count(node, "total_episodes", source),
                countLong(node, "total_frames", source),
                count(node, "total_tasks", source),
                positive(node, "chunks_size", CHUNKS_SIZE, source),
                positive(node, "data_files_size_in_mb", DATA_FILES_SIZE_IN_MB, source),
                positive(node, "video_files_size_in_mb", VIDEO_FILES_SIZE_IN_MB, source),
                dataPath,
                videoPath,
                features,
                ((ObjectNode) node).deepCopy());
    }

    private static String text(JsonNode node, String key, String fallback, String source) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw new InvalidInputException(source, key, "a string", n.toString());
        }
        return n.asText();
    }

    /** An optional whole number >= 1 ({@code fallback} when absent). */
    private static int positive(JsonNode node, String key, int fallback, String source) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
            throw new InvalidInputException(source, key, "a whole number from 1 to " + Integer.MAX_VALUE, n.toString());
        }
        return n.asInt();
    }

    private static int count(JsonNode node, String key, String source) {
        long v = countLong(node, key, source);
        if (v > Integer.MAX_VALUE) {
            throw new InvalidInputException(source, key, "at most " + Integer.MAX_VALUE, Long.toString(v));
        }
        return (int) v;
    }

    private static long countLong(JsonNode node, String key, String source) {
        JsonNode n = node.get(key);
        if (n == null || !n.canConvertToLong() || n.asLong() < 0) {
            throw new InvalidInputException(source, key, "a count >= 0", String.valueOf(n));
        }
        return n.asLong();
    }

    /** Features stored as data parquet columns, in order. */
    public List<Feature> parquetFeatures() {
        return features.values().stream().filter(Feature::inParquet).toList();
    }

    public List<Feature> videoFeatures() {
        return features.values().stream().filter(Feature::isVideo).toList();
    }

    public Feature feature(String name) {
        Feature f = features.get(name);
        if (f == null) {
            throw new InvalidInputException("info.json", "features", "a feature named '" + name + "'", "features " + features.keySet());
        }
        return f;
    }

    /** A copy with new totals. */
    public DatasetInfo withTotals(int episodes, long frames, int tasks) {
        return new DatasetInfo(version, robotType, fps, episodes, frames, tasks, chunksSize, dataFilesSizeInMb,
                videoFilesSizeInMb, dataPath, videoPath, features, raw);
    }

    /** The v3.0 info.json for this dataset, keys in LeRobot's order. */
    public ObjectNode toV3Json() {
        ObjectNode o = Json.object();
        o.put("codebase_version", FormatVersion.V3_0.text());
        if (robotType == null) {
            o.putNull("robot_type");
        } else {
            o.put("robot_type", robotType);
        }
        o.put("total_episodes", totalEpisodes);
        o.put("total_frames", totalFrames);
        o.put("total_tasks", totalTasks);
        o.put("chunks_size", chunksSize);
        o.put("data_files_size_in_mb", dataFilesSizeInMb);
        o.put("video_files_size_in_mb", videoFilesSizeInMb);
        o.put("fps", fps);
        o.putObject("splits").put("train", "0:" + totalEpisodes);
        o.put("data_path", V3_DATA_PATH);
        if (videoFeatures().isEmpty()) {
            o.putNull("video_path");
        } else {
            o.put("video_path", V3_VIDEO_PATH);
        }
        ObjectNode f = o.putObject("features");
        features.forEach((k, v) -> f.set(k, v.json()));
        return o;
    }

    /**
     * Fills a LeRobot path template ({@code {name}} or {@code {name:03d}}); a malformed template or
     * one whose path would leave the dataset is an {@link InvalidInputException}.
     */
    public static String format(String template, Map<String, Object> values) {
        return PathTemplates.format(template, values);
    }
}
