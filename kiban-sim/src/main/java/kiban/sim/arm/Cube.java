package kiban.sim.arm;

/**
 * The cube: held rigidly by the gripper, or free, when it falls under gravity to the table top
 * (z = 0), lands without bouncing and slides to rest under Coulomb friction. It stays upright; only
 * its yaw turns. Sliding deceleration {@code mu * g} does not depend on mass, so the mass has no
 * effect in this model.
 */
final class Cube {

    static final double GRAVITY = 9.81;

    final double size;
    final double[] pos = new double[3];
    final double[] vel = new double[3];
    double yaw;
    double friction;
    boolean held;
    /** Where the cube centre sits in the TCP frame while held, and its yaw relative to the jaws. */
    final double[] gripOffset = new double[3];
    double gripYaw;

    Cube(double size) {
        this.size = size;
    }

    void place(double x, double y, double yaw, double friction) {
        pos[0] = x;
        pos[1] = y;
        pos[2] = size / 2;
        vel[0] = vel[1] = vel[2] = 0;
        this.yaw = yaw;
        this.friction = friction;
        held = false;
    }

    /** Whether the cube lies on the table at rest and is not held. */
    boolean resting() {
        return !held && pos[2] <= size / 2 && vel[0] == 0 && vel[1] == 0 && vel[2] == 0;
    }

    /** Takes hold of the cube in the jaws of the TCP pose {@code tcp}, keeping their relative pose. */
    void grasp(double[] tcp, double jawYaw) {
        double dx = pos[0] - tcp[3];
        double dy = pos[1] - tcp[7];
        double dz = pos[2] - tcp[11];
        // offset in the TCP frame: R^T * d
        gripOffset[0] = tcp[0] * dx + tcp[4] * dy + tcp[8] * dz;
        gripOffset[1] = tcp[1] * dx + tcp[5] * dy + tcp[9] * dz;
        gripOffset[2] = tcp[2] * dx + tcp[6] * dy + tcp[10] * dz;
        gripYaw = yaw - jawYaw;
        held = true;
    }

    /** Where the held cube centre would be for the TCP pose {@code tcp}, into {@code out}. */
    void heldPosition(double[] tcp, double[] out) {
        for (int r = 0; r < 3; r++) {
            out[r] = tcp[r * 4 + 3] + tcp[r * 4] * gripOffset[0] + tcp[r * 4 + 1] * gripOffset[1]
                    + tcp[r * 4 + 2] * gripOffset[2];
        }
    }

    /** Moves the held cube with the gripper; its velocity is the displacement over {@code dt}. */
    void carry(double[] newPos, double jawYaw, double dt) {
        for (int k = 0; k < 3; k++) {
            vel[k] = (newPos[k] - pos[k]) / dt;
            pos[k] = newPos[k];
        }
        yaw = jawYaw + gripYaw;
    }

    /** Lets go: the cube keeps the velocity it had in the gripper. */
    void release() {
        held = false;
    }

    /** One free-motion substep of {@code dt} seconds (semi-implicit Euler). */
    void fall(double dt) {
        if (held || resting()) {
            return;
        }
        double floor = size / 2;
        if (pos[2] > floor || vel[2] > 0) {
            vel[2] -= GRAVITY * dt;
            for (int k = 0; k < 3; k++) {
                pos[k] += vel[k] * dt;
            }
            if (pos[2] <= floor) {
                // a plastic landing: the vertical speed is absorbed, the horizontal one slides on
                pos[2] = floor;
                vel[2] = 0;
            }
            return;
        }
        vel[2] = 0;
        double speed = Math.hypot(vel[0], vel[1]);
        double slowed = speed - friction * GRAVITY * dt;
        if (slowed <= 0) {
            vel[0] = vel[1] = 0;
            return;
        }
        vel[0] *= slowed / speed;
        vel[1] *= slowed / speed;
        pos[0] += vel[0] * dt;
        pos[1] += vel[1] * dt;
    }
}
