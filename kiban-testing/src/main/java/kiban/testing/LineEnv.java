package kiban.testing;

import java.util.Map;
import java.util.SplittableRandom;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.embodiment.EmbodimentSpecs;
import kiban.sim.env.AbstractEnv;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.Expert;
import kiban.sim.env.Image;
import kiban.sim.env.Observation;
import kiban.sim.render.Images;

/** A point on a line driven to a target: the smallest env that exercises the whole API. */
public final class LineEnv extends AbstractEnv {

    public static final EmbodimentSpec EMBODIMENT = EmbodimentSpecs.parse("""
            name: line
            domain: planar_pusher
            control_hz: 10
            state:
              - {name: pos, shape: [1], low: -10, high: 10}
              - {name: target, shape: [1], low: -10, high: 10}
            action:
              - {name: velocity, shape: [1], low: -1, high: 1}
            cameras:
              - {name: strip, height: 8, width: 32, channels: 3}
            """, "line.yaml");

    public static final EnvSpec SPEC = new EnvSpec("line", "reach a target on a line", EMBODIMENT,
            EMBODIMENT.state(), EMBODIMENT.cameras(), 10, 50);

    private double pos;
    private double target;
    private double closest;

    public LineEnv(EnvConfig config) {
        super(SPEC, config);
    }

    @Override
    protected double[] doReset(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        pos = r.nextDouble(-5, 5);
        target = r.nextDouble(-5, 5);
        closest = Math.abs(pos - target);
        return new double[] {pos, target};
    }

    @Override
    protected Transition doStep(double[] action) {
        pos += action[0];
        double distance = Math.abs(pos - target);
        closest = Math.min(closest, distance);
        return new Transition(new double[] {pos, target}, -distance, distance < 0.05, Map.of("distance", distance));
    }

    @Override
    protected double[] holdAction() {
        return new double[] {0};
    }

    @Override
    public Image render(int height, int width) {
        var canvas = Images.canvas(height, width);
        var g = canvas.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(java.awt.Color.RED);
        g.fillRect((int) ((pos + 10) / 20 * width), 0, 2, height);
        g.dispose();
        return Images.toImage(canvas);
    }

    @Override
    public Map<String, Double> episodeMetrics() {
        return Map.of("closest_distance", closest);
    }

    @Override
    public boolean success() {
        return closest < 0.05;
    }

    /** Moves straight to the target at full speed. */
    public static final class Chaser implements Expert {
        @Override
        public double[] act(Observation o) {
            return new double[] {Math.max(-1, Math.min(1, o.state(1) - o.state(0)))};
        }
    }

    public static final class Provider implements EnvProvider {
        @Override
        public String name() {
            return "line";
        }

        @Override
        public EnvSpec spec() {
            return SPEC;
        }

        @Override
        public Env create(EnvConfig config) {
            return new LineEnv(config);
        }

        @Override
        public Expert expert(Env env) {
            return new Chaser();
        }
    }
}
