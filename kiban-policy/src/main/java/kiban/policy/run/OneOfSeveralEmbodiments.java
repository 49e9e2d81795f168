package kiban.policy.run;

import kiban.core.policy.Policy;

/** A policy loaded for one of the several embodiments its run serves (a foundation policy's). */
public interface OneOfSeveralEmbodiments {

    /** The name of the embodiment it serves. */
    String embodimentName();

    /**
     * The same loaded network answering for {@code embodiment} (its name or its simulator's) when
     * an observation names none, with that embodiment's metadata: a server of every embodiment
     * holds one copy of the weights. Closing the view leaves the network to this policy, which
     * must outlive it.
     */
    Policy answeringFor(String embodiment);
}
