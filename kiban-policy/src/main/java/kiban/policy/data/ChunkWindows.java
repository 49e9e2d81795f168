package kiban.policy.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every frame of every episode as a training window: the {@code observationSteps} observations
 * up to the frame (the first repeated before the episode starts) and the {@code horizon} actions
 * from it (the last repeated past the end, masked out), as Diffusion Policy and LeRobot pad.
 * Batches are drawn in a seeded shuffled order, epoch after epoch.
 */
public final class ChunkWindows {

    private final List<Episode> episodes;
    private final FeatureCodec codec;
    private final int observationSteps;
    private final int horizon;
    private final int[] episodeOf;
    private final int[] frameOf;
    private final SplittableRandom random;
    private int[] order;
    private int cursor;

    public ChunkWindows(List<Episode> episodes, FeatureCodec codec, int observationSteps, int horizon, long seed) {
        this.episodes = List.copyOf(episodes);
        this.codec = codec;
        this.observationSteps = observationSteps;
        this.horizon = horizon;
        int total = episodes.stream().mapToInt(Episode::length).sum();
        if (total == 0) {
            throw new IllegalArgumentException("no frames to train on");
        }
        episodeOf = new int[total];
        frameOf = new int[total];
        int i = 0;
        for (int e = 0; e < episodes.size(); e++) {
            for (int f = 0; f < episodes.get(e).length(); f++) {
                episodeOf[i] = e;
                frameOf[i++] = f;
            }
        }
        random = new SplittableRandom(seed);
        reshuffle();
    }

    public int windows() {
        return episodeOf.length;
    }

    public int observationInputs() {
        return observationSteps * codec.encodedObservationDim();
    }

    public int chunkOutputs() {
        return horizon * codec.actionDim();
    }

    /** The next {@code size} windows of the shuffled order, reshuffling at the end of each epoch. */
    public Batch next(int size) {
        int obsIn = observationInputs();
        int out = chunkOutputs();
        int a = codec.actionDim();
        float[] obs = new float[size * obsIn];
        float[] act = new float[size * out];
        float[] mask = new float[size * out];
        for (int b = 0; b < size; b++) {
            if (cursor == order.length) {
                reshuffle();
            }
            int w = order[cursor++];
            fill(episodes.get(episodeOf[w]), frameOf[w], obs, b * obsIn, act, mask, b * out, a);
        }
        return new Batch(size, obs, act, mask);
    }

    /** Advances the shuffled order by {@code count} windows without building them, to resume a run where it stopped. */
    public void skip(long count) {
        for (long i = 0; i < count; i++) {
            if (cursor == order.length) {
                reshuffle();
            }
            cursor++;
        }
    }

    /** All windows in order, in batches of at most {@code size}, for validation. */
    public List<Batch> all(int size) {
        List<Batch> out = new ArrayList<>();
        for (int start = 0; start < windows(); start += size) {
            int n = Math.min(size, windows() - start);
            float[] obs = new float[n * observationInputs()];
            float[] act = new float[n * chunkOutputs()];
            float[] mask = new float[n * chunkOutputs()];
            for (int b = 0; b < n; b++) {
                fill(episodes.get(episodeOf[start + b]), frameOf[start + b], obs, b * observationInputs(), act, mask,
                        b * chunkOutputs(), codec.actionDim());
            }
            out.add(new Batch(n, obs, act, mask));
        }
        return out;
    }

    private void fill(Episode e, int frame, float[] obs, int obsOffset, float[] act, float[] mask, int actOffset, int a) {
        int encoded = codec.encodedObservationDim();
        for (int k = 0; k < observationSteps; k++) {
            int f = Math.max(0, frame - observationSteps + 1 + k);
            codec.encodeObservation(e.observations()[f], obs, obsOffset + k * encoded);
        }
        for (int h = 0; h < horizon; h++) {
            int f = frame + h;
            boolean real = f < e.length();
            codec.encodeAction(e.actions()[Math.min(f, e.length() - 1)], act, actOffset + h * a);
            for (int j = 0; j < a; j++) {
                mask[actOffset + h * a + j] = real ? 1f : 0f;
            }
        }
    }

    private void reshuffle() {
        order = new int[episodeOf.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        cursor = 0;
    }
}
