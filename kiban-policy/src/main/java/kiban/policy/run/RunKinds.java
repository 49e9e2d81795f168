package kiban.policy.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import kiban.core.json.Json;

/** The {@link RunKind}s on the class path, by the type their folders' {@code policy.json} names. */
public final class RunKinds {

    private static final class Loaded {
        static final Map<String, RunKind> KINDS = load();
    }

    private RunKinds() {}

    private static Map<String, RunKind> load() {
        Map<String, RunKind> kinds = new LinkedHashMap<>();
        for (RunKind k : ServiceLoader.load(RunKind.class, RunKinds.class.getClassLoader())) {
            if (kinds.putIfAbsent(k.type(), k) != null) {
                throw new IllegalStateException("two run kinds are of type '" + k.type() + "': "
                        + kinds.get(k.type()).getClass().getName() + " and " + k.getClass().getName());
            }
        }
        return Map.copyOf(kinds);
    }

    /** The kind of the type named, if one is registered. */
    public static Optional<RunKind> named(String type) {
        return Optional.ofNullable(Loaded.KINDS.get(type));
    }

    /** The kind of the run in {@code dir}, read from its {@code policy.json}; empty for a training run or no run. */
    public static Optional<RunKind> of(Path dir) {
        Path policy = new RunDirectory(dir).policy();
        if (!Files.isRegularFile(policy)) {
            return Optional.empty();
        }
        return named(Json.readTree(policy).path("type").asText());
    }
}
