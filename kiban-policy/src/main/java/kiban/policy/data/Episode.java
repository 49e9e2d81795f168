package kiban.policy.data;

import java.util.List;

/**
 * One recorded episode in memory: observation and action vectors per frame, in physical units,
 * and, for image training, each camera's frames ({@code images.get(camera)[frame]}) as the
 * recorded HWC RGB bytes; kept as bytes (a quarter of floats) and converted per batch.
 */
public record Episode(double[][] observations, double[][] actions, List<byte[][]> images) {

    public Episode {
        if (observations.length != actions.length || observations.length == 0) {
            throw new IllegalArgumentException("an episode needs as many observations as actions, at least one; got "
                    + observations.length + " and " + actions.length);
        }
        images = List.copyOf(images);
        for (byte[][] frames : images) {
            if (frames.length != observations.length) {
                throw new IllegalArgumentException("an episode of " + observations.length + " frames has a camera with "
                        + frames.length);
            }
        }
    }

    /** An episode without images. */
    public Episode(double[][] observations, double[][] actions) {
        this(observations, actions, List.of());
    }

    public int length() {
        return observations.length;
    }
}
