package kiban.policy.run;

/** A policy loaded for one of the several embodiments its run serves (a foundation policy's). */
public interface OneOfSeveralEmbodiments {

    /** The name of the embodiment it serves. */
    String embodimentName();
}
