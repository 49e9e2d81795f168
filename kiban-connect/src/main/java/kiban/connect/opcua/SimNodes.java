package kiban.connect.opcua;

import java.util.ArrayList;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.sim.env.EnvSpec;

/** The simulated machine's node ids, and the mapping file that names them. */
final class SimNodes {

    private SimNodes() {}

    /** The mapping file for the simulated machine serving {@code spec} that also reads {@code metrics}. */
    static String mappingYaml(EnvSpec spec, List<String> metrics) {
        StringBuilder b = new StringBuilder();
        b.append("# Maps the ").append(spec.name()).append(" env's features to the nodes of `kiban sim opcua --env ")
                .append(spec.name()).append("`.\n");
        b.append("env: ").append(spec.name()).append('\n');
        section(b, "state", spec.name(), spec.observation());
        section(b, "action", spec.name(), spec.action());
        b.append("emergency_stop: \"").append(nodeId(spec.name() + "/emergency_stop")).append("\"\n");
        b.append("operator_control: \"").append(nodeId(spec.name() + "/operator_control")).append("\"\n");
        if (!metrics.isEmpty()) {
            b.append("metrics:\n");
            metrics.forEach(m -> b.append("  ").append(m).append(": \"").append(nodeId(metricNode(spec.name(), m)))
                    .append("\"\n"));
        }
        return b.toString();
    }

    private static void section(StringBuilder b, String field, String env, List<FeatureSpec> features) {
        b.append(field).append(":\n");
        for (FeatureSpec f : features) {
            List<String> ids = nodeNames(env, field.equals("state") ? "state" : "setpoint", List.of(f));
            b.append("  ").append(f.name()).append(": ");
            if (ids.size() == 1) {
                b.append('"').append(nodeId(ids.get(0))).append("\"\n");
            } else {
                b.append('[').append(String.join(", ", ids.stream().map(i -> "\"" + nodeId(i) + "\"").toList()))
                        .append("]\n");
            }
        }
    }

    static String metricNode(String env, String metric) {
        return env + "/metrics/" + metric;
    }

    private static String nodeId(String name) {
        return "ns=" + SimOpcUaServer.NAMESPACE_INDEX + ";s=" + name;
    }

    /** The string node ids (without namespace) of {@code features}, one per element. */
    static List<String> nodeNames(String env, String folder, List<FeatureSpec> features) {
        List<String> out = new ArrayList<>();
        for (FeatureSpec f : features) {
            String base = env + "/" + folder + "/" + f.name();
            if (f.size() == 1) {
                out.add(base);
            } else {
                for (int i = 0; i < f.size(); i++) {
                    out.add(base + "/" + i);
                }
            }
        }
        return out;
    }
}
