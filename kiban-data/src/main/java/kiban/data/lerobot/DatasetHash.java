package kiban.data.lerobot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import kiban.core.error.KibanException;

/**
 * Content hashes of a dataset: {@link #of} over its data files and {@code meta/info.json} (what a
 * run's lineage and model card record as {@code dataset_hash}), and {@link #ofVideo} over what one
 * camera's decoded frames depend on (its mp4 files, every episode's span in them, and
 * {@code meta/info.json}), which keys a {@link kiban.data.cache.FrameCache}.
 */
public final class DatasetHash {

    private DatasetHash() {}

    /** {@code sha256:<hex>} of the data files and {@code meta/info.json}, read in sorted path order. */
    public static String of(LeRobotDataset dataset) {
        MessageDigest digest = sha256();
        List<Path> files = new ArrayList<>(dataset.dataFiles());
        files.add(dataset.root().resolve("meta/info.json"));
        files.stream().sorted().forEach(p -> digestFile(digest, p, dataset));
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    /** {@code sha256:<hex>} of {@code videoKey}'s mp4 files, the episodes' spans in them, and {@code meta/info.json}. */
    public static String ofVideo(LeRobotDataset dataset, String videoKey) {
        MessageDigest digest = sha256();
        digestFile(digest, dataset.root().resolve("meta/info.json"), dataset);
        LinkedHashSet<Path> videos = new LinkedHashSet<>();
        StringBuilder spans = new StringBuilder(videoKey).append('\n');
        for (EpisodeInfo e : dataset.episodes()) {
            videos.add(dataset.videoFile(videoKey, e));
            EpisodeInfo.VideoSpan s = e.videos().get(videoKey);
            spans.append(e.index()).append(' ').append(e.length());
            if (s != null) {
                spans.append(' ').append(s.chunk()).append(' ').append(s.file()).append(' ')
                        .append(Double.toString(s.fromTimestamp())).append(' ').append(Double.toString(s.toTimestamp()));
            }
            spans.append('\n');
        }
        digest.update(spans.toString().getBytes(StandardCharsets.UTF_8));
        videos.stream().sorted().forEach(p -> digestFile(digest, p, dataset));
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    private static void digestFile(MessageDigest digest, Path p, LeRobotDataset dataset) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(p), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new KibanException(dataset.root() + ": cannot read " + p + " to hash the dataset: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
