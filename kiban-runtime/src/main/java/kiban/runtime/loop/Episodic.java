package kiban.runtime.loop;

/**
 * A machine whose run falls into episodes (a simulator that resets when its task ends). The loop
 * resets the policy, the chunk queue and the shield's history when the index changes, and tells
 * its {@link CycleListener}s, so recordings split where the machine was reset.
 */
public interface Episodic {

    /** The episode the next reading belongs to, counting from 0. */
    long episode();
}
