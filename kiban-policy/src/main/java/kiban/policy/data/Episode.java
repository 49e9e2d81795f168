package kiban.policy.data;

/** One recorded episode in memory: observation and action vectors per frame, in physical units. */
public record Episode(double[][] observations, double[][] actions) {

    public Episode {
        if (observations.length != actions.length || observations.length == 0) {
            throw new IllegalArgumentException("an episode needs as many observations as actions, at least one; got "
                    + observations.length + " and " + actions.length);
        }
    }

    public int length() {
        return observations.length;
    }
}
