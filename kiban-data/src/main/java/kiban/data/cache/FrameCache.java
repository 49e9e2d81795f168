package kiban.data.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.io.AtomicFiles;
import kiban.core.progress.Progress;
import kiban.data.lerobot.DatasetHash;
import kiban.data.lerobot.EpisodeInfo;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.video.RgbFrame;

/**
 * One camera's frames of a dataset, decoded once through ffmpeg into a file of raw HWC RGB bytes
 * and memory-mapped from then on, by this run and every later one. The file records the
 * {@link DatasetHash#ofVideo video hash} it was decoded from; a dataset whose videos, spans or
 * info changed no longer matches it, and opening rebuilds it. A build writes a temporary file
 * beside the cache and renames it into place ({@link AtomicFiles}), so an interrupted build leaves
 * the old cache or none, never half of one.
 *
 * <p>Layout (little-endian): magic {@code KIBANFRM}, format version, height, width, channels,
 * episodes, the key's length and UTF-8 bytes, each episode's first frame number and the total
 * frame count (longs), zeros up to the next 4 KiB, then every frame in episode order.
 */
public final class FrameCache {

    /** Bumped whenever the layout changes, so older files are rebuilt rather than misread. */
    public static final int FORMAT_VERSION = 1;
    /** Environment variable naming the cache root; the launcher points it at the checkout's {@code target/kiban-cache}. */
    public static final String ROOT_ENV = "KIBAN_CACHE_DIR";

    private static final byte[] MAGIC = "KIBANFRM".getBytes(StandardCharsets.US_ASCII);
    private static final int ALIGN = 4096;

    private final Path file;
    private final String key;
    private final int height;
    private final int width;
    private final int channels;
    private final long[] starts;
    private final MappedByteBuffer[] episodes;
    private final boolean built;

    private FrameCache(Path file, String key, int height, int width, int channels, long[] starts, MappedByteBuffer[] episodes,
            boolean built) {
        this.file = file;
        this.key = key;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.starts = starts;
        this.episodes = episodes;
        this.built = built;
    }

    /**
     * The cache root: {@value #ROOT_ENV} where set, else {@code target/kiban-cache} in the working
     * directory (git-ignored, as everything generated is).
     */
    public static Path defaultRoot() {
        String env = System.getenv(ROOT_ENV);
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("target", "kiban-cache");
    }

    /** Where {@code dataset}'s {@code videoKey} frames are cached under {@code root}: one folder per dataset path. */
    public static Path file(LeRobotDataset dataset, String videoKey, Path root) {
        Path abs = dataset.root().toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "dataset" : abs.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        String where = HexFormat.of().formatHex(sha256(abs.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        return root.resolve("frames").resolve(name + "-" + where).resolve(videoKey.replaceAll("[^A-Za-z0-9._-]", "_") + ".frames");
    }

    /** As {@link #open(LeRobotDataset, String, Path, Progress)}, building without a progress bar. */
    public static FrameCache open(LeRobotDataset dataset, String videoKey, Path root) {
        return open(dataset, videoKey, root, null);
    }

    /**
     * The cached frames of {@code videoKey}, decoding the dataset's videos into the cache first where
     * it is missing or was made from other data ({@code progress}, if given, steps once per episode
     * decoded).
     */
    public static FrameCache open(LeRobotDataset dataset, String videoKey, Path root, Progress progress) {
        Feature f = dataset.info().features().get(videoKey);
        if (f == null || !f.isVideo()) {
            throw new InvalidInputException(dataset.root().toString(), "video key", "one of " + dataset.info().videoFeatures()
                    .stream().map(Feature::name).toList(), videoKey);
        }
        int[] hw = f.frameSize();
        String key = DatasetHash.ofVideo(dataset, videoKey);
        Path file = file(dataset, videoKey, root);
        List<EpisodeInfo> eps = dataset.episodes();
        long[] starts = new long[eps.size() + 1];
        for (int e = 0; e < eps.size(); e++) {
            starts[e + 1] = starts[e] + eps.get(e).length();
        }
        Optional<FrameCache> cached = read(file, key, hw[0], hw[1], 3, starts, false);
        if (cached.isPresent()) {
            return cached.get();
        }
        build(dataset, videoKey, file, key, hw[0], hw[1], starts, progress);
        return read(file, key, hw[0], hw[1], 3, starts, true).orElseThrow(
                () -> new KibanException(file + ": the frame cache just written does not read back"));
    }

    public Path file() {
        return file;
    }

    /** The video hash the frames were decoded from. */
    public String key() {
        return key;
    }

    /** Whether opening decoded the videos (false: the frames came from an earlier build). */
    public boolean built() {
        return built;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    /** Bytes of one frame. */
    public int frameBytes() {
        return height * width * channels;
    }

    public int episodes() {
        return episodes.length;
    }

    /** Frames of {@code episode}. */
    public int frames(int episode) {
        return (int) (starts[episode + 1] - starts[episode]);
    }

    /** Copies frame {@code frame} of {@code episode} (HWC RGB bytes) into {@code out} at {@code offset}; safe from any thread. */
    public void copyFrame(int episode, int frame, byte[] out, int offset) {
        if (episode < 0 || episode >= episodes.length || frame < 0 || frame >= frames(episode)) {
            throw new IndexOutOfBoundsException("frame " + frame + " of episode " + episode + " (episodes: " + episodes.length
                    + ", frames: " + (episode >= 0 && episode < episodes.length ? frames(episode) : 0) + ")");
        }
        int n = frameBytes();
        // Absolute bulk get: it does not move the buffer's position, so threads may share it.
        episodes[episode].get(frame * n, out, offset, n);
    }

    /** Frame {@code frame} of {@code episode} as a new array. */
    public byte[] frame(int episode, int frame) {
        byte[] out = new byte[frameBytes()];
        copyFrame(episode, frame, out, 0);
        return out;
    }

    private static int headerBytes(String key, int episodes) {
        long n = MAGIC.length + 4 * 6 + key.getBytes(StandardCharsets.UTF_8).length + 8L * (episodes + 1);
        return Math.toIntExact((n + ALIGN - 1) / ALIGN * ALIGN);
    }

    /** The cache in {@code file} if it exists and matches; empty where it must be (re)built. */
    private static Optional<FrameCache> read(Path file, String key, int h, int w, int c, long[] starts, boolean built) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        int episodes = starts.length - 1;
        int header = headerBytes(key, episodes);
        long frameBytes = (long) h * w * c;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != header + starts[episodes] * frameBytes) {
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.allocate(header).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // Reads the whole header.
            }
            b.flip();
            if (!b.equals(ByteBuffer.wrap(header(key, h, w, c, starts)).order(ByteOrder.LITTLE_ENDIAN))) {
                return Optional.empty();
            }
            MappedByteBuffer[] mapped = new MappedByteBuffer[episodes];
            for (int e = 0; e < episodes; e++) {
                long bytes = (starts[e + 1] - starts[e]) * frameBytes;
                if (bytes > Integer.MAX_VALUE) {
                    throw new KibanException(file + ": episode " + e + " holds " + bytes + " bytes of frames; the frame cache maps"
                            + " at most 2 GiB per episode");
                }
                mapped[e] = ch.map(FileChannel.MapMode.READ_ONLY, header + starts[e] * frameBytes, bytes);
            }
            return Optional.of(new FrameCache(file, key, h, w, c, starts, mapped, built));
        } catch (IOException e) {
            throw new KibanException(file + ": cannot read the frame cache: " + e.getMessage(), e);
        }
    }

    private static byte[] header(String key, int h, int w, int c, long[] starts) {
        int episodes = starts.length - 1;
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(headerBytes(key, episodes)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(FORMAT_VERSION).putInt(h).putInt(w).putInt(c).putInt(episodes).putInt(k.length).put(k);
        for (long s : starts) {
            b.putLong(s);
        }
        return b.array();
    }

    private static void build(LeRobotDataset dataset, String videoKey, Path file, String key, int h, int w, long[] starts,
            Progress progress) {
        Path dir = file.getParent();
        removeAbandoned(dir, file.getFileName().toString());
        AtomicFiles.replace(file, dir, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer head = ByteBuffer.wrap(header(key, h, w, 3, starts));
                while (head.hasRemaining()) {
                    ch.write(head);
                }
                for (int e = 0; e < starts.length - 1; e++) {
                    int n = (int) (starts[e + 1] - starts[e]);
                    if (n > 0) {
                        for (RgbFrame f : dataset.videoFrames(videoKey, e, 0, n)) {
                            ByteBuffer px = ByteBuffer.wrap(f.rgb());
                            while (px.hasRemaining()) {
                                ch.write(px);
                            }
                        }
                    }
                    if (progress != null) {
                        progress.step(1);
                    }
                }
            } catch (IOException e) {
                throw new KibanException(file + ": cannot write the frame cache: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Deletes temporary files of builds that were killed (an hour old or more: a build that is still
     * running elsewhere keeps its own), which would otherwise each hold a dataset's frames.
     */
    private static void removeAbandoned(Path dir, String name) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        long cutoff = System.currentTimeMillis() - 3_600_000L;
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("tmp-") && n.endsWith("-" + name) && Files.getLastModifiedTime(p).toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new KibanException(dir + ": cannot clear abandoned frame cache builds: " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
