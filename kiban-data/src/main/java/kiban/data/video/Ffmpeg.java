package kiban.data.video;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;

/**
 * Video encoding and decoding through the system's {@code ffmpeg} (Debian's package; Kiban does not
 * bundle codecs). Frames are piped raw (rgb24) in and out, so nothing but ffmpeg touches the pixels.
 * The executable is {@code ffmpeg} on the PATH, or the system property {@code kiban.ffmpeg}.
 *
 * <p>Encoding settings follow LeRobot's recorder (yuv420p, a keyframe every 2 frames so that any
 * frame decodes quickly) with H.264 (libx264) instead of AV1, whose decoders are slower; no B-frames,
 * so presentation order is decoding order and concatenated files need no edit lists.
 *
 * <p>Every ffmpeg run is bounded ({@link FfmpegProcess}): each blocking step (a whole concat, cut
 * or decode; one frame written to an encoder; an encoder's finish) must end within
 * {@value #DEFAULT_TIMEOUT_S} s (system property {@value #TIMEOUT_PROPERTY}), stderr is drained as
 * it comes, and a failure kills the process. File names reach ffmpeg only as {@code file:} URLs on
 * its command line, never inside a concat list (whose format cannot hold a newline): the list names
 * hard links with generated names.
 */
public final class Ffmpeg {

    /** Codec name written to the feature's {@code video.codec}. */
    public static final String CODEC = "h264";
    public static final String PIX_FMT = "yuv420p";
    /** Keyframe interval in frames (LeRobot's default g=2). */
    public static final int GOP = 2;
    /** libx264 constant rate factor: visually lossless-ish at small sizes. */
    public static final int CRF = 18;
    /** Seek tolerance in seconds (LeRobot's tolerance_s): a frame is asked for this much before its timestamp. */
    public static final double TOLERANCE_S = 1e-4;
    /** Default bound, in seconds, on each blocking ffmpeg step. */
    public static final int DEFAULT_TIMEOUT_S = 120;
    /** System property overriding {@link #DEFAULT_TIMEOUT_S}. */
    public static final String TIMEOUT_PROPERTY = "kiban.ffmpeg.timeout-s";

    private Ffmpeg() {
    }

    static String executable() {
        return System.getProperty("kiban.ffmpeg", "ffmpeg");
    }

    /** The bound on each blocking ffmpeg step. */
    static Duration timeout() {
        String v = System.getProperty(TIMEOUT_PROPERTY);
        if (v == null) {
            return Duration.ofSeconds(DEFAULT_TIMEOUT_S);
        }
        try {
            double s = Double.parseDouble(v);
            if (s > 0 && s <= 86_400) {
                return Duration.ofMillis(Math.round(s * 1000));
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new InvalidInputException("system property " + TIMEOUT_PROPERTY, "", "seconds from 0 to 86400", v);
    }

    /** Whether ffmpeg can be run. */
    public static boolean available() {
        try (FfmpegProcess p = FfmpegProcess.start(List.of(executable(), "-version"), "printing its version", false, timeout())) {
            p.finish();
            return true;
        } catch (KibanException e) {
            return false;
        }
    }

    /** A file as ffmpeg's file protocol URL: nothing in the name can be read as another protocol or an option. */
    static String url(Path p) {
        return "file:" + p.toAbsolutePath();
    }

    /** Starts encoding {@code height x width} RGB frames at {@code fps} into the MP4 {@code out}. */
    public static Encoder encoder(Path out, int height, int width, int fps) {
        if (height % 2 != 0 || width % 2 != 0) {
            throw new InvalidInputException("video " + out.getFileName(), "height/width", "even sizes (yuv420p)", height + "x" + width);
        }
        List<String> cmd = List.of(executable(), "-nostdin", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
                "-s", width + "x" + height, "-r", Integer.toString(fps), "-i", "pipe:0", "-an", "-c:v", "libx264",
                "-preset", "veryfast", "-crf", Integer.toString(CRF), "-g", Integer.toString(GOP), "-bf", "0",
                "-pix_fmt", PIX_FMT, "-threads", "1", "-f", "mp4", url(out));
        return new Encoder(FfmpegProcess.start(cmd, "encoding " + out, false, timeout()), out, height, width);
    }

    /** An encoder fed frame by frame; {@link #finish} waits for the file, {@link #abort} kills it. */
    public static final class Encoder {
        private final FfmpegProcess process;
        private final OutputStream in;
        private final Path out;
        private final int height;
        private final int width;
        private int frames;

        private Encoder(FfmpegProcess process, Path out, int height, int width) {
            this.process = process;
            this.in = process.stdin();
            this.out = out;
            this.height = height;
            this.width = width;
        }

        public int frames() {
            return frames;
        }

        public Path file() {
            return out;
        }

        public void write(RgbFrame f) {
            if (f.height() != height || f.width() != width) {
                throw new InvalidInputException("video frame " + frames, "size", height + "x" + width, f.height() + "x" + f.width());
            }
            try {
                process.within(() -> {
                    in.write(f.rgb());
                    return null;
                });
                frames++;
            } catch (IOException e) {
                throw process.failure(e);
            }
        }

        /** Closes the input and waits for ffmpeg to write the file. */
        public void finish() {
            try {
                process.finish();
            } finally {
                process.close();
            }
        }

        /** Stops ffmpeg; the file is left incomplete. */
        public void abort() {
            process.close();
        }
    }

    /** Joins MP4s of identical encoding settings into {@code out} without re-encoding. */
    public static void concat(List<Path> inputs, Path out) {
        Path dir = out.toAbsolutePath().getParent();
        String stem = "concat-" + UUID.randomUUID();
        Path list = dir.resolve(stem + ".txt");
        List<Path> parts = new ArrayList<>();
        try {
            StringBuilder sb = new StringBuilder("ffconcat version 1.0\n");
            for (Path p : inputs) {
                // The list names a link of a plain generated name: a quote or a newline in the real name cannot break it.
                Path part = dir.resolve(stem + "-" + parts.size() + ".mp4");
                link(p, part);
                parts.add(part);
                sb.append("file '").append(part.getFileName()).append("'\n");
            }
            Files.writeString(list, sb.toString(), StandardCharsets.UTF_8);
            run(List.of(executable(), "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", url(list),
                    "-c", "copy", "-f", "mp4", url(out)), "joining videos into " + out);
        } catch (IOException e) {
            throw new KibanException("cannot write " + list + ": " + e.getMessage(), e);
        } finally {
            parts.add(list);
            for (Path p : parts) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // A leftover in staging is cleared on the next open.
                }
            }
        }
    }

    private static void link(Path target, Path link) throws IOException {
        try {
            Files.createLink(link, target);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.createSymbolicLink(link, target.toAbsolutePath());
        }
    }

    /** Copies the first {@code seconds} of {@code in} to {@code out} without re-encoding (cuts on a keyframe). */
    public static void truncate(Path in, double seconds, Path out) {
        run(List.of(executable(), "-nostdin", "-v", "error", "-y", "-i", url(in), "-t", seconds(seconds), "-c", "copy",
                "-f", "mp4", url(out)), "cutting " + in);
    }

    /**
     * Decodes {@code count} consecutive frames starting at {@code timestamp} seconds of the file; the
     * first is the frame whose timestamp is {@code timestamp} (within {@link #TOLERANCE_S}).
     */
    public static List<RgbFrame> decode(Path file, double timestamp, int count, int height, int width) {
        double at = Math.max(0, timestamp - TOLERANCE_S);
        List<String> cmd = List.of(executable(), "-nostdin", "-v", "error", "-ss", seconds(at), "-i", url(file),
                "-frames:v", Integer.toString(count), "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", width + "x" + height, "pipe:1");
        List<RgbFrame> frames = new ArrayList<>(count);
        int size = height * width * 3;
        try (FfmpegProcess p = FfmpegProcess.start(cmd, "decoding " + file, true, timeout())) {
            try {
                p.within(() -> {
                    InputStream out = p.stdout();
                    for (int i = 0; i < count; i++) {
                        byte[] b = out.readNBytes(size);
                        if (b.length < size) {
                            break;
                        }
                        frames.add(new RgbFrame(height, width, b));
                    }
                    return null;
                });
            } catch (IOException e) {
                throw p.failure(e);
            }
            if (frames.size() == count) {
                // Everything asked for is here: ffmpeg has nothing more to say that matters.
                return frames;
            }
            p.finish();
        }
        throw new KibanException("video " + file + " has " + frames.size() + " frames from " + seconds(timestamp) + " s, "
                + count + " needed");
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }

    private static void run(List<String> cmd, String what) {
        try (FfmpegProcess p = FfmpegProcess.start(cmd, what, false, timeout())) {
            p.finish();
        }
    }
}
