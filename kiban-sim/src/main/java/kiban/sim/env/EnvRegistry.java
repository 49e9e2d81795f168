package kiban.sim.env;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import kiban.core.error.UnknownNameException;

/** The envs on the class path, by name. */
public final class EnvRegistry {

    private final Map<String, EnvProvider> providers = new TreeMap<>();

    private EnvRegistry() {}

    /** Every provider found through {@link ServiceLoader}. */
    public static EnvRegistry load() {
        EnvRegistry r = new EnvRegistry();
        ServiceLoader.load(EnvProvider.class, EnvRegistry.class.getClassLoader())
                .forEach(p -> r.providers.put(p.name(), p));
        return r;
    }

    public List<String> names() {
        return List.copyOf(providers.keySet());
    }

    public List<EnvProvider> all() {
        return List.copyOf(providers.values());
    }

    /** The named provider; an unknown name fails listing the known ones. */
    public EnvProvider get(String name) {
        EnvProvider p = providers.get(name);
        if (p == null) {
            throw new UnknownNameException("env", name, providers.keySet());
        }
        return p;
    }
}
