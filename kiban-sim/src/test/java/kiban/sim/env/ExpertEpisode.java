package kiban.sim.env;

/** An env's expert driving one episode, for the tests and reports that measure the experts. */
public final class ExpertEpisode {

    private ExpertEpisode() {}

    /** Resets {@code env} and {@code expert} to {@code seed} and steps until the episode ends; returns its last step. */
    public static StepResult run(Env env, Expert expert, long seed) {
        Observation o = env.reset(seed);
        expert.reset(seed);
        StepResult r;
        do {
            r = env.step(expert.act(o));
            o = r.observation();
        } while (!r.done());
        return r;
    }
}
