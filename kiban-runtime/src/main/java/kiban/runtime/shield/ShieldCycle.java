package kiban.runtime.shield;

import java.util.Arrays;

/**
 * What the shield has decided so far in one cycle, handed from rule to rule: the command it aims
 * at, whether the cycle became a stop, and the reasons (each with its own detail). Reused from cycle
 * to cycle, so a cycle allocates nothing here.
 */
final class ShieldCycle {

    long cycle;
    /** The policy's command; null when none is fresh. */
    double[] proposed;
    double[] observation;
    boolean emergencyStopInput;
    /** The command aimed at, before the motion limits. */
    final double[] target;
    /** The command to send, once the motion limits have shaped {@link #target}. */
    final double[] out;
    /** The cycle is a stop: the rules that choose and shape the aim no longer apply. */
    boolean stop;
    /** A hold with nothing held yet: the shield sends nothing and the loop calls {@code Machine.stop()}. */
    boolean nothingToSend;
    long bits;
    final String[] details = new String[Reason.values().length];

    ShieldCycle(int dim) {
        target = new double[dim];
        out = new double[dim];
    }

    void start(long cycle, double[] proposed, double[] observation, boolean emergencyStopInput) {
        this.cycle = cycle;
        this.proposed = proposed;
        this.observation = observation;
        this.emergencyStopInput = emergencyStopInput;
        stop = false;
        nothingToSend = false;
        bits = 0;
        Arrays.fill(details, "");
    }

    /** Records an intervention of this cycle. */
    void flag(Reason reason, String detail) {
        bits |= reason.bit();
        details[reason.ordinal()] = detail;
    }

    /** Makes this cycle a stop, for {@code reason} (null: a stop that is no intervention, the start's hold of nothing). */
    void stop(Reason reason, String detail) {
        stop = true;
        if (reason != null) {
            flag(reason, detail);
        }
    }

    /** Aims at {@code command}. */
    void aim(double[] command) {
        System.arraycopy(command, 0, target, 0, target.length);
    }
}
