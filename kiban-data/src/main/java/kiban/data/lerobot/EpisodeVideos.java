package kiban.data.lerobot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.io.AtomicFiles;
import kiban.data.video.Ffmpeg;
import kiban.data.video.Mp4Info;
import kiban.data.video.RgbFrame;

/**
 * The video side of {@link LeRobotDatasetWriter}: one ffmpeg encoder per video feature for the
 * episode in progress (into staging), appended to the feature's current mp4 on save, and the
 * uncommitted tail a crash may leave cut off on resume. An episode's encoded files stay in staging
 * until its save commits, so a failed save can be retried. See the writer's class comment.
 */
final class EpisodeVideos {

    private final Path root;
    private final Path staging;
    private final DatasetInfo info;
    private final List<Feature> features;
    private final long capBytes;
    private final Map<String, Ffmpeg.Encoder> encoders = new LinkedHashMap<>();
    private boolean finished;
    private KibanException encodingFailure;

    EpisodeVideos(Path root, Path staging, DatasetInfo info, long capBytes) {
        this.root = root;
        this.staging = staging;
        this.info = info;
        this.features = info.videoFeatures();
        this.capBytes = capBytes;
    }

    List<Feature> features() {
        return features;
    }

    /** Whether the episode's encoders are finished: it waits for a save to be retried or cleared. */
    boolean finished() {
        return finished;
    }

    /** Each video feature's frame from a frame's values, checked (size, type) but not yet encoded. */
    List<RgbFrame> frames(Map<String, ?> values, int frameNumber) {
        List<RgbFrame> out = new ArrayList<>(features.size());
        for (Feature v : features) {
            int[] hw = v.frameSize();
            Object value = values.get(v.name());
            RgbFrame f = switch (value) {
                case null -> throw new InvalidInputException("frame " + frameNumber, v.name(), "an RGB frame of " + hw[0] + "x" + hw[1],
                        null);
                case RgbFrame r -> r;
                case byte[] b -> new RgbFrame(hw[0], hw[1], b);
                default -> throw new InvalidInputException("frame " + frameNumber, v.name(), "an RgbFrame or byte[] RGB frame",
                        value.getClass().getSimpleName());
            };
            if (f.height() != hw[0] || f.width() != hw[1]) {
                throw new InvalidInputException("frame " + frameNumber, v.name(), "a " + hw[0] + "x" + hw[1] + " frame",
                        f.height() + "x" + f.width());
            }
            out.add(f);
        }
        return out;
    }

    /** Feeds one frame per feature (from {@link #frames}) to the episode's encoders, starting them on the first. */
    void encode(List<RgbFrame> frames) {
        for (int i = 0; i < features.size(); i++) {
            Feature v = features.get(i);
            Ffmpeg.Encoder enc = encoders.get(v.name());
            if (enc == null) {
                int[] hw = v.frameSize();
                Path tmp = AtomicFiles.tempFile(staging, "episode-" + v.name() + ".mp4");
                enc = Ffmpeg.encoder(tmp, hw[0], hw[1], info.fps());
                encoders.put(v.name(), enc);
            }
            enc.write(frames.get(i));
        }
    }

    /** Stops the episode's encoders and deletes their files. */
    void abort() {
        for (Ffmpeg.Encoder e : encoders.values()) {
            e.abort();
            FileChanges.deleteQuietly(e.file());
        }
        encoders.clear();
        finished = false;
        encodingFailure = null;
    }

    /**
     * Appends the episode's {@code n} frames of each feature to its mp4 through {@code changes} and
     * returns their spans; {@code last} is the previous episode. The encoded files stay until
     * {@link #abort} (after the save commits, or when the episode is dropped).
     */
    Map<String, EpisodeInfo.VideoSpan> append(FileChanges changes, int n, EpisodeInfo last) {
        finish(n);
        Map<String, EpisodeInfo.VideoSpan> spans = new LinkedHashMap<>();
        for (Feature v : features) {
            spans.put(v.name(), append(changes, v.name(), encoders.get(v.name()).file(), n,
                    last == null ? null : last.videos().get(v.name())));
        }
        return spans;
    }

    /** Waits for the encoders once; a failed encoding is reported again on every later try. */
    private void finish(int n) {
        if (encodingFailure != null) {
            throw encodingFailure;
        }
        if (finished) {
            return;
        }
        finished = true;
        try {
            for (Feature v : features) {
                Ffmpeg.Encoder enc = encoders.get(v.name());
                if (enc == null) {
                    throw new IllegalStateException(v.name() + ": no video frames for " + n + " rows");
                }
                enc.finish();
                if (enc.frames() != n) {
                    throw new IllegalStateException(v.name() + ": " + enc.frames() + " video frames for " + n + " rows");
                }
            }
        } catch (RuntimeException e) {
            encodingFailure = new KibanException("the episode's video could not be encoded (" + e.getMessage()
                    + "); drop the episode (clearEpisode) and record it again", e);
            throw encodingFailure;
        }
    }

    private EpisodeInfo.VideoSpan append(FileChanges changes, String key, Path episodeVideo, int n, EpisodeInfo.VideoSpan last) {
        double length = (double) n / info.fps();
        if (last != null) {
            Path current = path(key, last.chunk(), last.file());
            if (LeRobotDatasetWriter.sizeOf(current) + LeRobotDatasetWriter.sizeOf(episodeVideo) <= capBytes) {
                changes.replace(current, tmp -> Ffmpeg.concat(List.of(current, episodeVideo), tmp));
                return new EpisodeInfo.VideoSpan(last.chunk(), last.file(), last.toTimestamp(), last.toTimestamp() + length);
            }
        }
        int c = 0;
        int f = 0;
        if (last != null) {
            c = last.chunk();
            f = last.file() + 1;
            if (f >= info.chunksSize()) {
                f = 0;
                c++;
            }
        }
        changes.publish(episodeVideo, path(key, c, f));
        return new EpisodeInfo.VideoSpan(c, f, 0, length);
    }

    /** Cuts an uncommitted episode's tail off each feature's last mp4 and deletes mp4s after it; {@code last} is the last committed episode. */
    void truncate(FileChanges changes, DatasetFiles files, EpisodeInfo last) {
        for (Feature v : features) {
            EpisodeInfo.VideoSpan span = last == null ? null : last.videos().get(v.name());
            Path lastFile = span == null ? null : path(v.name(), span.chunk(), span.file());
            Path dir = root.resolve("videos").resolve(v.name());
            if (Files.isDirectory(dir)) {
                try (var s = Files.walk(dir)) {
                    for (Path p : s.filter(p -> p.toString().endsWith(".mp4")).sorted().toList()) {
                        if (lastFile == null || p.compareTo(lastFile) > 0) {
                            files.delete(p);
                        }
                    }
                } catch (IOException e) {
                    throw new KibanException("cannot list " + dir + ": " + e.getMessage(), e);
                }
            }
            if (span != null && Mp4Info.durationSeconds(lastFile) > span.toTimestamp() + 0.5 / info.fps()) {
                changes.replace(lastFile, tmp -> Ffmpeg.truncate(lastFile, span.toTimestamp(), tmp));
            }
        }
    }

    private Path path(String key, int c, int f) {
        return root.resolve(DatasetInfo.format(DatasetInfo.V3_VIDEO_PATH, Map.of("video_key", key, "chunk_index", c, "file_index", f)));
    }
}
