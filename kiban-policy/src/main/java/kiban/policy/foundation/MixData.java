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

    /** Reads {@code source}'s dataset, holding out {@code validationFraction} of its episodes. */
    public static MixData load(MixSource source, double validationFraction) {
        Path dir = source.dataset();
        TrainingData data = DatasetEpisodes.load(dir, validationFraction, java.util.List.of(), source.episodes());
        var meta = KibanMeta.read(dir);
        if (meta.isPresent()) {
            return new MixData(meta.get().embodiment(), meta.get().env(), source.weight(), data);
        }
        String robot = LeRobotDataset.open(dir).info().robotType();
        String name = robot != null && !robot.isBlank() ? robot : String.valueOf(dir.toAbsolutePath().normalize().getFileName());
        return new MixData(sanitise(name), "", source.weight(), data);
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
