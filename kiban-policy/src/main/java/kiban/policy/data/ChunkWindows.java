package kiban.policy.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import kiban.core.policy.ImageSpec;
import kiban.data.sample.FrameIndex;
import kiban.data.sample.Prefetcher;
import kiban.data.sample.ShuffledOrder;

/**
 * Every frame of every episode as a training window, encoded for the network: the
 * {@code observationSteps} observations up to the frame and the {@code horizon} actions from it,
 * padded at the episode's edges by kiban-data's rule ({@link FrameIndex}: the edge frame repeats;
 * padded actions are masked out), as Diffusion Policy and LeRobot do. Training batches follow
 * kiban-data's seeded {@link ShuffledOrder}, epoch after epoch, built ahead by a {@link Prefetcher}
 * on worker threads; the batches are the same for any number of workers.
 *
 * <p>With cameras, each observation row continues after the encoded states with every camera's
 * {@code observationSteps} frames as CHW values in [0, 1] ({@link ImagePixels}), camera after
 * camera, as {@link kiban.policy.nn.ImageConditionedBlock} reads them. For a policy that follows
 * instructions, the row ends with the {@link TextEncoder} elements of the window's frame's
 * instruction: the newest observation's, as a deployed policy is given it.
 *
 * <p>Training batches augment each window's frames as {@link ImageAugmentation} says (a random
 * crop, colour jitter), drawn from a generator seeded by the run's seed and the window's place in
 * the shuffled order, so a batch is the same whichever thread builds it and when, and after a
 * resume; validation batches read the centre crop, as the deployed policy does.
 */
public final class ChunkWindows implements AutoCloseable {

    /** Worker threads building batches ahead of the training step. */
    public static final int WORKERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final List<Episode> episodes;
    private final FeatureCodec codec;
    private final int observationSteps;
    private final int horizon;
    private final List<ImageSpec> images;
    private final List<ImageSpec> inputs;
    private final ImageAugmentation augmentation;
    /** Drawn from the seed apart from the shuffled order's generator, which the order alone consumes. */
    private final long augmentSeed;
    private final Optional<? extends TextEncoder> instructions;
    private final Map<String, float[]> encodedInstructions;
    private final FrameIndex index;
    private final ShuffledOrder order;
    private Prefetcher<Batch> prefetcher;

    public ChunkWindows(List<Episode> episodes, FeatureCodec codec, int observationSteps, int horizon, long seed) {
        this(episodes, codec, List.of(), observationSteps, horizon, seed);
    }

    /** Windows whose observations carry the frames of {@code images}, which every episode holds in that order. */
    public ChunkWindows(List<Episode> episodes, FeatureCodec codec, List<ImageSpec> images, int observationSteps,
            int horizon, long seed) {
        this(episodes, codec, images, Optional.empty(), observationSteps, horizon, seed);
    }

    /** As above; with {@code instructions}, each row ends with the features of its frame's instruction. */
    public ChunkWindows(List<Episode> episodes, FeatureCodec codec, List<ImageSpec> images,
            Optional<? extends TextEncoder> instructions, int observationSteps, int horizon, long seed) {
        this(episodes, codec, images, instructions, ImageAugmentation.NONE, observationSteps, horizon, seed);
    }

    /** As above, the training batches' frames augmented as {@code augmentation} says. */
    public ChunkWindows(List<Episode> episodes, FeatureCodec codec, List<ImageSpec> images,
            Optional<? extends TextEncoder> instructions, ImageAugmentation augmentation, int observationSteps, int horizon,
            long seed) {
        this.images = List.copyOf(images);
        this.augmentation = augmentation;
        this.inputs = augmentation.inputs(this.images);
        this.augmentSeed = new SplittableRandom(seed).split().nextLong();
        this.instructions = instructions;
        // Empty episodes have no windows; the rest keep their order, so window numbers are as before.
        this.episodes = episodes.stream().filter(e -> e.length() > 0).toList();
        this.codec = codec;
        this.observationSteps = observationSteps;
        this.horizon = horizon;
        if (this.episodes.isEmpty()) {
            throw new IllegalArgumentException("no frames to train on");
        }
        this.index = new FrameIndex(this.episodes.stream().mapToInt(Episode::length).toArray());
        // Encoded once per distinct text: the batch builders share the map, which is never changed.
        Map<String, float[]> encoded = new HashMap<>();
        instructions.ifPresent(f -> this.episodes.forEach(e -> {
            for (String s : e.instructions()) {
                encoded.computeIfAbsent(s, f::encode);
            }
        }));
        this.encodedInstructions = Map.copyOf(encoded);
        this.order = new ShuffledOrder(index.size(), seed);
    }

    public int windows() {
        return index.size();
    }

    public int observationInputs() {
        int n = observationSteps * codec.encodedObservationDim();
        for (ImageSpec s : inputs) {
            n += observationSteps * s.bytes();
        }
        return n + instructions.map(TextEncoder::width).orElse(0);
    }

    public int chunkOutputs() {
        return horizon * codec.actionDim();
    }

    /** The next {@code size} windows of the shuffled order (always the same size within a run). */
    public Batch next(int size) {
        if (prefetcher == null) {
            prefetcher = new Prefetcher<>(order, size, this::assemble, WORKERS, 2 * WORKERS);
        } else if (prefetcher.batchSize() != size) {
            throw new IllegalArgumentException("batch size changed from " + prefetcher.batchSize() + " to " + size);
        }
        return prefetcher.next();
    }

    /** Advances the shuffled order by {@code count} windows without building them, to resume a run where it stopped. */
    public void skip(long count) {
        if (prefetcher != null) {
            throw new IllegalStateException("skip before the first batch");
        }
        order.skip(count);
    }

    /** All windows in order, in batches of at most {@code size}, for validation. */
    public List<Batch> all(int size) {
        List<Batch> out = new ArrayList<>();
        for (int start = 0; start < windows(); start += size) {
            int[] idx = new int[Math.min(size, windows() - start)];
            for (int b = 0; b < idx.length; b++) {
                idx[b] = start + b;
            }
            out.add(build(idx, -1));
        }
        return out;
    }

    @Override
    public void close() {
        if (prefetcher != null) {
            prefetcher.close();
        }
    }

    /**
     * The training batch of {@code windows}, drawn at {@code position} of the shuffled order: what
     * {@link #next} builds on a worker thread (built here on the caller's, for comparison).
     */
    public Batch assemble(long position, int[] windows) {
        if (position < 0) {
            throw new IllegalArgumentException("a position in the order is at least 0, got " + position);
        }
        return build(windows, position);
    }

    /** Where {@code position} is negative, no augmentation: the centre crop (validation). */
    private Batch build(int[] windows, long position) {
        int n = windows.length;
        int obsIn = observationInputs();
        int out = chunkOutputs();
        int a = codec.actionDim();
        float[] obs = new float[n * obsIn];
        float[] act = new float[n * out];
        float[] mask = new float[n * out];
        // One frame's bytes at a time, copied out of the episode's frames (often the cache's mapping).
        byte[][] scratch = images.stream().map(s -> new byte[s.bytes()]).toArray(byte[][]::new);
        for (int b = 0; b < n; b++) {
            fill(windows[b], position < 0 ? null : random(position + b), obs, b * obsIn, act, mask, b * out, a, scratch);
        }
        return new Batch(n, obs, act, mask);
    }

    /** The augmentation's generator for the window at {@code position}: the run's seed and the position, mixed. */
    private SplittableRandom random(long position) {
        // split() gives each position its own mixed seed and increment, so neighbours' streams do not overlap.
        return new SplittableRandom(augmentSeed + position).split();
    }

    private void fill(int window, SplittableRandom random, float[] obs, int obsOffset, float[] act, float[] mask, int actOffset, int a,
            byte[][] scratch) {
        Episode e = episodes.get(index.episode(window));
        int frame = index.frame(window);
        int encoded = codec.encodedObservationDim();
        for (int k = 0; k < observationSteps; k++) {
            int f = FrameIndex.clamp(frame, k - observationSteps + 1, e.length());
            codec.encodeObservation(e.observations()[f], obs, obsOffset + k * encoded);
        }
        int at = obsOffset + observationSteps * encoded;
        for (int c = 0; c < images.size(); c++) {
            ImageSpec s = images.get(c);
            ImageAugmentation.Draw draw = random == null || augmentation.isNone() ? augmentation.centre(s)
                    : augmentation.draw(s, random);
            for (int k = 0; k < observationSteps; k++) {
                int f = FrameIndex.clamp(frame, k - observationSteps + 1, e.length());
                e.images().get(c).copyFrame(f, scratch[c]);
                augmentation.apply(scratch[c], s, draw, obs, at);
                at += inputs.get(c).bytes();
            }
        }
        if (instructions.isPresent()) {
            float[] text = encodedInstructions.get(e.instructions()[frame]);
            System.arraycopy(text, 0, obs, at, text.length);
        }
        for (int h = 0; h < horizon; h++) {
            float real = FrameIndex.padded(frame, h, e.length()) ? 0f : 1f;
            codec.encodeAction(e.actions()[FrameIndex.clamp(frame, h, e.length())], act, actOffset + h * a);
            for (int j = 0; j < a; j++) {
                mask[actOffset + h * a + j] = real;
            }
        }
    }

}
