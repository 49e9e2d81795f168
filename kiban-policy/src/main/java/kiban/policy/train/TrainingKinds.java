package kiban.policy.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The {@link TrainingKind}s on the class path, by the policy type each trains. */
public final class TrainingKinds {

    private static final class Loaded {
        static final Map<String, TrainingKind> KINDS = load();
    }

    private TrainingKinds() {}

    private static Map<String, TrainingKind> load() {
        Map<String, TrainingKind> kinds = new LinkedHashMap<>();
        for (TrainingKind k : ServiceLoader.load(TrainingKind.class, TrainingKinds.class.getClassLoader())) {
            if (kinds.putIfAbsent(k.policy(), k) != null) {
                throw new IllegalStateException("two training kinds train '" + k.policy() + "': "
                        + kinds.get(k.policy()).getClass().getName() + " and " + k.getClass().getName());
            }
        }
        return kinds;
    }

    /** The kind that trains the policy type named, if that type trains through its own trainer. */
    public static Optional<TrainingKind> of(String policy) {
        return Optional.ofNullable(Loaded.KINDS.get(policy));
    }

    /** The policy types that train through their own trainers. */
    public static List<String> policies() {
        return List.copyOf(Loaded.KINDS.keySet());
    }
}
