package kiban.sim.factory;

import kiban.sim.env.Image;

/**
 * Draws the HMI schematic straight into an RGB buffer: a conveyor carrying the buffered parts, the
 * machine coloured by its state, and bar gauges for vibration (coloured by ISO 10816 class I zone),
 * temperature and the two speeds. No text, so no fonts are needed on a headless machine.
 */
final class CellRenderer {

    static final int BACKGROUND = 0x1E2228;
    static final int BELT = 0x6E6E6E;
    static final int PART = 0xE8922C;
    static final int GAUGE_BACK = 0x3A3F47;
    static final int RUNNING = 0x28B446;
    static final int IDLE = 0xDCBE28;
    static final int FAILED = 0xD22828;
    static final int MAINTENANCE = 0x326EDC;

    private final int height;
    private final int width;
    private final byte[] rgb;

    private CellRenderer(int height, int width) {
        this.height = height;
        this.width = width;
        this.rgb = new byte[height * width * 3];
    }

    /** The schematic at {@code height x width} pixels. */
    static Image draw(int height, int width, MachineState state, int buffer, double vibration, double temperature,
            double conveyorSpeed, double machineSpeed) {
        if (height < 8 || width < 8) {
            throw new IllegalArgumentException("render size must be at least 8x8, got " + height + "x" + width);
        }
        CellRenderer r = new CellRenderer(height, width);
        r.fill(0, 0, 1, 1, BACKGROUND);
        r.fill(0.04, 0.58, 0.56, 0.68, BELT);
        int shown = (buffer + 9) / 10; // one square per ten parts, up to ten squares
        for (int i = 0; i < shown; i++) {
            double x = 0.52 - i * 0.05;
            r.fill(x - 0.035, 0.52, x, 0.58, PART);
        }
        r.fill(0.58, 0.36, 0.94, 0.80, stateColour(state));
        r.fill(0.68, 0.46, 0.84, 0.70, BACKGROUND); // the window of the station, so the colour reads as a frame
        r.gauge(0.08, Math.min(1, vibration / 12), vibrationColour(vibration));
        r.gauge(0.20, Math.min(1, Math.max(0, temperature - CellModel.AMBIENT_C) / 95), temperatureColour(temperature));
        r.gauge(0.84, conveyorSpeed / 1.5, 0xA0A0A0);
        r.gauge(0.92, machineSpeed / 1.5, 0xA0A0A0);
        return new Image(height, width, r.rgb);
    }

    static int stateColour(MachineState state) {
        return switch (state) {
            case RUNNING -> RUNNING;
            case IDLE -> IDLE;
            case FAILED -> FAILED;
            case MAINTENANCE -> MAINTENANCE;
        };
    }

    /** ISO 10816 class I zones: A below 0.71, B below 1.8, C below 4.5 mm/s, D above. */
    static int vibrationColour(double rms) {
        if (rms < 0.71) {
            return 0x28B446;
        }
        if (rms < 1.8) {
            return 0x9BC83C;
        }
        return rms < 4.5 ? 0xE8922C : 0xD22828;
    }

    static int temperatureColour(double celsius) {
        double t = Math.min(1, Math.max(0, (celsius - CellModel.AMBIENT_C) / 85));
        int red = (int) (60 + 180 * t);
        int blue = (int) (220 - 180 * t);
        return red << 16 | 0x50 << 8 | blue;
    }

    private void gauge(double top, double fraction, int colour) {
        fill(0.04, top, 0.56, top + 0.06, GAUGE_BACK);
        if (fraction > 0) {
            fill(0.04, top, 0.04 + 0.52 * fraction, top + 0.06, colour);
        }
    }

    /** Fills the rectangle given in fractions of the frame, left/top inclusive. */
    private void fill(double x0, double y0, double x1, double y1, int colour) {
        int c0 = (int) Math.round(x0 * width);
        int c1 = Math.max(c0 + 1, (int) Math.round(x1 * width));
        int r0 = (int) Math.round(y0 * height);
        int r1 = Math.max(r0 + 1, (int) Math.round(y1 * height));
        byte red = (byte) (colour >> 16);
        byte green = (byte) (colour >> 8);
        byte blue = (byte) colour;
        for (int row = Math.max(0, r0); row < Math.min(height, r1); row++) {
            for (int col = Math.max(0, c0); col < Math.min(width, c1); col++) {
                int i = (row * width + col) * 3;
                rgb[i] = red;
                rgb[i + 1] = green;
                rgb[i + 2] = blue;
            }
        }
    }
}
