package kiban.connect.opcua;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import kiban.core.machine.MachineReading;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * The newest value of every monitored node, written by Milo's delivery thread and copied by the
 * control loop under one short lock. Any notification (the server's clock, which changes at every
 * sample, included) or keep-alive means the server published just now, so the state values it does
 * not carry are unchanged as of now: it refreshes the sample time. A value with a bad status is not
 * taken and stops those refreshes until the node reports a good one again, so the runtime sees the
 * reading grow stale instead of trusting an old value; so does a subscription made again, until
 * every state node has reported to it.
 */
final class LatestValues {

    /** The status of a state node whose value from the current subscription has not come yet. */
    private static final StatusCode AWAITING_NEW_VALUE = new StatusCode(StatusCodes.Bad_WaitingForInitialData);

    private final List<String> stateNodes;
    private final List<String> metricNames;
    private final double[] state;
    private final StatusCode[] status;
    private final double[] metrics;
    private long sampledNanos;
    private boolean emergencyStop;
    private boolean operatorControl;
    private final double[] setpoints;
    private long notifications;

    LatestValues(List<String> stateNodes, List<String> metricNames, boolean hasEmergencyStop, int setpointCount) {
        this.stateNodes = List.copyOf(stateNodes);
        this.metricNames = List.copyOf(metricNames);
        this.state = new double[stateNodes.size()];
        this.status = new StatusCode[state.length];
        this.metrics = new double[metricNames.size()];
        Arrays.fill(state, Double.NaN);
        Arrays.fill(metrics, Double.NaN);
        emergencyStop = hasEmergencyStop; // pressed until the node reports: the safe side
        setpoints = new double[setpointCount];
        Arrays.fill(setpoints, Double.NaN);
    }

    /** A bad or missing take-over value counts as released: the runtime keeps control and its shield. */
    synchronized void onOperatorControl(DataValue v) {
        notifications++;
        published();
        double x = good(v) ? toDouble(v.getValue().getValue()) : Double.NaN;
        operatorControl = !Double.isNaN(x) && x != 0;
    }

    /** A set point as the machine holds it: the runtime's own writes, an operator's during a take-over, or the one it had before the run. */
    synchronized void onSetpoint(int index, DataValue v) {
        notifications++;
        published();
        setpoints[index] = good(v) ? toDouble(v.getValue().getValue()) : Double.NaN;
    }

    synchronized void onState(int index, DataValue v) {
        notifications++;
        status[index] = v.getStatusCode();
        double x = good(v) ? toDouble(v.getValue().getValue()) : Double.NaN;
        if (!Double.isNaN(x)) {
            state[index] = x;
        }
        published();
    }

    synchronized void onMetric(int index, DataValue v) {
        notifications++;
        published();
        metrics[index] = good(v) ? toDouble(v.getValue().getValue()) : Double.NaN;
    }

    /** A bad, missing or non-numeric e-stop value counts as pressed. */
    synchronized void onEmergencyStop(DataValue v) {
        notifications++;
        published();
        double x = good(v) ? toDouble(v.getValue().getValue()) : Double.NaN;
        emergencyStop = Double.isNaN(x) || x != 0;
    }

    /**
     * The subscription is being made again (the server came back as a new process): the state values
     * held are the old process's, so until each state node reports anew nothing, not even the new
     * server's clock, makes them current.
     */
    synchronized void awaitNewValues() {
        Arrays.fill(status, AWAITING_NEW_VALUE);
    }

    /** A keep-alive: nothing changed since the last notification, so the values are current as of now. */
    synchronized void onKeepAlive() {
        published();
    }

    /** The server's clock ticked: it is publishing, and the state values it did not send are unchanged. */
    synchronized void onHeartbeat() {
        published();
    }

    /** The server published now: the state is current as of now, unless a state node's newest value was bad or none came yet. */
    private void published() {
        for (int i = 0; i < state.length; i++) {
            if (Double.isNaN(state[i]) || (status[i] != null && !status[i].isGood())) {
                return;
            }
        }
        sampledNanos = System.nanoTime();
    }

    synchronized MachineReading reading(boolean connected) {
        // During a take-over the operator's command is the set points the machine holds; one not yet
        // known (NaN) leaves the reading without it, and the loop then keeps control.
        boolean known = Arrays.stream(setpoints).allMatch(Double::isFinite);
        double[] operator = operatorControl && known ? setpoints : null;
        return new MachineReading(state, sampledNanos, connected, emergencyStop, operator, known ? setpoints : null, 0, "");
    }

    synchronized boolean complete() {
        return Arrays.stream(state).noneMatch(Double::isNaN);
    }

    /** The state nodes without a value yet, with their last status. */
    synchronized List<String> missing() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < state.length; i++) {
            if (Double.isNaN(state[i])) {
                out.add(stateNodes.get(i) + (status[i] == null ? "" : " (" + status[i] + ")"));
            }
        }
        return out;
    }

    synchronized void putMetrics(Map<String, Double> out) {
        for (int i = 0; i < metrics.length; i++) {
            out.put(metricNames.get(i), metrics[i]);
        }
        out.put("opcua_notifications", (double) notifications);
    }

    private static boolean good(DataValue v) {
        return v.getStatusCode() == null || v.getStatusCode().isGood();
    }

    private static double toDouble(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return Double.NaN;
    }
}
