package kiban.data.lerobot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every file and folder of a dataset (staging aside), with the files' bytes: two snapshots are
 * equal when the dataset is exactly as it was.
 */
record DatasetSnapshot(Map<String, String> entries) {

    static DatasetSnapshot of(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (rel.startsWith(LeRobotDatasetWriter.STAGING)) {
                    continue;
                }
                out.put(rel, Files.isDirectory(p) ? "folder" : HexFormat.of().formatHex(sha256(Files.readAllBytes(p))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DatasetSnapshot(out);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
