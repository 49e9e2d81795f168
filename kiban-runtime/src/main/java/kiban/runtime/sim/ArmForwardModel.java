package kiban.runtime.sim;

import kiban.runtime.shield.ForwardModel;
import kiban.sim.arm.Ur5eKinematics;

/**
 * The UR5e's forward kinematics as a {@link ForwardModel}: the tool position ({@code tcp_pos})
 * the joint targets (the first six action elements) put the arm at, so the shield can keep the
 * tool inside its workspace before the arm moves.
 */
public final class ArmForwardModel implements ForwardModel {

    public static final String FEATURE = "tcp_pos";

    private final double[][] frames = Ur5eKinematics.newFrames();
    private final double[] q = new double[Ur5eKinematics.DOF];

    @Override
    public String feature() {
        return FEATURE;
    }

    @Override
    public void predict(double[] command, double[] out) {
        System.arraycopy(command, 0, q, 0, q.length);
        Ur5eKinematics.frames(q, frames);
        double[] tcp = frames[Ur5eKinematics.DOF];
        out[0] = tcp[3];
        out[1] = tcp[7];
        out[2] = tcp[11];
    }

    /** The forward models that apply to an embodiment: the UR5e's kinematics, nothing for the others. */
    public static java.util.List<ForwardModel> forEmbodiment(String embodiment) {
        return "ur5e".equals(embodiment) ? java.util.List.of(new ArmForwardModel()) : java.util.List.of();
    }
}
