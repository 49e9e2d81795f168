package kiban.sim.highway;

import kiban.core.error.InvalidInputException;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.Expert;

/** Registers {@code highway} with the env registry. */
public final class HighwayEnvProvider implements EnvProvider {

    @Override
    public String name() {
        return HighwaySpecs.NAME;
    }

    @Override
    public EnvSpec spec() {
        return HighwaySpecs.spec();
    }

    @Override
    public Env create(EnvConfig config) {
        return new HighwayEnv(config);
    }

    @Override
    public Expert expert(Env env) {
        if (!(env instanceof HighwayEnv h)) {
            throw new InvalidInputException("highway expert", "env", "an env created by the highway provider",
                    env == null ? "null" : env.getClass().getName());
        }
        return new HighwayExpert(h);
    }
}
