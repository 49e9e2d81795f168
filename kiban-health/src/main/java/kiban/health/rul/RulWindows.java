package kiban.health.rul;

import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.health.cmapss.EngineUnit;

/**
 * Windows of consecutive cycles and their targets, row-major {@code (count, window, features)}.
 *
 * <p>A training unit gives one window ending at each of its cycles from the {@code window}-th on,
 * with the piecewise-linear target {@code min(cap, lastCycle - cycle)} at the window's last cycle
 * (an engine is taken as healthy, at the cap, until its degradation begins). A training unit
 * shorter than the window is an error: padding it would teach the model made-up early cycles. A
 * test unit gives one window ending at its last cycle; one shorter than the window is padded at
 * the start with copies of its first cycle, as the literature does.
 */
public record RulWindows(int count, int window, int features, float[] inputs, float[] targets) {

    /** The piecewise-linear RUL target at {@code cycle} of a unit that fails after {@code lastCycle}. */
    public static float target(int lastCycle, int cycle, int cap) {
        return Math.min(cap, lastCycle - cycle);
    }

    /** Every window of run-to-failure units; {@code normalised.get(i)} is {@code units.get(i)}'s feature rows. */
    public static RulWindows training(List<EngineUnit> units, List<float[][]> normalised, int window, int cap) {
        int count = 0;
        for (EngineUnit u : units) {
            if (u.length() < window) {
                throw new InvalidInputException(u.source() + ":" + u.firstLine(), "column 1 (unit)", "training unit "
                        + u.unit() + " to have at least " + window + " cycles (the window); lower --window",
                        u.length() + " cycles");
            }
            count += u.length() - window + 1;
        }
        int f = normalised.isEmpty() ? 0 : normalised.get(0)[0].length;
        float[] inputs = new float[count * window * f];
        float[] targets = new float[count];
        int n = 0;
        for (int i = 0; i < units.size(); i++) {
            EngineUnit u = units.get(i);
            float[][] rows = normalised.get(i);
            for (int end = window - 1; end < u.length(); end++) {
                for (int t = 0; t < window; t++) {
                    System.arraycopy(rows[end - window + 1 + t], 0, inputs, (n * window + t) * f, f);
                }
                targets[n++] = target(u.lastCycle(), u.cycles()[end], cap);
            }
        }
        return new RulWindows(count, window, f, inputs, targets);
    }

    /**
     * Where {@link #training}'s windows of these units are cut at {@code perUnit} truncation
     * points each, as the test split cuts its units: a unit's {@code n} windows are split into
     * {@code perUnit} equal stretches and the window at the middle of each is taken (at most
     * {@code n}). Every unit then counts the same however long it ran, and a validation figure over
     * these is the test protocol's (one last window per truncated unit) rather than the mean over
     * every window, which long units dominate with windows at the cap.
     */
    public static int[] truncations(List<EngineUnit> units, int window, int perUnit) {
        int total = 0;
        for (EngineUnit u : units) {
            total += Math.min(perUnit, u.length() - window + 1);
        }
        int[] at = new int[total];
        int first = 0;
        int n = 0;
        for (EngineUnit u : units) {
            int windows = u.length() - window + 1;
            int points = Math.min(perUnit, windows);
            for (int k = 0; k < points; k++) {
                at[n++] = first + (int) ((k + 0.5) * windows / points);
            }
            first += windows;
        }
        return at;
    }

    /** One window per unit ending at its last cycle, padded at the start where a unit is shorter. */
    public static RulWindows lastCycles(List<float[][]> normalised, int window) {
        int f = normalised.isEmpty() ? 0 : normalised.get(0)[0].length;
        float[] inputs = new float[normalised.size() * window * f];
        for (int i = 0; i < normalised.size(); i++) {
            float[][] rows = normalised.get(i);
            int pad = Math.max(0, window - rows.length);
            for (int t = 0; t < window; t++) {
                float[] row = rows[Math.max(0, t - pad + Math.max(0, rows.length - window))];
                System.arraycopy(row, 0, inputs, (i * window + t) * f, f);
            }
        }
        return new RulWindows(normalised.size(), window, f, inputs, new float[normalised.size()]);
    }

    /** The windows {@code from} (inclusive) to {@code to} (exclusive), or those at {@code order}'s positions. */
    public float[] inputs(int[] order, int from, int to) {
        int size = window * features;
        float[] out = new float[(to - from) * size];
        for (int i = from; i < to; i++) {
            System.arraycopy(inputs, order[i] * size, out, (i - from) * size, size);
        }
        return out;
    }

    public float[] targets(int[] order, int from, int to) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = targets[order[i]];
        }
        return out;
    }
}
