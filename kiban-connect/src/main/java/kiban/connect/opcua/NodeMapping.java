package kiban.connect.opcua;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kiban.core.embodiment.EmbodimentRegistry;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.text.Suggest;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.EnvSpec;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * Which OPC UA node carries each element of a machine's observation and action vectors. Read from
 * a YAML or JSON file naming an {@code env} (observation = the env's observation features, so a
 * policy trained in that simulator sees the same vector) or an {@code embodiment} (observation =
 * its state features); every feature must be mapped, each to one node id per element.
 *
 * @param source            where the mapping came from, for messages
 * @param name              the env or embodiment name
 * @param embodiment        the embodiment whose actions and stop mode apply
 * @param observation       the observation features, in order
 * @param stateNodes        one node id per observation element, features concatenated
 * @param actionNodes       one node id per action element, features concatenated
 * @param emergencyStopNode the node that reads true (or non-zero) while the e-stop is pressed, or null
 * @param metricNodes       optional figures the machine reports (OEE, part counts), by metric name
 * @param operatorNode      the node that reads true (or non-zero) while an operator has taken the machine
 *                          over and commands its set points directly, or null
 */
public record NodeMapping(
        String source,
        String name,
        EmbodimentSpec embodiment,
        List<FeatureSpec> observation,
        List<String> stateNodes,
        List<String> actionNodes,
        String emergencyStopNode,
        Map<String, String> metricNodes,
        String operatorNode) {

    public NodeMapping {
        observation = List.copyOf(observation);
        stateNodes = List.copyOf(stateNodes);
        actionNodes = List.copyOf(actionNodes);
        metricNodes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(metricNodes));
    }

    public List<FeatureSpec> action() {
        return embodiment.action();
    }

    public Optional<String> emergencyStop() {
        return Optional.ofNullable(emergencyStopNode);
    }

    public Optional<String> operatorControl() {
        return Optional.ofNullable(operatorNode);
    }

    /** Reads and validates a mapping file. */
    public static NodeMapping load(Path file) {
        return read(FieldReader.root(Json.readTree(file), file.toString()));
    }

    /** Parses and validates mapping text; {@code source} names it in errors. */
    public static NodeMapping parse(String text, String source) {
        return read(FieldReader.root(Json.parseTree(text, source), source));
    }

    private static NodeMapping read(FieldReader root) {
        Set<String> known = Set.of("env", "embodiment", "state", "action", "emergency_stop", "metrics", "operator_control");
        root.node().fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw new InvalidInputException(root.source(), f,
                        "one of the fields " + String.join(", ", List.of("env", "embodiment", "state", "action",
                                "emergency_stop", "metrics", "operator_control")) + Suggest.didYouMean(f, known), "an unknown field");
            }
        });
        if (root.has("env") == root.has("embodiment")) {
            throw root.invalid("exactly one of 'env' (a simulator's observation) or 'embodiment' (its state only)",
                    root.has("env") ? "both" : "neither");
        }
        String name;
        EmbodimentSpec embodiment;
        List<FeatureSpec> observation;
        if (root.has("env")) {
            name = root.requireText("env");
            EnvRegistry envs = EnvRegistry.load();
            if (!envs.names().contains(name)) {
                throw new InvalidInputException(root.source(), "env",
                        "one of " + String.join(", ", envs.names()) + Suggest.didYouMean(name, envs.names()),
                        "'" + name + "'");
            }
            EnvSpec spec = envs.get(name).spec();
            embodiment = spec.embodiment();
            observation = spec.observation();
        } else {
            name = root.requireText("embodiment");
            EmbodimentRegistry registry = EmbodimentRegistry.withBuiltIns();
            embodiment = registry.find(name).orElseThrow(() -> new InvalidInputException(root.source(), "embodiment",
                    "one of " + String.join(", ", registry.names()) + Suggest.didYouMean(name, registry.names()),
                    "'" + name + "'"));
            observation = embodiment.state();
        }
        List<String> state = nodes(root, "state", observation);
        List<String> action = nodes(root, "action", embodiment.action());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < action.size(); i++) {
            if (!seen.add(action.get(i))) {
                throw new InvalidInputException(root.source(), "action",
                        "a different node for every action element (two set points cannot share a node)",
                        "'" + action.get(i) + "' twice");
            }
        }
        String estop = root.has("emergency_stop") ? nodeId(root.require("emergency_stop")) : null;
        String operator = root.has("operator_control") ? nodeId(root.require("operator_control")) : null;
        Map<String, String> metrics = root.optMap("metrics", NodeMapping::nodeId);
        metrics.keySet().forEach(k -> {
            if (!k.matches("[a-z][a-z0-9_]*")) {
                throw new InvalidInputException(root.source(), "metrics." + k,
                        "a metric name in snake_case (such as oee or good_parts)", "'" + k + "'");
            }
        });
        return new NodeMapping(root.source(), name, embodiment, observation, state, action, estop, metrics, operator);
    }

    /** The node ids of {@code features} in order, one per element. */
    private static List<String> nodes(FieldReader root, String field, List<FeatureSpec> features) {
        root.requireObject(field);
        Map<String, FieldReader> entries = root.optMap(field, r -> r);
        List<String> names = features.stream().map(FeatureSpec::name).toList();
        for (String key : entries.keySet()) {
            if (!names.contains(key)) {
                throw new InvalidInputException(root.source(), field + "." + key,
                        "a " + field + " feature of " + String.join(", ", names) + Suggest.didYouMean(key, names),
                        "an unknown feature");
            }
        }
        List<String> out = new ArrayList<>();
        for (FeatureSpec f : features) {
            FieldReader entry = entries.get(f.name());
            if (entry == null) {
                throw new InvalidInputException(root.source(), field + "." + f.name(),
                        "a node id for every " + field + " feature (missing: " + f.name() + ")", "nothing");
            }
            if (entry.node().isArray()) {
                if (entry.node().size() != f.size()) {
                    throw entry.invalid("a list of " + f.size() + " node ids, one per element",
                            FieldReader.describe(entry.node()));
                }
                out.addAll(entry.asList(NodeMapping::nodeId));
            } else if (f.size() == 1) {
                out.add(nodeId(entry));
            } else {
                throw entry.invalid("a list of " + f.size() + " node ids, one per element",
                        FieldReader.describe(entry.node()));
            }
        }
        return out;
    }

    private static String nodeId(FieldReader r) {
        if (!r.node().isTextual()) {
            throw r.invalid("an OPC UA node id such as \"ns=2;s=Cell/SpindleLoad\"", FieldReader.describe(r.node()));
        }
        String text = r.node().asText().strip();
        if (NodeId.parseSafe(text).isEmpty()) {
            throw r.invalid("an OPC UA node id such as \"ns=2;s=Cell/SpindleLoad\" or \"ns=3;i=1001\"",
                    FieldReader.describe(r.node()));
        }
        return text;
    }
}
