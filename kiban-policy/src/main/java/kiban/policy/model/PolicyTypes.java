package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import kiban.core.error.UnknownNameException;
import kiban.core.json.Json;

/**
 * The policy types on the class path, by name. Their order, which is the order of their fields in
 * config files: first the types whose fields every config file carries
 * ({@link PolicyType#inEveryConfigFile()}), then the others, each in the order the services files
 * list them.
 */
public final class PolicyTypes {

    private static final class Loaded {
        static final PolicyTypes TYPES = load();
    }

    private final Map<String, PolicyType> types = new LinkedHashMap<>();
    private final Map<String, List<String>> fields = new LinkedHashMap<>();

    private PolicyTypes() {}

    /** Every provider found through {@link ServiceLoader}, loaded once. */
    public static PolicyTypes registry() {
        return Loaded.TYPES;
    }

    private static PolicyTypes load() {
        PolicyTypes r = new PolicyTypes();
        List<PolicyType> found = new ArrayList<>();
        ServiceLoader.load(PolicyType.class, PolicyTypes.class.getClassLoader()).forEach(found::add);
        // Stable sort: the types of every file keep their places whatever order the class path gives the services files.
        found.sort(java.util.Comparator.comparing(t -> !t.inEveryConfigFile()));
        for (PolicyType t : found) {
            if (r.types.putIfAbsent(t.name(), t) != null) {
                throw new IllegalStateException("two policy types are named '" + t.name() + "': "
                        + r.types.get(t.name()).getClass().getName() + " and " + t.getClass().getName());
            }
            ObjectNode written = Json.object();
            t.defaults().write(written);
            List<String> names = new ArrayList<>();
            written.fieldNames().forEachRemaining(names::add);
            r.fields.put(t.name(), List.copyOf(names));
        }
        return r;
    }

    public List<String> names() {
        return List.copyOf(types.keySet());
    }

    public List<PolicyType> all() {
        return List.copyOf(types.values());
    }

    public boolean has(String name) {
        return types.containsKey(name);
    }

    /** The named type; an unknown name fails listing the known ones. */
    public PolicyType get(String name) {
        PolicyType t = types.get(name);
        if (t == null) {
            throw new UnknownNameException("policy type", name, types.keySet());
        }
        return t;
    }

    /** The config file fields of the named type, in file order. */
    public List<String> fields(String name) {
        get(name);
        return fields.get(name);
    }

    /** Every type's config file fields, each once, in file order. */
    public Set<String> allFields() {
        Set<String> out = new LinkedHashSet<>();
        fields.values().forEach(out::addAll);
        return out;
    }
}
