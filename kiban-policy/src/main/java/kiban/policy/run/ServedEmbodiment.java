package kiban.policy.run;

import java.util.List;
import kiban.core.normalize.Normalizer;
import kiban.core.policy.PolicyMetadata;

/**
 * An embodiment a run serves, as its model card describes it: its name, the simulator its data
 * came from (empty for a real machine's recording), its features and chunk, its normalisation and
 * the instructions it was trained on.
 */
public record ServedEmbodiment(String name, String env, PolicyMetadata metadata, Normalizer normalizer, List<String> trainedOn) {

    public ServedEmbodiment {
        trainedOn = List.copyOf(trainedOn);
    }
}
