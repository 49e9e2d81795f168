package kiban.data.lerobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Deterministic small datasets for the tests, and the shared real dataset's location. */
final class TestData {

    static final int STATE = 6;
    static final int ACTION = 4;

    private TestData() {
    }

    static LeRobotDatasetWriter.Options options() {
        return LeRobotDatasetWriter.Options.of(10, "test_arm", List.of(
                Feature.of("observation.state", "float32", STATE),
                Feature.of("action", "float32", ACTION),
                Feature.of("next.reward", "float32", 1),
                Feature.of("next.done", "bool", 1)));
    }

    /** Element j of the state of frame k of episode e: unique per position, exact in float32. */
    static float state(int e, int k, int j) {
        return e * 1000 + k + j / 8f;
    }

    static float action(int e, int k, int j) {
        return -(e * 1000 + k) - j / 8f;
    }

    static int length(int e) {
        return 20 + (e * 7) % 13;
    }

    static Map<String, Object> frame(int e, int k, int len) {
        float[] s = new float[STATE];
        float[] a = new float[ACTION];
        for (int j = 0; j < STATE; j++) {
            s[j] = state(e, k, j);
        }
        for (int j = 0; j < ACTION; j++) {
            a[j] = action(e, k, j);
        }
        return Map.of("observation.state", s, "action", a, "next.reward", (float) k / len, "next.done", k == len - 1);
    }

    static void writeEpisode(LeRobotDatasetWriter w, int e) {
        int len = length(e);
        for (int k = 0; k < len; k++) {
            w.addFrame(frame(e, k, len));
        }
        w.saveEpisode(e % 2 == 0 ? "push the block" : "lift the cube");
    }

    /** The shared LeRobot v2.1 Unitree G1 dataset, found beside the project root or one of its ancestors. */
    static Path g1() {
        Path p = Path.of("").toAbsolutePath();
        for (; p != null; p = p.getParent()) {
            Path c = p.resolve("shared/data/lerobot-v2.1-unitree-g1");
            if (Files.isRegularFile(c.resolve("meta/info.json"))) {
                return c;
            }
        }
        return null;
    }
}
