package kiban.sim.pusht;

import java.util.ArrayList;
import java.util.List;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;

/**
 * A scripted PushT demonstrator that plans pushes with the simulator itself. It repeats: try
 * every push primitive (a contact point on the T's outline, pushed straight in along the face
 * normal by one of a few lengths) on a copy of the simulator, keep the one that brings the T's
 * corners closest to their places in the episode's goal ({@link PushTEnv#goal()}), plus a small
 * charge for the agent's travel, walk the agent around the block to the primitive's start, and
 * push. Pushes are quasi-static (the block keeps no velocity), so a simulated push predicts the
 * real one well and the loop closes by replanning after every push.
 */
public final class PushTExpert implements Expert {

    /** Gap between the agent's disk and the face it is about to push. */
    private static final double GAP = 2;
    /** Spacing of candidate contact points along the T's outline. */
    private static final double SPACING = 7.5;
    /** How far into the face each primitive commands the agent, beyond the gap. */
    private static final double[] DEPTHS = {1, 3, 8, 18, 35};
    /** Control steps a push lasts: long enough for the PD-driven agent to settle. */
    private static final int PUSH_STEPS = 5;
    /** Extra clearance the agent keeps from the block while travelling. */
    private static final double CLEARANCE = 6;
    /** Travel cost, in units of corner error per unit of path. */
    private static final double TRAVEL_COST = 0.01;

    /** Farthest a travel target leads the agent. */
    private static final double LEAD = 50;

    /** A push starts once the agent is this close to its start point and this slow. */
    private static final double ARRIVE = 3;
    private static final double ARRIVE_SPEED = 40;

    /**
     * Block motion while travelling (px, rad) that makes the plan stale. On the expert's own
     * episodes it rarely fires (the block coasting after a push): seeds 0-149 succeed 148 times, 149 without.
     */
    private static final double REPLAN_SHIFT = 3;
    private static final double REPLAN_TURN = 0.05;

    private enum Mode { PLAN, TRAVEL, PUSH }

    /** A face of the T's outline in the local frame: from (x0,y0) to (x1,y1), outward normal (nx,ny). */
    private record Face(double x0, double y0, double x1, double y1, double nx, double ny) {}

    private static final List<Face> FACES = List.of(
            new Face(-60, 0, 60, 0, 0, -1),
            new Face(-60, 0, -60, 30, -1, 0),
            new Face(60, 0, 60, 30, 1, 0),
            new Face(-60, 30, -15, 30, 0, 1),
            new Face(15, 30, 60, 30, 0, 1),
            new Face(-15, 30, -15, 120, -1, 0),
            new Face(15, 30, 15, 120, 1, 0),
            new Face(-15, 120, 15, 120, 0, 1));

    /** Candidate contacts in the local frame: point (x, y) and outward normal (nx, ny). */
    private static final double[][] CONTACTS = contacts();

    private final PushTEnv env;
    private final PushTSim planner = new PushTSim();
    private final List<double[]> waypoints = new ArrayList<>();
    private Mode mode = Mode.PLAN;
    private double[] pushTarget;
    private int pushLeft;
    private double[] plannedBlock;

    PushTExpert(PushTEnv env) {
        this.env = env;
    }

    @Override
    public void reset(long seed) {
        mode = Mode.PLAN;
        waypoints.clear();
    }

    @Override
    public double[] act(Observation observation) {
        PushTSim sim = env.sim();
        if (env.elapsedSteps() == 0) {
            // A new episode, even where the caller forgot reset(seed): drop the old plan.
            reset(0);
        }
        for (int guard = 0; guard < 3; guard++) {
            switch (mode) {
                case PLAN -> plan(sim);
                case TRAVEL -> {
                    if (blockMovedSincePlan(sim)) {
                        // Someone else moves the agent (a learned policy being corrected, DAgger):
                        // the route and the push were planned for a block that is no longer there.
                        mode = Mode.PLAN;
                        continue;
                    }
                    double[] wp = waypoints.getFirst();
                    double d = Math.hypot(wp[0] - sim.agentX(), wp[1] - sim.agentY());
                    PushTSim.State s = sim.state();
                    double speed = Math.hypot(s.agentVx(), s.agentVy());
                    boolean last = waypoints.size() == 1;
                    if (last ? d < ARRIVE && speed < ARRIVE_SPEED : d < 12) {
                        waypoints.removeFirst();
                        if (waypoints.isEmpty()) {
                            mode = Mode.PUSH;
                        }
                        continue;
                    }
                    return lead(sim, wp);
                }
                case PUSH -> {
                    if (pushLeft-- > 0) {
                        return pushTarget.clone();
                    }
                    mode = Mode.PLAN;
                }
            }
        }
        return new double[] {sim.agentX(), sim.agentY()};
    }

    private boolean blockMovedSincePlan(PushTSim sim) {
        PushTSim.State now = sim.state();
        return Math.hypot(now.blockX() - plannedBlock[0], now.blockY() - plannedBlock[1]) > REPLAN_SHIFT
                || Math.abs(Math.IEEEremainder(now.blockAngle() - plannedBlock[2], 2 * Math.PI)) > REPLAN_TURN;
    }

    private void plan(PushTSim sim) {
        planner.matchBlock(sim);
        PushTSim.State now = sim.state();
        plannedBlock = new double[] {now.blockX(), now.blockY(), now.blockAngle()};
        double[][] goal = env.goal().corners();
        double bx = now.blockX();
        double by = now.blockY();
        double ba = now.blockAngle();
        double c = Math.cos(ba);
        double s = Math.sin(ba);
        double bestScore = Double.POSITIVE_INFINITY;
        double[] bestStart = null;
        double[] bestTarget = null;
        for (double[] k : CONTACTS) {
            double nx = c * k[2] - s * k[3];
            double ny = s * k[2] + c * k[3];
            double px = bx + c * k[0] - s * k[1];
            double py = by + s * k[0] + c * k[1];
            double sx = px + nx * (PushTGeometry.AGENT_RADIUS + GAP);
            double sy = py + ny * (PushTGeometry.AGENT_RADIUS + GAP);
            if (!inWorkspace(sx, sy) || clearance(now, sx, sy) < PushTGeometry.AGENT_RADIUS + GAP - 0.5) {
                continue;
            }
            double travel = Math.hypot(sx - now.agentX(), sy - now.agentY());
            for (double depth : DEPTHS) {
                double tx = sx - nx * (GAP + depth);
                double ty = sy - ny * (GAP + depth);
                planner.set(new PushTSim.State(sx, sy, 0, 0, bx, by, ba));
                for (int i = 0; i < PUSH_STEPS; i++) {
                    planner.step(tx, ty);
                }
                PushTSim.State after = planner.state();
                double score = cornerError(goal, after.blockX(), after.blockY(), after.blockAngle()) + TRAVEL_COST * travel;
                if (score < bestScore) {
                    bestScore = score;
                    bestStart = new double[] {sx, sy};
                    bestTarget = new double[] {tx, ty};
                }
            }
        }
        waypoints.clear();
        if (bestStart == null) {
            // Nowhere to push from (the block is pinned in a corner): back off toward the centre.
            waypoints.add(new double[] {PushTGeometry.WORLD / 2, PushTGeometry.WORLD / 2});
            pushTarget = waypoints.getFirst();
            pushLeft = 0;
            mode = Mode.TRAVEL;
            return;
        }
        waypoints.addAll(route(now, now.agentX(), now.agentY(), bestStart[0], bestStart[1]));
        pushTarget = bestTarget;
        pushLeft = PUSH_STEPS;
        mode = Mode.TRAVEL;
    }

    /**
     * The target for travel toward {@code wp}: at most {@link #LEAD} ahead of the agent, so the
     * recorded actions trace a path the way a hand on a mouse does instead of jumping.
     */
    private static double[] lead(PushTSim sim, double[] wp) {
        double dx = wp[0] - sim.agentX();
        double dy = wp[1] - sim.agentY();
        double d = Math.hypot(dx, dy);
        double k = d > LEAD ? LEAD / d : 1;
        return new double[] {sim.agentX() + k * dx, sim.agentY() + k * dy};
    }

    /** Mean distance of the T's eight corners from their places in the goal with {@code goal} corners. */
    static double cornerError(double[][] goal, double x, double y, double angle) {
        double[][] now = PushTGeometry.corners(x, y, angle);
        double sum = 0;
        for (int r = 0; r < 2; r++) {
            for (int k = 0; k < 8; k += 2) {
                sum += Math.hypot(now[r][k] - goal[r][k], now[r][k + 1] - goal[r][k + 1]);
            }
        }
        return sum / 8;
    }

    /** Waypoints from (ax, ay) to (gx, gy) that keep the agent clear of the block. */
    private static List<double[]> route(PushTSim.State s, double ax, double ay, double gx, double gy) {
        double need = PushTGeometry.AGENT_RADIUS + CLEARANCE;
        List<double[]> path = new ArrayList<>();
        if (segmentClear(s, ax, ay, gx, gy, need)) {
            path.add(new double[] {gx, gy});
            return path;
        }
        // Orbit nodes around the T's centroid, then a shortest path over visible node pairs.
        double ca = Math.cos(s.blockAngle());
        double sa = Math.sin(s.blockAngle());
        double cx = s.blockX() - sa * 40.7;
        double cy = s.blockY() + ca * 40.7;
        int n = 16;
        double radius = 81 + need + 2;
        double[][] nodes = new double[n + 2][];
        nodes[0] = new double[] {ax, ay};
        nodes[1] = new double[] {gx, gy};
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * i / n;
            double x = clamp(cx + radius * Math.cos(t));
            double y = clamp(cy + radius * Math.sin(t));
            nodes[i + 2] = clearance(s, x, y) >= need ? new double[] {x, y} : null;
        }
        int m = nodes.length;
        double[] dist = new double[m];
        int[] prev = new int[m];
        boolean[] done = new boolean[m];
        java.util.Arrays.fill(dist, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(prev, -1);
        dist[0] = 0;
        for (int iter = 0; iter < m; iter++) {
            int u = -1;
            for (int i = 0; i < m; i++) {
                if (!done[i] && nodes[i] != null && (u < 0 || dist[i] < dist[u])) {
                    u = i;
                }
            }
            if (u < 0 || dist[u] == Double.POSITIVE_INFINITY) {
                break;
            }
            done[u] = true;
            for (int v = 0; v < m; v++) {
                if (done[v] || nodes[v] == null) {
                    continue;
                }
                // The endpoints may sit close to the block (the start of a push): check with less margin there.
                double margin = (u <= 1 || v <= 1) ? PushTGeometry.AGENT_RADIUS + 0.5 : need;
                double len = Math.hypot(nodes[u][0] - nodes[v][0], nodes[u][1] - nodes[v][1]);
                if (dist[u] + len < dist[v] && segmentClear(s, nodes[u][0], nodes[u][1], nodes[v][0], nodes[v][1], margin)) {
                    dist[v] = dist[u] + len;
                    prev[v] = u;
                }
            }
        }
        if (prev[1] < 0) {
            path.add(new double[] {gx, gy});
            return path;
        }
        for (int v = 1; v != 0; v = prev[v]) {
            path.addFirst(nodes[v]);
        }
        return path;
    }

    private static boolean segmentClear(PushTSim.State s, double x0, double y0, double x1, double y1, double need) {
        double len = Math.hypot(x1 - x0, y1 - y0);
        int samples = Math.max(2, (int) Math.ceil(len / 3));
        for (int i = 1; i < samples; i++) {
            double t = (double) i / samples;
            if (clearance(s, x0 + t * (x1 - x0), y0 + t * (y1 - y0)) < need) {
                return false;
            }
        }
        return true;
    }

    /** Distance from a world point to the T at the state's pose. */
    static double clearance(PushTSim.State s, double x, double y) {
        double c = Math.cos(s.blockAngle());
        double sn = Math.sin(s.blockAngle());
        double dx = x - s.blockX();
        double dy = y - s.blockY();
        double lx = c * dx + sn * dy;
        double ly = -sn * dx + c * dy;
        double best = Double.POSITIVE_INFINITY;
        for (double[] r : PushTGeometry.RECTS) {
            double ex = Math.max(Math.max(r[0] - lx, lx - r[2]), 0);
            double ey = Math.max(Math.max(r[1] - ly, ly - r[3]), 0);
            best = Math.min(best, Math.hypot(ex, ey));
        }
        return best;
    }

    private static boolean inWorkspace(double x, double y) {
        return x > 8 && x < 504 && y > 8 && y < 504;
    }

    private static double clamp(double v) {
        return Math.max(22, Math.min(490, v));
    }

    private static double[][] contacts() {
        List<double[]> out = new ArrayList<>();
        for (Face f : FACES) {
            double len = Math.hypot(f.x1() - f.x0(), f.y1() - f.y0());
            int n = Math.max(1, (int) Math.round(len / SPACING));
            for (int i = 0; i <= n; i++) {
                double t = (double) i / n;
                out.add(new double[] {f.x0() + t * (f.x1() - f.x0()), f.y0() + t * (f.y1() - f.y0()), f.nx(), f.ny()});
            }
        }
        return out.toArray(double[][]::new);
    }
}
