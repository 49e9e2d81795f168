package kiban.cli;

import java.util.List;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.RenderRandomization;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --randomize KIND[,KIND]}: domain randomisation of the envs a command creates, drawn per episode from its seed. */
final class RandomizeOption {

    /** The kinds {@code --randomize} knows. */
    static final List<String> KINDS = List.of("render");

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--randomize", split = ",", paramLabel = "KIND", description = "Randomise every episode, drawn from its "
            + "seed: render (the camera picture's colours, lighting and pose; pixels only, the scene and its states are "
            + "those of the plain episode). Off by default.")
    List<String> kinds = List.of();

    /** {@code config} with the randomisation asked for; an unknown kind is a usage error. */
    EnvConfig apply(EnvConfig config) {
        EnvConfig out = config;
        for (String kind : kinds) {
            if (!KINDS.contains(kind)) {
                throw new ParameterException(spec.commandLine(), "--randomize: unknown kind '" + kind + "'; known: "
                        + String.join(", ", KINDS));
            }
            out = out.withRandomization(out.randomization().withRender(RenderRandomization.DEFAULT));
        }
        return out;
    }

    /** Refuses an unknown kind as a usage error, for a command to do before its work starts. */
    void check() {
        apply(EnvConfig.DEFAULT);
    }

    /** {@code provider} creating its envs with the randomisation asked for (checked now, so a bad kind fails first). */
    EnvProvider apply(EnvProvider provider) {
        check();
        return kinds.isEmpty() ? provider : provider.configured(this::apply);
    }
}
