package kiban.core.embodiment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kiban.core.error.UnknownNameException;

/**
 * Embodiment specs by name. The built-ins are YAML resources read through the same validating
 * reader as user files, so a built-in cannot hold what a user's file could not.
 */
public final class EmbodimentRegistry {

    /** Names of the built-in specs, each at {@code kiban/core/embodiment/NAME.yaml}. */
    public static final List<String> BUILT_INS = List.of("pusht", "ur5e", "vehicle", "factory-cell");

    private final Map<String, EmbodimentSpec> specs = new ConcurrentHashMap<>();

    /** A registry holding the built-ins. */
    public static EmbodimentRegistry withBuiltIns() {
        EmbodimentRegistry registry = new EmbodimentRegistry();
        BUILT_INS.forEach(name -> registry.register(loadBuiltIn(name)));
        return registry;
    }

    public void register(EmbodimentSpec spec) {
        specs.put(spec.name(), spec);
    }

    public Optional<EmbodimentSpec> find(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    /** The named spec; an unknown name fails with the known names and the closest match. */
    public EmbodimentSpec get(String name) {
        return find(name).orElseThrow(() -> new UnknownNameException("embodiment", name, names()));
    }

    public List<String> names() {
        return specs.keySet().stream().sorted().toList();
    }

    /** All specs, built-ins first in their documented order, then the rest by name. */
    public List<EmbodimentSpec> all() {
        Collection<EmbodimentSpec> values = specs.values();
        return values.stream().sorted(Comparator
                .comparingInt((EmbodimentSpec s) -> BUILT_INS.contains(s.name()) ? BUILT_INS.indexOf(s.name()) : BUILT_INS.size())
                .thenComparing(EmbodimentSpec::name)).toList();
    }

    private static EmbodimentSpec loadBuiltIn(String name) {
        String resource = "/kiban/core/embodiment/" + name + ".yaml";
        try (InputStream in = EmbodimentRegistry.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in embodiment resource missing: " + resource);
            }
            return EmbodimentSpecs.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "builtin:" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
