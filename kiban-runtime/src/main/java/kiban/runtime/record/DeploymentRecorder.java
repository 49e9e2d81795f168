package kiban.runtime.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.KibanException;
import kiban.core.io.AtomicFiles;
import kiban.core.json.Json;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.KibanMeta;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.runtime.loop.CycleListener;
import kiban.runtime.shield.Reason;

/**
 * Records a deployment as LeRobot v3.0 episodes, one frame per cycle in which a command was sent:
 * {@code observation.state}, {@code action} (the command sent, what the machine did: the label to
 * fine-tune on), {@code action.proposed} (the policy's command; the sent one where the policy had
 * none or a non-finite one), {@code intervention} and {@code intervention.reasons} (a bit mask,
 * bit {@code i} = the {@code i}-th reason listed in {@code meta/runtime.json}).
 * An episode ends where the machine reset (a simulator's episode) and at the latest every
 * {@code maxEpisodeFrames}, so a crash loses at most that many frames: the writer commits each
 * episode atomically. Frames are copied on the loop thread and written on a thread of their own;
 * when that falls behind, frames are dropped and counted rather than stalling the loop. When the
 * writer fails, the recorder reports it through {@link #failure()} (the loop warns or ends the run),
 * takes no more frames, and {@link #close()} returns at once with the error; the episodes committed
 * before stay valid.
 */
public final class DeploymentRecorder implements CycleListener, AutoCloseable {

    public static final String RUNTIME_META = "meta/runtime.json";
    static final int QUEUE_FRAMES = 8192;
    /** How long {@link #close()} waits for the writer to save what is queued. */
    static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** Where the frames go: a LeRobot dataset writer, or in tests one that fails on purpose. */
    interface Sink {
        void addFrame(Map<String, ?> values);

        void saveEpisode(String task);

        void close();

        Path root();

        static Sink of(LeRobotDatasetWriter w) {
            return new Sink() {
                @Override
                public void addFrame(Map<String, ?> values) {
                    w.addFrame(values);
                }

                @Override
                public void saveEpisode(String task) {
                    w.saveEpisode(task);
                }

                @Override
                public void close() {
                    w.close();
                }

                @Override
                public Path root() {
                    return w.root();
                }
            };
        }
    }

    private record Frame(double[] state, double[] action, double[] proposed, long reasons) {}

    private static final Frame END = new Frame(null, null, null, 0);
    private static final Frame CLOSE = new Frame(null, null, null, 0);

    private final Sink writer;
    private final String task;
    private final int maxEpisodeFrames;
    private final Duration closeTimeout;
    private final BlockingQueue<Frame> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private final Thread thread;
    private volatile KibanException failure;
    private volatile long dropped;
    private volatile long offered;
    private volatile long frames;
    private volatile int episodes;
    private boolean closed;

    /**
     * Opens {@code dir}: appends to the deployment recording there (of the same machine), else
     * creates one.
     *
     * @param env the env or machine name stored in meta/kiban.json (so train and eval know the source)
     */
    public DeploymentRecorder(Path dir, int fps, String env, String embodiment, List<FeatureSpec> observation,
            List<FeatureSpec> action, String task, int maxEpisodeFrames) {
        this(Sink.of(open(dir, fps, env, embodiment, observation, action)), task, maxEpisodeFrames, DEFAULT_CLOSE_TIMEOUT);
    }

    DeploymentRecorder(Sink writer, String task, int maxEpisodeFrames, Duration closeTimeout) {
        if (maxEpisodeFrames < 1) {
            throw new IllegalArgumentException("maxEpisodeFrames must be positive, got " + maxEpisodeFrames);
        }
        this.writer = writer;
        this.task = task;
        this.maxEpisodeFrames = maxEpisodeFrames;
        this.closeTimeout = closeTimeout;
        this.thread = Thread.ofPlatform().name("kiban-recorder").daemon().unstarted(this::drain);
        thread.start();
    }

    private static LeRobotDatasetWriter open(Path dir, int fps, String env, String embodiment, List<FeatureSpec> observation,
            List<FeatureSpec> action) {
        if (Files.isRegularFile(dir.resolve("meta/info.json"))) {
            if (!Files.isRegularFile(dir.resolve(RUNTIME_META))) {
                throw new KibanException(dir + " holds a dataset that is not a deployment recording; record into a new folder");
            }
            String recorded = KibanMeta.read(dir).map(KibanMeta::env).orElse("another source");
            if (!recorded.equals(env)) {
                throw new KibanException(dir + " was recorded from " + recorded + ", not " + env + "; record into a new folder");
            }
            LeRobotDatasetWriter w = LeRobotDatasetWriter.resume(dir);
            try {
                updateReasons(dir); // under the writer's lock
            } catch (RuntimeException e) {
                w.close(); // release the lock: the folder stays as it was
                throw e;
            }
            return w;
        }
        List<String> actionNames = KibanMeta.elementNames(action);
        List<Feature> features = new ArrayList<>();
        features.add(Feature.vector("observation.state", KibanMeta.elementNames(observation)));
        features.add(Feature.vector("action", actionNames));
        features.add(Feature.vector("action.proposed", actionNames));
        features.add(Feature.of("intervention", "bool", 1));
        features.add(Feature.of("intervention.reasons", "int64", 1));
        ObjectNode meta = Json.object();
        meta.put("format_version", 1);
        meta.put("source", "kiban run");
        meta.put("fps", fps);
        ArrayNode bits = meta.putArray("intervention_reasons");
        for (Reason r : Reason.values()) {
            bits.add(r.wireName());
        }
        // Written with info.json, not after it: a run stopped at any moment leaves a recording that the next run resumes.
        return LeRobotDatasetWriter.create(dir, LeRobotDatasetWriter.Options.of(fps, embodiment, features)
                .withMetaFile(KibanMeta.FILE, new KibanMeta(env, embodiment, observation, action).json())
                .withMetaFile(RUNTIME_META, Json.pretty(meta) + "\n"));
    }

    /**
     * Reasons are only ever appended, so a recording made by an older Kiban names a prefix of
     * today's: name the new bits too, so the episodes appended now are read right.
     */
    private static void updateReasons(Path dir) {
        Path file = dir.resolve(RUNTIME_META);
        JsonNode meta = Json.readTree(file);
        JsonNode names = meta.path("intervention_reasons");
        if (!meta.isObject() || !names.isArray()) {
            throw new kiban.core.error.InvalidInputException(file.toString(), "intervention_reasons", "a list of reason names",
                    names.isMissingNode() ? "none" : names.toString());
        }
        Reason[] reasons = Reason.values();
        for (int i = 0; i < names.size(); i++) {
            if (i >= reasons.length || !reasons[i].wireName().equals(names.get(i).asText())) {
                throw new KibanException(file + ": field 'intervention_reasons' names " + names + ", which this Kiban does not "
                        + "write; record into a new folder");
            }
        }
        if (names.size() == reasons.length) {
            return;
        }
        ArrayNode all = ((ObjectNode) meta).putArray("intervention_reasons");
        for (Reason r : reasons) {
            all.add(r.wireName());
        }
        AtomicFiles.writeString(file, Json.pretty(meta) + "\n", dir.resolve(".kiban-staging"));
    }

    @Override
    public void onCycle(long cycle, double[] observation, double[] proposed, double[] sent, long reasons) {
        if (sent == null) {
            return;
        }
        offered++;
        if (failure != null) {
            return; // the writer is gone; counted as lost
        }
        double[] p = proposed == null || !finite(proposed) ? sent : proposed;
        offer(new Frame(observation.clone(), sent.clone(), p.clone(), reasons));
    }

    @Override
    public void onEpisodeEnd() {
        if (failure == null) {
            offer(END);
        }
    }

    /** The writer's failure, or null while it works. */
    @Override
    public Throwable failure() {
        return failure;
    }

    private void offer(Frame f) {
        if (!queue.offer(f) && f != END) {
            dropped++;
        }
    }

    private void drain() {
        int pending = 0;
        try {
            while (true) {
                Frame f = queue.poll(100, TimeUnit.MILLISECONDS);
                if (f == null) {
                    continue;
                }
                if (f == CLOSE) {
                    break;
                }
                if (f == END) {
                    if (pending > 0) {
                        save(pending);
                        pending = 0;
                    }
                    continue;
                }
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("observation.state", f.state());
                values.put("action", f.action());
                values.put("action.proposed", f.proposed());
                values.put("intervention", f.reasons() != 0);
                values.put("intervention.reasons", f.reasons());
                writer.addFrame(values);
                if (++pending >= maxEpisodeFrames) {
                    save(pending);
                    pending = 0;
                }
            }
            if (pending > 0) {
                save(pending);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // An Error too (out of memory, a native crash in a codec): the loop must learn of it, not lose frames in silence.
            failure = new KibanException("recording to " + writer.root() + " failed: " + describe(e)
                    + "; the episodes saved before stay valid", e);
            queue.clear(); // nothing will take them any more
        }
    }

    private void save(int pending) {
        writer.saveEpisode(task);
        frames += pending;
        episodes++;
    }

    /** Frames saved in committed episodes so far. */
    public long frames() {
        return frames;
    }

    /** Frames dropped because the writer fell behind. */
    public long dropped() {
        return dropped;
    }

    /** Frames handed to the recorder that are in no committed episode (dropped, or lost with a failed writer); final after {@link #close()}. */
    public long lost() {
        return Math.max(0, offered - frames);
    }

    /** Episodes committed so far. */
    public int episodes() {
        return episodes;
    }

    public Path root() {
        return writer.root();
    }

    /**
     * Saves the episode in progress and closes the dataset. Returns within the close timeout even
     * when the writer thread died or hangs, and throws the writer's failure if it had one; the
     * episodes committed before stay valid.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        try {
            // A dead writer thread never takes the marker: do not wait on a full queue for it.
            while (thread.isAlive() && !queue.offer(CLOSE, 50, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                // the writer is draining a full queue
            }
            long remaining = deadline - System.nanoTime();
            if (remaining > 0) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            // Still writing: closing the dataset under it would race; the committed episodes stay valid.
            throw new KibanException("recording to " + writer.root() + " did not finish within " + closeTimeout.toSeconds()
                    + " s; the episodes saved before stay valid, the one in progress is lost");
        }
        try {
            writer.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                throw new KibanException("recording to " + writer.root() + " failed: " + describe(e), e);
            }
            failure.addSuppressed(e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static boolean finite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
