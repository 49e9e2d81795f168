package kiban.data.lerobot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import kiban.core.json.Json;

/**
 * The {@code huggingface} footer metadata that Hugging Face datasets writes, so that
 * {@code datasets} restores vectors as fixed-length {@code Sequence}s when LeRobot loads Kiban's files.
 */
final class HfFeatures {

    private HfFeatures() {
    }

    static Map<String, String> metadata(DatasetInfo info) {
        ObjectNode root = Json.object();
        ObjectNode feats = root.putObject("info").putObject("features");
        for (Feature f : info.parquetFeatures()) {
            if (f.isImage()) {
                continue;
            }
            ObjectNode value = Json.object().put("dtype", f.dtype()).put("_type", "Value");
            if (f.listStored()) {
                ObjectNode seq = feats.putObject(f.name());
                seq.set("feature", value);
                seq.put("length", f.size());
                seq.put("_type", "Sequence");
            } else {
                feats.set(f.name(), value);
            }
        }
        return Map.of("huggingface", Json.compact(root));
    }
}
