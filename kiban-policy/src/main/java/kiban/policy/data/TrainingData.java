package kiban.policy.data;

import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.policy.ImageSpec;

/**
 * What a run trains on: episodes split by episode into training and validation (each frame with
 * its instruction), the features their vectors are laid out as, the camera images each episode
 * carries (empty for state-only training), and where they came from (recorded in the run's lineage).
 *
 * @param source a human-readable origin, such as the dataset folder
 * @param contentHash a hash of the data files, so a resumed run can tell it is fed the same data
 */
public record TrainingData(
        List<FeatureSpec> observation,
        List<FeatureSpec> action,
        List<Episode> train,
        List<Episode> validation,
        String source,
        String contentHash,
        List<ImageSpec> images) {

    public TrainingData(List<FeatureSpec> observation, List<FeatureSpec> action, List<Episode> train,
            List<Episode> validation, String source, String contentHash) {
        this(observation, action, train, validation, source, contentHash, List.of());
    }

    public TrainingData {
        images = List.copyOf(images);
        observation = List.copyOf(observation);
        action = List.copyOf(action);
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training episodes");
        }
        for (Episode e : train) {
            if (e.images().size() != images.size()) {
                throw new IllegalArgumentException("episodes must carry " + images.size() + " cameras, one has "
                        + e.images().size());
            }
        }
    }

    /**
     * The distinct non-empty instructions of the frames, training and validation, sorted. A policy
     * trained on more than one reads instructions (see {@code kiban.policy.train.PolicyTrainer}).
     */
    public List<String> instructions() {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (List<Episode> episodes : List.of(train, validation)) {
            for (Episode e : episodes) {
                for (String s : e.instructions()) {
                    if (!s.isEmpty()) {
                        out.add(s);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * This data with every frame's instruction dropped: a policy trained on it ignores
     * instructions, as one trained on a dataset of one task does (the baseline that shows what the
     * instructions are worth).
     */
    public TrainingData withoutInstructions() {
        return new TrainingData(observation, action, train.stream().map(e -> e.withInstruction("")).toList(),
                validation.stream().map(e -> e.withInstruction("")).toList(), source, contentHash, images);
    }

    /** Splits {@code episodes} by episode: every k-th goes to validation, for a fraction close to {@code fraction}. */
    public static TrainingData split(List<FeatureSpec> observation, List<FeatureSpec> action, List<Episode> episodes,
            double fraction, String source, String contentHash) {
        return split(observation, action, List.of(), episodes, fraction, source, contentHash);
    }

    /** As {@link #split(List, List, List, double, String, String)}, for episodes carrying {@code images}. */
    public static TrainingData split(List<FeatureSpec> observation, List<FeatureSpec> action, List<ImageSpec> images,
            List<Episode> episodes, double fraction, String source, String contentHash) {
        int every = fraction <= 0 ? Integer.MAX_VALUE : (int) Math.max(2, Math.round(1 / fraction));
        List<Episode> train = new java.util.ArrayList<>();
        List<Episode> validation = new java.util.ArrayList<>();
        for (int i = 0; i < episodes.size(); i++) {
            (i % every == every - 1 ? validation : train).add(episodes.get(i));
        }
        return new TrainingData(observation, action, train, validation, source, contentHash, images);
    }
}
