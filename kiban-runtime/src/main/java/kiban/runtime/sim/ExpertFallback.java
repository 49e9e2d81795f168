package kiban.runtime.sim;

import kiban.runtime.shield.FallbackPolicy;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;

/**
 * A simulator's scripted policy (its expert, or a baseline) as the shield's fallback: it takes over
 * when the learned policy has no fresh or finite command. Reset with the env's seed at each new
 * episode, as experts expect.
 */
public final class ExpertFallback implements FallbackPolicy {

    private final Expert expert;
    private final SimMachine machine;
    private long episode = -1;

    public ExpertFallback(Expert expert, SimMachine machine) {
        this.expert = expert;
        this.machine = machine;
    }

    @Override
    public double[] act(double[] observation) {
        if (machine.episode() != episode) {
            episode = machine.episode();
            expert.reset(machine.episodeSeed());
        }
        return expert.act(Observation.of(observation));
    }
}
