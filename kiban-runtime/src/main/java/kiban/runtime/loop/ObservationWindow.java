package kiban.runtime.loop;

/**
 * The last {@code steps} observations, one per cycle, the first repeated until there are enough;
 * {@link #push} copies into preallocated rows so the loop does not allocate.
 */
final class ObservationWindow {

    private final double[][] rows;
    private int newest = -1;
    private int filled;

    ObservationWindow(int steps, int dim) {
        rows = new double[steps][dim];
    }

    void clear() {
        filled = 0;
        newest = -1;
    }

    void push(double[] observation) {
        if (filled == 0) {
            for (double[] r : rows) {
                System.arraycopy(observation, 0, r, 0, r.length);
            }
            filled = rows.length;
            newest = rows.length - 1;
            return;
        }
        newest = (newest + 1) % rows.length;
        System.arraycopy(observation, 0, rows[newest], 0, rows[newest].length);
    }

    /** A copy of the history, oldest first (the policy keeps it while it runs). */
    double[][] snapshot() {
        double[][] h = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            h[i] = rows[(newest + 1 + i) % rows.length].clone();
        }
        return h;
    }
}
