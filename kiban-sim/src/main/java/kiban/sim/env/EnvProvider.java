package kiban.sim.env;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import kiban.core.error.InvalidInputException;

/**
 * Makes one kind of env and its expert; found through {@link java.util.ServiceLoader}, listed in
 * {@code META-INF/services/kiban.sim.env.EnvProvider}.
 */
public interface EnvProvider {

    /** The registry name, such as {@code pusht}. */
    String name();

    EnvSpec spec();

    Env create(EnvConfig config);

    /** The config {@link #create} builds an env from when asked for {@code config}: the same, unless {@link #configured}. */
    default EnvConfig configure(EnvConfig config) {
        return config;
    }

    /** A scripted expert driving {@code env}, which this provider created. */
    Expert expert(Env env);

    /**
     * Further scripted policies by name, such as a baseline the expert is measured against
     * (the factory cell's {@code run-to-failure}). None by default.
     */
    default Map<String, Function<Env, Expert>> baselines() {
        return Map.of();
    }

    /**
     * This provider with each env it creates built from {@code change.apply(config)}: how a command
     * adds its options (such as a randomisation) to whatever config the code it calls asks for.
     */
    default EnvProvider configured(UnaryOperator<EnvConfig> change) {
        EnvProvider base = this;
        return new EnvProvider() {
            @Override
            public String name() {
                return base.name();
            }

            @Override
            public EnvSpec spec() {
                return base.spec();
            }

            @Override
            public Env create(EnvConfig config) {
                return base.create(change.apply(config));
            }

            @Override
            public EnvConfig configure(EnvConfig config) {
                return base.configure(change.apply(config));
            }

            @Override
            public Expert expert(Env env) {
                return base.expert(env);
            }

            @Override
            public Map<String, Function<Env, Expert>> baselines() {
                return base.baselines();
            }
        };
    }

    /** The policy of this name: {@code expert}, {@code random} or one of {@link #baselines()}. */
    default Function<Env, Expert> policy(String name) {
        return switch (name) {
            case "expert" -> this::expert;
            case "random" -> e -> new kiban.sim.rollout.RandomPolicy(e.spec());
            default -> {
                Function<Env, Expert> p = baselines().get(name);
                if (p == null) {
                    List<String> known = new ArrayList<>(List.of("expert", "random"));
                    known.addAll(new TreeSet<>(baselines().keySet()));
                    throw new InvalidInputException("--policy", "", "one of " + String.join(", ", known) + " for env " + name(),
                            "'" + name + "'");
                }
                yield p;
            }
        };
    }
}
