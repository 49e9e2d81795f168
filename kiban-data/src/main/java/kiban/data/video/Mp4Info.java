package kiban.data.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import kiban.core.error.InvalidInputException;

/** The duration of an MP4/MOV file from its {@code moov/mvhd} box; nothing is decoded. */
public final class Mp4Info {

    private Mp4Info() {
    }

    /** Duration in seconds; an error naming the file when it is not a readable MP4. */
    public static double durationSeconds(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long moov = find(ch, 0, ch.size(), "moov");
            if (moov < 0) {
                throw new InvalidInputException(file.toString(), "moov", "an MP4 file with a movie header", "no moov box");
            }
            long[] hdr = header(ch, moov);
            long mvhd = find(ch, moov + hdr[1], moov + hdr[0], "mvhd");
            if (mvhd < 0) {
                throw new InvalidInputException(file.toString(), "moov/mvhd", "a movie header box", "none");
            }
            long body = mvhd + header(ch, mvhd)[1];
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, body);
            b.flip();
            int version = b.get() & 0xFF;
            b.position(4);
            long timescale;
            long duration;
            if (version == 1) {
                b.position(4 + 16);
                timescale = b.getInt() & 0xFFFFFFFFL;
                duration = b.getLong();
            } else {
                b.position(4 + 8);
                timescale = b.getInt() & 0xFFFFFFFFL;
                duration = b.getInt() & 0xFFFFFFFFL;
            }
            if (timescale == 0) {
                throw new InvalidInputException(file.toString(), "moov/mvhd.timescale", "> 0", "0");
            }
            return (double) duration / timescale;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException i) {
                throw i;
            }
            throw new InvalidInputException(file.toString(), "", "a readable MP4 file", "corrupt or truncated (" + e + ")");
        }
    }

    /** Offset of the first box of {@code type} among the boxes in [from, to), or -1. */
    private static long find(FileChannel ch, long from, long to, String type) throws IOException {
        long pos = from;
        while (pos + 8 <= to) {
            long[] h = header(ch, pos);
            if (h[2] == fourcc(type)) {
                return pos;
            }
            if (h[0] < 8) {
                return -1;
            }
            pos += h[0];
        }
        return -1;
    }

    /** {size, header length, type} of the box at {@code pos}. */
    private static long[] header(FileChannel ch, long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16);
        ch.read(b, pos);
        b.flip();
        if (b.remaining() < 8) {
            throw new IOException("truncated box header at byte " + pos);
        }
        long size = b.getInt() & 0xFFFFFFFFL;
        long type = b.getInt() & 0xFFFFFFFFL;
        int len = 8;
        if (size == 1) {
            size = b.getLong();
            len = 16;
        } else if (size == 0) {
            size = ch.size() - pos;
        }
        return new long[] {size, len, type};
    }

    private static long fourcc(String s) {
        return ((long) s.charAt(0) << 24) | (s.charAt(1) << 16) | (s.charAt(2) << 8) | s.charAt(3);
    }
}
