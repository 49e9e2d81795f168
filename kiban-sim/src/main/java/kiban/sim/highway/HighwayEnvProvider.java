package kiban.sim.highway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import kiban.core.error.InvalidInputException;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.EnvTask;
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
        return new HighwayExpert(highway(env));
    }

    /**
     * {@code expert-TASK} for each task: that task's expert whatever task the env poses, a driver
     * blind to the instruction ({@code kiban sim run --task keep-left --policy expert-keep-right}).
     */
    @Override
    public Map<String, Function<Env, Expert>> baselines() {
        Map<String, Function<Env, Expert>> out = new LinkedHashMap<>();
        for (EnvTask task : HighwayTasks.ALL) {
            out.put("expert-" + task.name(), env -> new HighwayExpert(highway(env), task));
        }
        return out;
    }

    private static HighwayEnv highway(Env env) {
        if (!(env instanceof HighwayEnv h)) {
            throw new InvalidInputException("highway expert", "env", "an env created by the highway provider",
                    env == null ? "null" : env.getClass().getName());
        }
        return h;
    }
}
