package kiban.sim.pusht;

import org.dyn4j.dynamics.Body;
import org.dyn4j.dynamics.BodyFixture;
import org.dyn4j.dynamics.ContinuousDetectionMode;
import org.dyn4j.dynamics.Settings;
import org.dyn4j.geometry.Capsule;
import org.dyn4j.geometry.Circle;
import org.dyn4j.geometry.Convex;
import org.dyn4j.geometry.Mass;
import org.dyn4j.geometry.MassType;
import org.dyn4j.geometry.Rectangle;
import org.dyn4j.geometry.Vector2;
import org.dyn4j.world.ValueMixer;
import org.dyn4j.world.World;

/**
 * The PushT physics on dyn4j: four walls, a kinematic agent disk driven by a PD law on its
 * velocity, and the T block. Its whole state is {@link State}, so a planner can copy it into
 * another instance and simulate ahead.
 */
public final class PushTSim {

    /** Physics rate (100 Hz) and the substeps of one 10 Hz control step. */
    public static final double DT = 0.01;
    public static final int SUBSTEPS = 10;
    public static final double KP = 100;
    public static final double KV = 20;
    /** Block mass and gym-pusht's inertia: twice pymunk's moment_for_poly(1, bar) about the origin. */
    public static final double BLOCK_MASS = 1;
    public static final double BLOCK_INERTIA = 3000;
    /** Shapes in pymunk default to friction 0 (the {@code body.friction = 1} lines have no effect). */
    public static final double BLOCK_FRICTION = 0;
    /** A pair's friction is the larger of the two: only the block ever has any (agent and walls have 0). */
    private static final ValueMixer MIXER = new ValueMixer() {
        @Override
        public double mixFriction(double a, double b) {
            return Math.max(a, b);
        }

        @Override
        public double mixRestitution(double a, double b) {
            return Math.max(a, b);
        }

        @Override
        public double mixRestitutionVelocity(double a, double b) {
            return Math.max(a, b);
        }
    };

    /**
     * The full simulator state: agent position and velocity and the block's origin pose. The block
     * needs no velocity: gym-pusht's space damping of 0 zeroes it at every physics step.
     */
    public record State(double agentX, double agentY, double agentVx, double agentVy,
            double blockX, double blockY, double blockAngle) {}

    private World<Body> world;
    private Body agent;
    private Body block;
    private final BodyFixture[] blockFixtures = new BodyFixture[2];
    private double massScale = 1;
    private double blockFriction = BLOCK_FRICTION;
    private double agentVx;
    private double agentVy;

    public PushTSim() {
        set(new State(256, 400, 0, 0, 256, 300, 0));
    }

    /**
     * Builds a fresh dyn4j world, as gym-pusht's {@code _setup} builds a fresh pymunk space. A world
     * that has stepped keeps history (broad-phase tree shape, contact order) that changes the last
     * bits of later steps, so {@link #set} starts from a new one to make a state a full snapshot.
     */
    private void build() {
        world = new World<>();
        Settings s = world.getSettings();
        s.setStepFrequency(DT);
        // Units are pixels, not metres: lift the per-step motion caps that assume metres.
        s.setMaximumTranslation(1e6);
        s.setMaximumRotation(1e6);
        s.setAtRestDetectionEnabled(false);
        s.setContinuousDetectionMode(ContinuousDetectionMode.NONE);
        // Warm starting carries impulses between steps, state a snapshot could not restore.
        s.setWarmStartingEnabled(false);
        world.setGravity(0, 0);
        world.setValueMixer(MIXER);

        addWall(255.5, 5, 505, 4);
        addWall(255.5, 506, 505, 4);
        addWall(5, 255.5, 4, 505);
        addWall(506, 255.5, 4, 505);

        agent = new Body();
        fixture(agent, new Circle(PushTGeometry.AGENT_RADIUS));
        agent.setMass(MassType.INFINITE);
        world.addBody(agent);

        block = new Body();
        for (int r = 0; r < 2; r++) {
            double[] b = PushTGeometry.RECTS[r];
            Rectangle rect = new Rectangle(b[2] - b[0], b[3] - b[1]);
            rect.translate((b[0] + b[2]) / 2, (b[1] + b[3]) / 2);
            blockFixtures[r] = fixture(block, rect);
        }
        applyBlockScales();
        block.setLinearDamping(0);
        block.setAngularDamping(0);
        world.addBody(block);
    }

    private void addWall(double cx, double cy, double w, double h) {
        Body wall = new Body();
        fixture(wall, new Capsule(w, h));
        wall.translate(cx, cy);
        wall.setMass(MassType.INFINITE);
        world.addBody(wall);
    }

    private static BodyFixture fixture(Body body, Convex shape) {
        BodyFixture f = body.addFixture(shape);
        f.setFriction(0);
        f.setRestitution(0);
        return f;
    }

    /**
     * Sets the block's domain randomisation: its mass times {@code massScale} with the moment of
     * inertia kept (see the package notes for why), and its friction coefficient against the agent
     * and the walls.
     */
    void setBlock(double massScale, double friction) {
        this.massScale = massScale;
        this.blockFriction = friction;
        applyBlockScales();
    }

    /** Gives this simulator the same block mass and friction as {@code other}. */
    public void matchBlock(PushTSim other) {
        setBlock(other.massScale, other.blockFriction);
    }

    private void applyBlockScales() {
        block.setMass(new Mass(new Vector2(PushTGeometry.COG_X, PushTGeometry.COG_Y),
                BLOCK_MASS * massScale, BLOCK_INERTIA));
        for (BodyFixture f : blockFixtures) {
            f.setFriction(blockFriction);
        }
    }

    /** Puts the bodies exactly at {@code s}. */
    public void set(State s) {
        build();
        agent.getTransform().setTranslation(s.agentX(), s.agentY());
        agentVx = s.agentVx();
        agentVy = s.agentVy();
        agent.setLinearVelocity(agentVx, agentVy);
        block.getTransform().setRotation(s.blockAngle());
        block.getTransform().setTranslation(s.blockX(), s.blockY());
        block.setLinearVelocity(0, 0);
        block.setAngularVelocity(0);
    }

    public State state() {
        return new State(agent.getTransform().getTranslationX(), agent.getTransform().getTranslationY(),
                agentVx, agentVy, blockX(), blockY(), block.getTransform().getRotationAngle());
    }

    /** Copies another simulator's state into this one (for planning); the copy then steps bit for bit alike. */
    public void copyFrom(PushTSim other) {
        massScale = other.massScale;
        blockFriction = other.blockFriction;
        set(other.state());
        // Copy the rotation's cosine and sine as stored: rebuilding them from the angle loses bits.
        block.getTransform().set(other.block.getTransform());
    }

    /**
     * gym-pusht's legacy {@code _set_state}: the agent is placed, the block's position is set with
     * angle 0 and the block is then turned about its centre of gravity, so the reported origin moves
     * unless the angle is 0. One physics step follows, as there.
     */
    public void setLegacy(double agentX, double agentY, double blockX, double blockY, double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double ox = blockX + PushTGeometry.COG_X - (c * PushTGeometry.COG_X - s * PushTGeometry.COG_Y);
        double oy = blockY + PushTGeometry.COG_Y - (s * PushTGeometry.COG_X + c * PushTGeometry.COG_Y);
        set(new State(agentX, agentY, 0, 0, ox, oy, angle));
        physicsStep();
    }

    /** One 10 Hz control step: 10 substeps of PD control toward the target, then physics. */
    public void step(double targetX, double targetY) {
        for (int i = 0; i < SUBSTEPS; i++) {
            double px = agent.getTransform().getTranslationX();
            double py = agent.getTransform().getTranslationY();
            agentVx += (KP * (targetX - px) - KV * agentVx) * DT;
            agentVy += (KP * (targetY - py) - KV * agentVy) * DT;
            physicsStep();
        }
    }

    private void physicsStep() {
        agent.setLinearVelocity(agentVx, agentVy);
        // Space damping 0 in gym-pusht: the block keeps no velocity from one step to the next.
        block.setLinearVelocity(0, 0);
        block.setAngularVelocity(0);
        world.step(1);
    }

    /** The block's mass (1 unless randomised). */
    public double blockMass() {
        return block.getMass().getMass();
    }

    /** The block's friction coefficient (0 unless randomised). */
    public double blockFriction() {
        return blockFriction;
    }

    public double agentX() {
        return agent.getTransform().getTranslationX();
    }

    public double agentY() {
        return agent.getTransform().getTranslationY();
    }

    public double blockX() {
        return block.getTransform().getTranslationX();
    }

    public double blockY() {
        return block.getTransform().getTranslationY();
    }

    /** The block angle wrapped to [0, 2 pi), as the state reports it. */
    public double blockAngle() {
        double a = block.getTransform().getRotationAngle() % (2 * Math.PI);
        a = a < 0 ? a + 2 * Math.PI : a;
        // A tiny negative angle plus 2 pi can round up to 2 pi itself.
        return a >= 2 * Math.PI ? 0 : a;
    }

    /** Coverage of {@code goal} by the block now. */
    public double coverage(PushTGoal goal) {
        return goal.coverage(blockX(), blockY(), block.getTransform().getRotationAngle());
    }
}
