package kiban.connect.opcua;

import java.util.ArrayList;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The simulated machine's address space: a folder per env with {@code state}, {@code setpoint}
 * and status variables, all Double except the Boolean e-stop. Subscriptions sample the node values,
 * which the simulation thread updates.
 */
final class SimNamespace extends ManagedNamespaceWithLifecycle {

    private final SubscriptionModel subscriptionModel;
    private final String env;
    private final List<String> stateIds;
    private final List<String> setpointIds;
    private final List<UaVariableNode> stateNodes = new ArrayList<>();
    private final List<UaVariableNode> setpointNodes = new ArrayList<>();
    private UaVariableNode emergencyStop;
    private UaVariableNode operatorControl;
    private UaVariableNode steps;
    private UaVariableNode episodes;
    private final List<String> metricNames;
    private final List<UaVariableNode> metricNodes = new ArrayList<>();

    SimNamespace(OpcUaServer server, String env, List<FeatureSpec> state, List<FeatureSpec> action,
            double[] initialState, double[] initialSetpoints, List<String> metricNames) {
        super(server, SimOpcUaServer.NAMESPACE_URI);
        this.metricNames = List.copyOf(metricNames);
        this.env = env;
        this.stateIds = SimNodes.nodeNames(env, "state", state);
        this.setpointIds = SimNodes.nodeNames(env, "setpoint", action);
        subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addStartupTask(() -> createNodes(initialState, initialSetpoints));
    }

    private void createNodes(double[] initialState, double[] initialSetpoints) {
        UaFolderNode root = folder(env, null);
        root.addReference(new Reference(root.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));
        UaFolderNode stateFolder = folder(env + "/state", root);
        UaFolderNode setpointFolder = folder(env + "/setpoint", root);
        for (int i = 0; i < stateIds.size(); i++) {
            stateNodes.add(variable(stateIds.get(i), stateFolder, NodeIds.Double, new Variant(initialState[i]), false));
        }
        for (int i = 0; i < setpointIds.size(); i++) {
            setpointNodes.add(variable(setpointIds.get(i), setpointFolder, NodeIds.Double,
                    new Variant(initialSetpoints[i]), true));
        }
        emergencyStop = variable(env + "/emergency_stop", root, NodeIds.Boolean, new Variant(false), true);
        operatorControl = variable(env + "/operator_control", root, NodeIds.Boolean, new Variant(false), true);
        steps = variable(env + "/steps", root, NodeIds.Double, new Variant(0.0), false);
        episodes = variable(env + "/episodes", root, NodeIds.Double, new Variant(0.0), false);
        UaFolderNode metricFolder = folder(env + "/metrics", root);
        for (String m : metricNames) {
            metricNodes.add(variable(SimNodes.metricNode(env, m), metricFolder, NodeIds.Double,
                    new Variant(Double.NaN), false));
        }
    }

    private UaFolderNode folder(String id, UaFolderNode parent) {
        String name = id.substring(id.lastIndexOf('/') + 1);
        UaFolderNode node = new UaFolderNode(getNodeContext(), newNodeId(id), newQualifiedName(name),
                LocalizedText.english(name));
        getNodeManager().addNode(node);
        if (parent != null) {
            parent.addOrganizes(node);
        }
        return node;
    }

    private UaVariableNode variable(String id, UaFolderNode parent, NodeId dataType, Variant initial, boolean writable) {
        String name = id.substring(id.indexOf('/') + 1);
        UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(newNodeId(id))
                .setAccessLevel(writable ? AccessLevel.READ_WRITE : AccessLevel.READ_ONLY)
                .setUserAccessLevel(writable ? AccessLevel.READ_WRITE : AccessLevel.READ_ONLY)
                .setBrowseName(newQualifiedName(name))
                .setDisplayName(LocalizedText.english(name))
                .setDataType(dataType)
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .build();
        node.setValue(new DataValue(initial));
        getNodeManager().addNode(node);
        parent.addOrganizes(node);
        return node;
    }

    /** The set points as last written by a client; a non-numeric value reads as NaN. */
    double[] setpoints() {
        double[] out = new double[setpointNodes.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = setpointNodes.get(i).getValue().getValue().getValue();
            out[i] = v instanceof Number n ? n.doubleValue() : Double.NaN;
        }
        return out;
    }

    boolean emergencyStop() {
        Object v = emergencyStop.getValue().getValue().getValue();
        return v instanceof Boolean b ? b : v instanceof Number n && n.doubleValue() != 0;
    }

    void setEmergencyStop(boolean pressed) {
        emergencyStop.setValue(new DataValue(new Variant(pressed)));
    }

    /** An operator takes the machine over (or hands it back) and, while they have it, sets its set points. */
    void setOperatorControl(boolean active, double[] setpoints) {
        if (setpoints != null) {
            for (int i = 0; i < setpoints.length; i++) {
                setpointNodes.get(i).setValue(new DataValue(new Variant(setpoints[i])));
            }
        }
        operatorControl.setValue(new DataValue(new Variant(active)));
    }

    /** The env's figures of the episode so far, each on its node; a name the env no longer reports keeps its value. */
    void publishMetrics(java.util.Map<String, Double> metrics) {
        for (int i = 0; i < metricNames.size(); i++) {
            Double v = metrics.get(metricNames.get(i));
            if (v != null) {
                metricNodes.get(i).setValue(new DataValue(new Variant(v)));
            }
        }
    }

    void publish(double[] state, long stepCount, long episodeCount) {
        for (int i = 0; i < state.length; i++) {
            stateNodes.get(i).setValue(new DataValue(new Variant(state[i])));
        }
        steps.setValue(new DataValue(new Variant((double) stepCount)));
        episodes.setValue(new DataValue(new Variant((double) episodeCount)));
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
    }
}
