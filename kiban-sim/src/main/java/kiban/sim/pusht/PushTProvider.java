package kiban.sim.pusht;

import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.Expert;

/** Registers {@code pusht} with the env registry. */
public final class PushTProvider implements EnvProvider {

    @Override
    public String name() {
        return PushTEnv.NAME;
    }

    @Override
    public EnvSpec spec() {
        return PushTEnv.envSpec();
    }

    @Override
    public Env create(EnvConfig config) {
        return new PushTEnv(config);
    }

    @Override
    public Expert expert(Env env) {
        if (!(env instanceof PushTEnv p)) {
            throw new IllegalArgumentException("the pusht expert drives a PushTEnv, got " + env.getClass().getName());
        }
        return new PushTExpert(p);
    }
}
