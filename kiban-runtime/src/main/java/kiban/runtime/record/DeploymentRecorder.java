package kiban.runtime.record;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.io.AtomicFiles;
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
 * when that falls behind, frames are dropped and counted rather than stalling the loop.
 */
public final class DeploymentRecorder implements CycleListener, AutoCloseable {

    public static final String RUNTIME_META = "meta/runtime.json";
    static final int QUEUE_FRAMES = 8192;

    private record Frame(double[] state, double[] action, double[] proposed, long reasons) {}

    private static final Frame END = new Frame(null, null, null, 0);
    private static final Frame CLOSE = new Frame(null, null, null, 0);

    private final LeRobotDatasetWriter writer;
    private final String task;
    private final int maxEpisodeFrames;
    private final BlockingQueue<Frame> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private final Thread thread;
    private volatile Throwable failure;
    private volatile long dropped;
    private volatile long frames;
    private volatile int episodes;

    /**
     * Opens {@code dir}: appends to the deployment recording there (of the same machine), else
     * creates one.
     *
     * @param env the env or machine name stored in meta/kiban.json (so train and eval know the source)
     */
    public DeploymentRecorder(Path dir, int fps, String env, String embodiment, List<FeatureSpec> observation,
            List<FeatureSpec> action, String task, int maxEpisodeFrames) {
        if (maxEpisodeFrames < 1) {
            throw new IllegalArgumentException("maxEpisodeFrames must be positive, got " + maxEpisodeFrames);
        }
        this.task = task;
        this.maxEpisodeFrames = maxEpisodeFrames;
        this.writer = open(dir, fps, env, embodiment, observation, action);
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
            return LeRobotDatasetWriter.resume(dir);
        }
        List<String> actionNames = KibanMeta.elementNames(action);
        List<Feature> features = new ArrayList<>();
        features.add(Feature.vector("observation.state", KibanMeta.elementNames(observation)));
        features.add(Feature.vector("action", actionNames));
        features.add(Feature.vector("action.proposed", actionNames));
        features.add(Feature.of("intervention", "bool", 1));
        features.add(Feature.of("intervention.reasons", "int64", 1));
        LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, LeRobotDatasetWriter.Options.of(fps, embodiment, features));
        new KibanMeta(env, embodiment, observation, action).write(dir);
        ObjectNode meta = Json.object();
        meta.put("format_version", 1);
        meta.put("source", "kiban run");
        meta.put("fps", fps);
        ArrayNode bits = meta.putArray("intervention_reasons");
        for (Reason r : Reason.values()) {
            bits.add(r.wireName());
        }
        AtomicFiles.writeString(dir.resolve(RUNTIME_META), Json.pretty(meta) + "\n", dir.resolve(".kiban-staging"));
        return w;
    }

    @Override
    public void onCycle(long cycle, double[] observation, double[] proposed, double[] sent, long reasons) {
        if (sent == null) {
            return;
        }
        double[] p = proposed == null || !finite(proposed) ? sent : proposed;
        offer(new Frame(observation.clone(), sent.clone(), p.clone(), reasons));
    }

    @Override
    public void onEpisodeEnd() {
        offer(END);
    }

    private void offer(Frame f) {
        if (!queue.offer(f)) {
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
                        save();
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
                frames++;
                if (++pending >= maxEpisodeFrames) {
                    save();
                    pending = 0;
                }
            }
            if (pending > 0) {
                save();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void save() {
        writer.saveEpisode(task);
        episodes++;
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    /** Frames dropped because the writer fell behind. */
    public long dropped() {
        return dropped;
    }

    public int episodes() {
        return episodes;
    }

    public Path root() {
        return writer.root();
    }

    /** Saves the episode in progress and closes the dataset; rethrows a failure of the writer thread. */
    @Override
    public void close() {
        try {
            queue.put(CLOSE);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            writer.close();
        }
        if (failure != null) {
            throw new KibanException("recording to " + writer.root() + " failed: " + failure.getMessage(), failure);
        }
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
