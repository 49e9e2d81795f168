package kiban.policy.foundation;

import java.nio.file.Path;
import java.util.Locale;
import kiban.data.lerobot.KibanMeta;
import kiban.data.lerobot.LeRobotDataset;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.TrainingData;

/**
 * One dataset of a mixture, read: its episodes, the embodiment they belong to and its simulator
 * where there is one. The embodiment is what {@code meta/kiban.json} names (a Kiban recording),
 * else LeRobot's {@code robot_type} (any LeRobot dataset, such as a real robot's), else the
 * folder's name.
 */
public record MixData(String embodiment, String env, double weight, TrainingData data) {

    /** Reads {@code source}'s dataset, holding out {@code validationFraction} of its episodes; no cameras. */
    public static MixData load(MixSource source, double validationFraction) {
        return load(source, validationFraction, name -> java.util.List.of());
    }

    /** As above, with the frames of the video features {@code cameras} gives for the dataset's embodiment. */
    public static MixData load(MixSource source, double validationFraction,
            java.util.function.Function<String, java.util.List<String>> cameras) {
        Path dir = source.dataset();
        Origin origin = originOf(dir);
        TrainingData data = DatasetEpisodes.load(dir, validationFraction, cameras.apply(origin.embodiment()), source.episodes());
        return new MixData(origin.embodiment(), origin.env(), source.weight(), data);
    }

    /** The embodiment of the dataset in {@code dir} as {@link MixData} names it. */
    public static String embodiment(Path dir) {
        return originOf(dir).embodiment();
    }

    /** A dataset's embodiment and its simulator ("" for none). */
    private record Origin(String embodiment, String env) {}

    /** Read from the dataset's metadata alone, before its episodes. */
    private static Origin originOf(Path dir) {
        var meta = KibanMeta.read(dir);
        if (meta.isPresent()) {
            return new Origin(meta.get().embodiment(), meta.get().env());
        }
        String robot = LeRobotDataset.open(dir).info().robotType();
        return new Origin(sanitise(robot != null && !robot.isBlank() ? robot
                : String.valueOf(dir.toAbsolutePath().normalize().getFileName())), "");
    }

    /** This dataset with {@code other} episodes (its actions turned into steps, say). */
    MixData with(TrainingData other) {
        return new MixData(embodiment, env, weight, other);
    }

    /** A name as an embodiment's: letters, digits, '.', '_' and '-', the rest as '-'. */
    static String sanitise(String name) {
        String s = name.strip().replaceAll("[^A-Za-z0-9._-]", "-").toLowerCase(Locale.ROOT);
        s = s.replaceAll("^[^A-Za-z0-9]+", "");
        return s.isEmpty() ? "robot" : s.length() > 100 ? s.substring(0, 100) : s;
    }
}
