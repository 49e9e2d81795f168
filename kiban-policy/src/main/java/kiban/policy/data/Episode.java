package kiban.policy.data;

import java.util.Arrays;
import java.util.List;

/**
 * One recorded episode: observation and action vectors per frame, in physical units; for image
 * training, each camera's frames ({@code images.get(camera)}) as the recorded HWC RGB bytes, kept
 * as bytes (a quarter of floats, read from the frame cache's mapping where they came from video)
 * and converted per batch; and each frame's instruction (its LeRobot task; empty where there is
 * none).
 */
public record Episode(double[][] observations, double[][] actions, List<CameraFrames> images, String[] instructions) {

    public Episode {
        if (observations.length != actions.length || observations.length == 0) {
            throw new IllegalArgumentException("an episode needs as many observations as actions, at least one; got "
                    + observations.length + " and " + actions.length);
        }
        images = List.copyOf(images);
        for (CameraFrames frames : images) {
            if (frames.count() != observations.length) {
                throw new IllegalArgumentException("an episode of " + observations.length + " frames has a camera with "
                        + frames.count());
            }
        }
        if (instructions.length != observations.length) {
            throw new IllegalArgumentException("an episode of " + observations.length + " frames has "
                    + instructions.length + " instructions");
        }
        for (String s : instructions) {
            if (s == null) {
                throw new IllegalArgumentException("a frame's instruction is null; use \"\" for none");
            }
        }
    }

    /** An episode without instructions, its cameras' frames held as arrays ({@code images.get(camera)[frame]}). */
    public Episode(double[][] observations, double[][] actions, List<byte[][]> images) {
        this(observations, actions, images.stream().<CameraFrames>map(CameraFrames.InMemory::new).toList(),
                none(observations.length));
    }

    /** An episode without images or instructions. */
    public Episode(double[][] observations, double[][] actions) {
        this(observations, actions, List.<byte[][]>of());
    }

    /** This episode with {@code instruction} at every frame. */
    public Episode withInstruction(String instruction) {
        String[] all = new String[length()];
        Arrays.fill(all, instruction);
        return new Episode(observations, actions, images, all);
    }

    public int length() {
        return observations.length;
    }

    private static String[] none(int frames) {
        String[] out = new String[frames];
        Arrays.fill(out, "");
        return out;
    }
}
