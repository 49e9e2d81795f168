package kiban.sim.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.sim.env.Image;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.Rational;

/** Writes a sequence of frames as an animated GIF or an H.264 MP4, chosen by the file extension. */
public final class VideoWriter {

    private VideoWriter() {}

    public static void write(Path file, List<Image> frames, double fps) {
        if (frames.isEmpty()) {
            throw new KibanException(file + ": no frames to write");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            if (name.endsWith(".gif")) {
                writeGif(file, frames, fps);
            } else if (name.endsWith(".mp4")) {
                writeMp4(file, frames, fps);
            } else {
                throw new InvalidInputException("--video", "", "a path ending in .gif or .mp4", file.toString());
            }
        } catch (IOException e) {
            throw new KibanException(file + ": cannot write video: " + e.getMessage(), e);
        }
    }

    private static void writeGif(Path file, List<Image> frames, double fps) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        int delayCs = (int) Math.max(2, Math.round(100 / fps));
        try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames.size(); i++) {
                BufferedImage frame = Images.toBufferedImage(frames.get(i));
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                decorate(meta, delayCs, i == 0);
                writer.writeToSequence(new IIOImage(frame, null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    /** Sets the frame delay and, on the first frame, the Netscape extension that loops the animation. */
    private static void decorate(IIOMetadata meta, int delayCs, boolean first) throws IOException {
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCs));
        gce.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0});
            apps.appendChild(app);
        }
        meta.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    private static void writeMp4(Path file, List<Image> frames, double fps) throws IOException {
        try (SeekableByteChannel channel = NIOUtils.writableChannel(file.toFile())) {
            AWTSequenceEncoder encoder = new AWTSequenceEncoder(channel, Rational.R((int) Math.round(fps), 1));
            for (Image frame : frames) {
                encoder.encodeImage(Images.toBufferedImage(evenSized(frame)));
            }
            encoder.finish();
        }
    }

    /** H.264 needs even dimensions; drop a last odd row or column. */
    private static Image evenSized(Image frame) {
        int h = frame.height() & ~1;
        int w = frame.width() & ~1;
        if (h == frame.height() && w == frame.width()) {
            return frame;
        }
        byte[] rgb = new byte[h * w * 3];
        for (int r = 0; r < h; r++) {
            System.arraycopy(frame.rgb(), r * frame.width() * 3, rgb, r * w * 3, w * 3);
        }
        return new Image(h, w, rgb);
    }
}
