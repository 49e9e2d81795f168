package kiban.sim.env;

/**
 * How much an episode's camera picture may differ from the plain one, drawn once per episode from
 * the reset seed (see {@link kiban.sim.render.RenderVariation}). It changes only pixels: the state,
 * the physics and the expert's actions stay exactly those of the unrandomised episode.
 *
 * @param colourSpread each drawn colour's channels move by up to this fraction of 255, per object
 * @param brightnessSpread the picture's brightness scales by a draw in {@code [1 - spread, 1 + spread]}
 * @param tintSpread each channel scales further by its own draw in {@code [1 - spread, 1 + spread]}
 * @param shiftFraction the view moves by up to this fraction of its width and height
 * @param rotationDegrees the view turns by up to this many degrees either way
 * @param scaleSpread the view zooms by a draw in {@code [1 - spread, 1 + spread]}
 */
public record RenderRandomization(double colourSpread, double brightnessSpread, double tintSpread, double shiftFraction,
        double rotationDegrees, double scaleSpread) {

    public static final RenderRandomization NONE = new RenderRandomization(0, 0, 0, 0, 0, 0);

    /**
     * What {@code --randomize render} turns on: changes a person still reads at a glance (colours a
     * few percent off, lighting within a fifth, the camera a few pixels and degrees out of place),
     * the scale of Diffusion Policy's 84-of-96 crops and colour jitter.
     */
    public static final RenderRandomization DEFAULT = new RenderRandomization(0.08, 0.2, 0.08, 0.03, 3, 0.05);

    public RenderRandomization {
        check("colourSpread", colourSpread, 1);
        check("brightnessSpread", brightnessSpread, 1);
        check("tintSpread", tintSpread, 1);
        check("shiftFraction", shiftFraction, 0.5);
        check("rotationDegrees", rotationDegrees, 180);
        check("scaleSpread", scaleSpread, 1);
    }

    private static void check(String name, double value, double below) {
        if (!(value >= 0 && value < below)) {
            throw new IllegalArgumentException("render randomisation " + name + " must lie in [0, " + below + "), got " + value);
        }
    }

    public boolean isNone() {
        return equals(NONE);
    }

    /** The settings by their snake-case names, as a dataset's metadata records them. */
    public java.util.Map<String, Double> settings() {
        var m = new java.util.LinkedHashMap<String, Double>();
        m.put("colour_spread", colourSpread);
        m.put("brightness_spread", brightnessSpread);
        m.put("tint_spread", tintSpread);
        m.put("shift_fraction", shiftFraction);
        m.put("rotation_degrees", rotationDegrees);
        m.put("scale_spread", scaleSpread);
        return m;
    }
}
