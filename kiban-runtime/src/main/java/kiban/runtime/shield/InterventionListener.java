package kiban.runtime.shield;

/**
 * Told of every intervention, on the control-loop thread: implementations must return quickly
 * (queue the event, do not write files or sockets here).
 */
@FunctionalInterface
public interface InterventionListener {

    void onIntervention(Intervention intervention);
}
