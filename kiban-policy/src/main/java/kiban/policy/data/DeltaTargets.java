package kiban.policy.data;

import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.core.policy.DeltaActions;
import kiban.core.policy.PolicyMetadata;

/**
 * Rewrites recorded episodes so that the action features a policy's metadata lists as delta
 * actions become steps: {@code action[t] - observation[t]} of the same frame. Done before
 * windowing, so a chunk's row k from frame t is {@code action[t+k] - observation[t+k]}, padded at
 * the episode's end as actions are (the last frame repeats), and the normalisation statistics
 * are fitted on the steps.
 */
public final class DeltaTargets {

    private DeltaTargets() {}

    /** The metadata with {@code pairs}, refusing bad pairs with an error naming the config field. */
    public static PolicyMetadata check(PolicyMetadata m, List<kiban.core.policy.DeltaPair> pairs, String source) {
        try {
            return m.withDeltaActions(pairs);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, "delta_actions",
                    "action features mapped to same-sized observation features", e.getMessage());
        }
    }

    /** The episodes with delta targets for {@code m}'s delta actions (the same list when there are none). */
    public static List<Episode> apply(List<Episode> episodes, PolicyMetadata m) {
        DeltaActions delta = DeltaActions.of(m);
        if (delta.isEmpty()) {
            return episodes;
        }
        return episodes.stream().map(e -> {
            double[][] actions = new double[e.length()][];
            for (int t = 0; t < actions.length; t++) {
                actions[t] = e.actions()[t].clone();
                delta.subtractFrom(actions[t], e.observations()[t]);
            }
            return new Episode(e.observations(), actions, e.images(), e.instructions());
        }).toList();
    }
}
