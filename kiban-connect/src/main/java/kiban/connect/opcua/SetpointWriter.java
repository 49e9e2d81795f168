package kiban.connect.opcua;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;

/**
 * Writes commands to the set-point nodes without making the caller wait: at most one Write is in
 * flight, and a newer command replaces one not yet sent, so the machine always gets the newest.
 */
final class SetpointWriter {

    private final OpcUaClient client;
    private final List<String> names;
    private final List<NodeId> nodes;
    private final Class<?>[] types;
    private final AtomicReference<double[]> pending = new AtomicReference<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong superseded = new AtomicLong();
    /** Writes failed since the last one that succeeded: the runtime ends the run when too many fail in a row. */
    private final java.util.concurrent.atomic.AtomicInteger failedInARow = new java.util.concurrent.atomic.AtomicInteger();
    private volatile String lastError;

    SetpointWriter(OpcUaClient client, List<String> nodeIds) {
        this.client = client;
        this.names = List.copyOf(nodeIds);
        this.nodes = nodeIds.stream().map(NodeId::parse).toList();
        this.types = new Class<?>[nodes.size()];
    }

    int size() {
        return nodes.size();
    }

    /**
     * Reads each node once to learn its data type, so writes match it (a PLC's Int16 refuses a
     * Double); a node the server lacks fails naming the mapping file and the node.
     */
    void readTypes(String source, String endpoint) {
        List<DataValue> current;
        try {
            current = client.readValues(0, TimestampsToReturn.Neither, nodes);
        } catch (UaException e) {
            throw new KibanException("cannot read the set-point nodes on " + endpoint + ": " + e.getMessage(), e);
        }
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < current.size(); i++) {
            DataValue v = current.get(i);
            if (v.getStatusCode() != null && v.getStatusCode().isBad()) {
                bad.add(names.get(i) + " (" + v.getStatusCode() + ")");
            }
            Object o = v.getValue().getValue();
            types[i] = o == null ? Double.class : o.getClass();
        }
        if (!bad.isEmpty()) {
            throw new InvalidInputException(source, "action", "node ids that exist on " + endpoint,
                    "cannot read " + String.join(", ", bad));
        }
    }

    /** Queues {@code action} (owned by this writer from now on) and sends it unless a write is in flight. */
    void submit(double[] action) {
        if (pending.getAndSet(action) != null) {
            superseded.incrementAndGet();
        }
        flush();
    }

    /** Forgets a command not yet sent: after a link loss it is meant for a machine state long gone. */
    void discardPending() {
        pending.set(null);
    }

    /** The newest write error, or null. */
    String lastError() {
        return lastError;
    }

    /** Writes that failed since the last one that succeeded. */
    int failedInARow() {
        return failedInARow.get();
    }

    private void flush() {
        if (!writing.compareAndSet(false, true)) {
            return; // the write in flight sends the pending command when it completes
        }
        double[] a = pending.getAndSet(null);
        if (a == null) {
            writing.set(false);
            return;
        }
        List<DataValue> values = new ArrayList<>(a.length);
        for (int i = 0; i < a.length; i++) {
            values.add(DataValue.valueOnly(new Variant(WriteTypes.convert(a[i], types[i]))));
        }
        writes.incrementAndGet();
        client.writeValuesAsync(nodes, values).whenComplete((codes, error) -> {
            boolean failed = error != null;
            if (error != null) {
                failures.incrementAndGet();
                lastError = error.getMessage();
            } else {
                for (int i = 0; i < codes.size(); i++) {
                    if (!codes.get(i).isGood()) {
                        failures.incrementAndGet();
                        lastError = names.get(i) + ": " + codes.get(i);
                        failed = true;
                        break;
                    }
                }
            }
            if (failed) {
                failedInARow.incrementAndGet();
            } else {
                failedInARow.set(0);
            }
            writing.set(false);
            if (pending.get() != null) {
                flush();
            }
        });
    }

    /** Counts a failure that never reached the wire (a stop that could not be built). */
    void fail(String message) {
        failures.incrementAndGet();
        lastError = message;
    }
}
