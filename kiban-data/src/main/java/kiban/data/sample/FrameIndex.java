package kiban.data.sample;

import kiban.core.error.InvalidInputException;

/**
 * Every frame of a list of episodes, numbered 0..size-1 episode after episode, and the rule both
 * samplers window with: a frame offset that falls before an episode's first frame or after its last
 * repeats that edge frame and is marked as padding, as LeRobot's {@code _get_query_indices} does.
 */
public final class FrameIndex {

    private final int[] episodeOf;
    private final int[] frameOf;
    private final int[] lengths;
    private final int[] starts;

    /** Frames of episodes of the given lengths (each at least 1). */
    public FrameIndex(int[] lengths) {
        this.lengths = lengths.clone();
        this.starts = new int[lengths.length];
        long total = 0;
        for (int e = 0; e < lengths.length; e++) {
            if (lengths[e] < 1) {
                throw new InvalidInputException("episodes", "length of episode " + e, ">= 1 frame", Integer.toString(lengths[e]));
            }
            starts[e] = (int) total;
            total += lengths[e];
        }
        if (total == 0 || total > Integer.MAX_VALUE) {
            throw new InvalidInputException("episodes", "frames", "1 to " + Integer.MAX_VALUE + " frames", Long.toString(total));
        }
        episodeOf = new int[(int) total];
        frameOf = new int[(int) total];
        int i = 0;
        for (int e = 0; e < lengths.length; e++) {
            for (int f = 0; f < lengths[e]; f++) {
                episodeOf[i] = e;
                frameOf[i++] = f;
            }
        }
    }

    /** Frames in all. */
    public int size() {
        return episodeOf.length;
    }

    /** Position (in the lengths given) of the episode of frame {@code i}. */
    public int episode(int i) {
        return episodeOf[i];
    }

    /** Frame {@code i}'s index inside its episode. */
    public int frame(int i) {
        return frameOf[i];
    }

    public int length(int episode) {
        return lengths[episode];
    }

    /** Number of frame {@code i}'s episode's first frame. */
    public int episodeStart(int i) {
        return starts[episodeOf[i]];
    }

    /** The in-episode frame read for {@code frame + offset}: clamped to the episode. */
    public static int clamp(int frame, int offset, int length) {
        return Math.max(0, Math.min(length - 1, frame + offset));
    }

    /** Whether {@code frame + offset} falls outside the episode (so the value read is padding). */
    public static boolean padded(int frame, int offset, int length) {
        int f = frame + offset;
        return f < 0 || f >= length;
    }
}
