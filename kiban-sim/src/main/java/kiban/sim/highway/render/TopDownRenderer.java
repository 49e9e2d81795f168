package kiban.sim.highway.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import kiban.sim.env.Image;
import kiban.sim.highway.traffic.Road;
import kiban.sim.highway.traffic.Traffic;
import kiban.sim.highway.traffic.Vehicle;

/**
 * An off-screen top-down picture in highway-env's colours and geometry: grey road, white lane
 * markings (solid at the edges, dashed between lanes), the ego green, other vehicles blue and
 * crashed vehicles red. x runs to the right of the picture and y (towards the right lanes) down.
 * As highway-env's image observation ({@code centering_position} [0.3, 0.5], {@code scaling}
 * 1.75 px/m at 128 px wide), the ego sits 30% from the left edge, so the picture shows more road
 * ahead than behind: at highway speed the vehicles that matter are the ones being closed on.
 */
public final class TopDownRenderer {

    /**
     * Metres of road shown across the picture's width (highway-env's 128 px at 1.75 px/m), unless
     * the height needs a smaller scale.
     */
    public static final double VIEW_WIDTH_M = 128 / 1.75;
    /** Metres shown at least across the picture's height: the 16 m road plus a verge. */
    public static final double VIEW_HEIGHT_M = 24.0;
    /** Where the ego sits across the picture's width, from the left (highway-env's centering_position). */
    public static final double EGO_AT = 0.3;
    static final Color GRASS = new Color(40, 90, 40);
    static final Color ASPHALT = new Color(100, 100, 100);
    static final Color MARKING = Color.WHITE;
    static final Color EGO = new Color(50, 200, 0);
    static final Color OTHER = new Color(100, 200, 255);
    static final Color CRASHED = new Color(255, 100, 100);
    static final double STRIPE_LENGTH = 3.0;
    static final double STRIPE_SPACING = 5.0;

    private TopDownRenderer() {}

    public static Image render(Traffic traffic, Vehicle ego, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setColor(GRASS);
            g.fillRect(0, 0, width, height);
            double scale = Math.min(width / VIEW_WIDTH_M, height / VIEW_HEIGHT_M);
            AffineTransform world = new AffineTransform();
            world.translate(width * EGO_AT, height / 2.0);
            world.scale(scale, scale);
            world.translate(-ego.x(), -ego.y());
            drawRoad(g, traffic.road(), world, ego.x(), width / scale + STRIPE_SPACING + STRIPE_LENGTH, scale);
            for (Vehicle v : traffic.vehicles()) {
                if (v != ego && Math.abs(v.x() - ego.x()) < width / scale) {
                    drawVehicle(g, world, v, v.crashed() ? CRASHED : OTHER);
                }
            }
            drawVehicle(g, world, ego, ego.crashed() ? CRASHED : EGO);
        } finally {
            g.dispose();
        }
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new Image(height, width, rgb);
    }

    private static void drawRoad(Graphics2D g, Road road, AffineTransform world, double cx, double half, double scale) {
        double top = road.laneCenter(0) - road.laneWidth() / 2;
        double bottom = road.laneCenter(road.lanes() - 1) + road.laneWidth() / 2;
        g.setColor(ASPHALT);
        g.fill(world.createTransformedShape(new java.awt.geom.Rectangle2D.Double(cx - half, top, 2 * half, bottom - top)));
        g.setColor(MARKING);
        g.setStroke(new BasicStroke(1f));
        Path2D lines = new Path2D.Double();
        lines.moveTo(cx - half, top);
        lines.lineTo(cx + half, top);
        lines.moveTo(cx - half, bottom);
        lines.lineTo(cx + half, bottom);
        double period = STRIPE_LENGTH + STRIPE_SPACING;
        double start = Math.floor((cx - half) / period) * period;
        for (int lane = 1; lane < road.lanes(); lane++) {
            double y = road.laneCenter(lane) - road.laneWidth() / 2;
            for (double x = start; x < cx + half; x += period) {
                lines.moveTo(x, y);
                lines.lineTo(x + STRIPE_LENGTH, y);
            }
        }
        g.draw(world.createTransformedShape(lines));
    }

    private static void drawVehicle(Graphics2D g, AffineTransform world, Vehicle v, Color color) {
        AffineTransform t = new AffineTransform(world);
        t.translate(v.x(), v.y());
        t.rotate(v.heading());
        g.setColor(color);
        g.fill(t.createTransformedShape(new java.awt.geom.Rectangle2D.Double(
                -Vehicle.LENGTH / 2, -Vehicle.WIDTH / 2, Vehicle.LENGTH, Vehicle.WIDTH)));
    }
}
