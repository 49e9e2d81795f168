package kiban.sim.render;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import kiban.sim.env.Image;

/** Conversions between Kiban's RGB {@link Image} and AWT images, which envs draw with. */
public final class Images {

    static {
        // Envs draw with AWT off-screen; no display is ever needed, on a server or in CI.
        System.setProperty("java.awt.headless", "true");
    }

    private Images() {}

    /** A blank AWT canvas whose pixels {@link #toImage} reads without per-pixel calls. */
    public static BufferedImage canvas(int height, int width) {
        return new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    }

    public static Image toImage(BufferedImage canvas) {
        if (canvas.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            BufferedImage copy = canvas(canvas.getHeight(), canvas.getWidth());
            copy.getGraphics().drawImage(canvas, 0, 0, null);
            canvas = copy;
        }
        byte[] bgr = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new Image(canvas.getHeight(), canvas.getWidth(), rgb);
    }

    public static BufferedImage toBufferedImage(Image image) {
        BufferedImage out = canvas(image.height(), image.width());
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return out;
    }
}
