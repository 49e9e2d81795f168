package kiban.data.video;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kiban.core.error.KibanException;

/**
 * Video encoding and decoding through the system's {@code ffmpeg} (Debian's package; Kiban does not
 * bundle codecs). Frames are piped raw (rgb24) in and out, so nothing but ffmpeg touches the pixels.
 * The executable is {@code ffmpeg} on the PATH, or the system property {@code kiban.ffmpeg}.
 *
 * <p>Encoding settings follow LeRobot's recorder (yuv420p, a keyframe every 2 frames so that any
 * frame decodes quickly) with H.264 (libx264) instead of AV1, whose decoders are slower; no B-frames,
 * so presentation order is decoding order and concatenated files need no edit lists.
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

    private Ffmpeg() {
    }

    static String executable() {
        return System.getProperty("kiban.ffmpeg", "ffmpeg");
    }

    /** Whether ffmpeg can be run. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder(executable(), "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts encoding {@code height x width} RGB frames at {@code fps} into the MP4 {@code out}. */
    public static Encoder encoder(Path out, int height, int width, int fps) {
        if (height % 2 != 0 || width % 2 != 0) {
            throw new kiban.core.error.InvalidInputException("video " + out.getFileName(), "height/width", "even sizes (yuv420p)",
                    height + "x" + width);
        }
        List<String> cmd = List.of(executable(), "-nostdin", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
                "-s", width + "x" + height, "-r", Integer.toString(fps), "-i", "pipe:0", "-an", "-c:v", "libx264",
                "-preset", "veryfast", "-crf", Integer.toString(CRF), "-g", Integer.toString(GOP), "-bf", "0",
                "-pix_fmt", PIX_FMT, "-threads", "1", "-f", "mp4", out.toString());
        return new Encoder(start(cmd), out, height, width);
    }

    /** An encoder fed frame by frame; {@link #finish} waits for the file, {@link #abort} kills it. */
    public static final class Encoder {
        private final Process process;
        private final OutputStream in;
        private final Path out;
        private final int height;
        private final int width;
        private int frames;

        private Encoder(Process process, Path out, int height, int width) {
            this.process = process;
            this.in = process.getOutputStream();
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
                throw new kiban.core.error.InvalidInputException("video frame " + frames, "size", height + "x" + width,
                        f.height() + "x" + f.width());
            }
            try {
                in.write(f.rgb());
                frames++;
            } catch (IOException e) {
                abort();
                throw new KibanException("ffmpeg stopped while encoding " + out + ": " + e.getMessage() + errors(process), e);
            }
        }

        /** Closes the input and waits for ffmpeg to write the file. */
        public void finish() {
            try {
                in.close();
            } catch (IOException e) {
                // ffmpeg's exit status tells what went wrong.
            }
            waitFor(process, "encoding " + out);
        }

        /** Stops ffmpeg; the file is left incomplete. */
        public void abort() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Joins MP4s of identical encoding settings into {@code out} without re-encoding. */
    public static void concat(List<Path> inputs, Path out) {
        Path list = out.resolveSibling(out.getFileName() + ".txt");
        StringBuilder sb = new StringBuilder();
        for (Path p : inputs) {
            sb.append("file '").append(p.toAbsolutePath().toString().replace("'", "'\\''")).append("'\n");
        }
        try {
            Files.writeString(list, sb.toString(), StandardCharsets.UTF_8);
            run(List.of(executable(), "-nostdin", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", list.toString(),
                    "-c", "copy", "-f", "mp4", out.toString()), "joining videos into " + out);
        } catch (IOException e) {
            throw new KibanException("cannot write " + list + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(list);
            } catch (IOException ignored) {
                // A leftover list in staging is cleared on the next open.
            }
        }
    }

    /** Copies the first {@code seconds} of {@code in} to {@code out} without re-encoding (cuts on a keyframe). */
    public static void truncate(Path in, double seconds, Path out) {
        run(List.of(executable(), "-nostdin", "-v", "error", "-y", "-i", in.toString(), "-t", seconds(seconds), "-c", "copy",
                "-f", "mp4", out.toString()), "cutting " + in);
    }

    /**
     * Decodes {@code count} consecutive frames starting at {@code timestamp} seconds of the file; the
     * first is the frame whose timestamp is {@code timestamp} (within {@link #TOLERANCE_S}).
     */
    public static List<RgbFrame> decode(Path file, double timestamp, int count, int height, int width) {
        double at = Math.max(0, timestamp - TOLERANCE_S);
        Process p = start(List.of(executable(), "-nostdin", "-v", "error", "-ss", seconds(at), "-i", file.toString(),
                "-frames:v", Integer.toString(count), "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", width + "x" + height, "pipe:1"));
        List<RgbFrame> frames = new ArrayList<>(count);
        int size = height * width * 3;
        try (InputStream out = p.getInputStream()) {
            for (int i = 0; i < count; i++) {
                byte[] b = out.readNBytes(size);
                if (b.length < size) {
                    break;
                }
                frames.add(new RgbFrame(height, width, b));
            }
        } catch (IOException e) {
            throw new KibanException("cannot decode " + file + ": " + e.getMessage(), e);
        }
        waitFor(p, "decoding " + file);
        if (frames.size() < count) {
            throw new KibanException("video " + file + " has " + frames.size() + " frames from " + seconds(timestamp) + " s, "
                    + count + " needed");
        }
        return frames;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }

    private static Process start(List<String> cmd) {
        try {
            return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new KibanException("cannot run " + cmd.get(0) + " (" + e.getMessage() + "): video features need ffmpeg; "
                    + "install it (Debian: apt-get install ffmpeg, or scripts/install-test-deps) or set -Dkiban.ffmpeg=PATH", e);
        }
    }

    private static void run(List<String> cmd, String what) {
        Process p = start(cmd);
        try {
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new KibanException("ffmpeg failed " + what + ": " + e.getMessage(), e);
        }
        waitFor(p, what);
    }

    private static void waitFor(Process p, String what) {
        try {
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int rc = p.waitFor();
            if (rc != 0) {
                throw new KibanException("ffmpeg failed " + what + " (exit " + rc + ")" + (err.isEmpty() ? "" : ": " + err));
            }
        } catch (IOException e) {
            throw new KibanException("ffmpeg failed " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new KibanException("interrupted while " + what, e);
        }
    }

    private static String errors(Process p) {
        p.destroyForcibly();
        try {
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return err.isEmpty() ? "" : " (" + err + ")";
        } catch (IOException e) {
            return "";
        }
    }
}
