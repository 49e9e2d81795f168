package kiban.policy.data;

import kiban.data.cache.FrameCache;

/**
 * One camera's frames of one episode, as recorded HWC RGB bytes. Frames decoded from a dataset's
 * video stay in its memory-mapped {@link FrameCache} and are copied out one at a time as a batch
 * reads them, so training holds no second copy of the video on the heap (27 KB a frame at 96x96,
 * hundreds of megabytes for a PushT dataset); frames made in memory (tests, simulators) are held
 * as arrays.
 */
public sealed interface CameraFrames permits CameraFrames.InMemory, CameraFrames.Cached {

    /** How many frames. */
    int count();

    /** The bytes of one frame. */
    int frameBytes();

    /** Copies frame {@code frame} into {@code out}, which is {@link #frameBytes} long; safe from any thread. */
    void copyFrame(int frame, byte[] out);

    /** Frame {@code frame} as a new array. */
    default byte[] frame(int frame) {
        byte[] out = new byte[frameBytes()];
        copyFrame(frame, out);
        return out;
    }

    /** Frames held as arrays, one per frame, all the same size. */
    record InMemory(byte[][] frames) implements CameraFrames {

        public InMemory {
            for (byte[] f : frames) {
                if (f.length != frames[0].length) {
                    throw new IllegalArgumentException("frames of one camera must be the same size: " + frames[0].length
                            + " and " + f.length + " bytes");
                }
            }
        }

        @Override
        public int count() {
            return frames.length;
        }

        @Override
        public int frameBytes() {
            return frames.length == 0 ? 0 : frames[0].length;
        }

        @Override
        public void copyFrame(int frame, byte[] out) {
            checkSize(out, frameBytes());
            System.arraycopy(frames[frame], 0, out, 0, out.length);
        }
    }

    /** The first {@code count} frames of {@code episode} in {@code cache}, read from its mapping. */
    record Cached(FrameCache cache, int episode, int count) implements CameraFrames {

        public Cached {
            if (episode < 0 || episode >= cache.episodes()) {
                throw new IllegalArgumentException(cache.file() + " has " + cache.episodes() + " episodes, not episode "
                        + episode);
            }
            if (count < 0 || count > cache.frames(episode)) {
                throw new IllegalArgumentException(cache.file() + ": episode " + episode + " has " + cache.frames(episode)
                        + " frames of video, not " + count);
            }
        }

        @Override
        public int frameBytes() {
            return cache.frameBytes();
        }

        @Override
        public void copyFrame(int frame, byte[] out) {
            if (frame >= count) {
                throw new IndexOutOfBoundsException("frame " + frame + " of " + count);
            }
            checkSize(out, frameBytes());
            cache.copyFrame(episode, frame, out, 0);
        }
    }

    /** A frame of the wrong size would be read as another layout's pixels: refuse it. */
    private static void checkSize(byte[] out, int frameBytes) {
        if (out.length != frameBytes) {
            throw new IllegalArgumentException("a frame of this camera has " + frameBytes + " bytes; the image read expects "
                    + out.length);
        }
    }
}
