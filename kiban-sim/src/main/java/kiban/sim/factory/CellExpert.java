package kiban.sim.factory;

import kiban.sim.env.Env;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;

/**
 * The factory cell's expert: at each reset, the {@link ConditionBasedExpert} for the task the env
 * now poses ({@link ConditionBasedExpert#forTask}). It reads the task, never the hidden wear.
 */
final class CellExpert implements Expert {

    private final Env env;
    private ConditionBasedExpert current;

    CellExpert(Env env) {
        this.env = env;
        this.current = ConditionBasedExpert.forTask(CellTask.of(env.task()));
    }

    @Override
    public void reset(long seed) {
        current = ConditionBasedExpert.forTask(CellTask.of(env.task()));
        current.reset(seed);
    }

    @Override
    public double[] act(Observation observation) {
        return current.act(observation);
    }
}
