package kiban.policy.foundation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kiban.core.json.FieldReader;
import kiban.core.normalize.Normalizer;
import kiban.core.policy.PolicyMetadata;
import kiban.policy.data.FeatureCodec;
import kiban.policy.run.PolicyFiles;

/**
 * One embodiment a foundation checkpoint serves: its name (the dataset's embodiment, as
 * {@code meta/kiban.json} or LeRobot's {@code robot_type} names it), the simulator its data came
 * from where there is one ({@code env}, empty for a real machine's recording), its features and
 * chunk as the policy boundary describes them, its own normalisation, the instructions it was
 * trained on, and the state features its heads read ({@code stateFeatures}, empty: all; a camera
 * may show the rest). Its index in the checkpoint's list selects its heads in the network.
 */
public record FoundationEmbodiment(String name, String env, PolicyMetadata metadata, Normalizer normalizer,
        List<String> trainedOn, List<String> stateFeatures) {

    public FoundationEmbodiment {
        trainedOn = List.copyOf(trainedOn);
        stateFeatures = List.copyOf(stateFeatures);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("an embodiment name is letters, digits, '.', '_' and '-', got '" + name + "'");
        }
    }

    /** How its observations and actions are encoded for the network (its state features, no delta actions). */
    public FeatureCodec codec() {
        return new FeatureCodec(metadata.observation(), metadata.action(), normalizer, stateFeatures);
    }

    FoundationDims.Sizes sizes() {
        FeatureCodec c = codec();
        return new FoundationDims.Sizes(c.encodedObservationDim(), c.actionDim(), metadata.images());
    }

    /** Whether this embodiment answers to {@code key}: its name or its simulator's. */
    public boolean answersTo(String key) {
        return name.equalsIgnoreCase(key) || (!env.isEmpty() && env.equalsIgnoreCase(key));
    }

    /** This embodiment, trained on {@code more} instructions besides its own. */
    FoundationEmbodiment withTasks(List<String> more) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(trainedOn);
        all.addAll(more);
        return new FoundationEmbodiment(name, env, metadata, normalizer, List.copyOf(all), stateFeatures);
    }

    /** Refuses a dataset of this embodiment's name whose features differ: the heads would read it wrongly. */
    void requireSameFeatures(MixData d) {
        if (!d.data().observation().equals(metadata.observation()) || !d.data().action().equals(metadata.action())) {
            throw new kiban.core.error.KibanException(d.data().source() + ": its embodiment '" + name + "' has other "
                    + "observation or action features than the checkpoint's embodiment of that name ("
                    + metadata.observationDim() + " and "
                    + metadata.actionDim() + " elements); record it as another embodiment");
        }
        if (!d.data().images().equals(metadata.images())) {
            throw new kiban.core.error.KibanException(d.data().source() + ": its embodiment '" + name + "' is read with the "
                    + "cameras " + describe(d.data().images())
                    + ", the checkpoint's embodiment of that name with "
                    + describe(metadata.images())
                    + " (the config's image_features)");
        }
    }

    private static List<String> describe(List<kiban.core.policy.ImageSpec> cameras) {
        return cameras.stream().map(c -> c.name() + " " + c.height() + "x" + c.width()).toList();
    }

    ObjectNode toTree() {
        ObjectNode o = kiban.core.json.Json.object();
        o.put("name", name);
        if (!env.isEmpty()) {
            o.put("env", env);
        }
        PolicyFiles.putChunkAndFeatures(o, metadata);
        ArrayNode tasks = o.putArray("trained_on");
        trainedOn.forEach(tasks::add);
        if (!stateFeatures.isEmpty()) {
            ArrayNode read = o.putArray("state_features");
            stateFeatures.forEach(read::add);
        }
        o.set("normalization", normalizer.toTree());
        return o;
    }

    static FoundationEmbodiment read(FieldReader e, String source) {
        PolicyMetadata m = PolicyFiles.readChunkAndFeatures(e, FoundationNetwork.TYPE, source);
        String name = e.requireText("name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw e.require("name").invalid("letters, digits, '.', '_' and '-'", "\"" + name + "\"");
        }
        List<String> tasks = PolicyFiles.readTrainedOn(e);
        List<String> read = e.optList("state_features", f -> f.node().asText());
        List<String> names = m.observation().stream().map(kiban.core.embodiment.FeatureSpec::name).toList();
        if (!names.containsAll(read)) {
            throw e.require("state_features").invalid("names of the embodiment's state features " + names, read.toString());
        }
        return new FoundationEmbodiment(name, e.optText("env", ""), m,
                Normalizer.fromTree(e.requireObject("normalization").node(), source + ": embodiment " + name), tasks, read);
    }
}
