package kiban.policy.card;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/**
 * One {@code kiban eval} of a run, as its card lists it: when, which checkpoint step and
 * embodiment, the env and tasks, the seeds, how chunks were executed, and the results.
 *
 * @param embodiment the foundation policy's embodiment evaluated; empty for a single-embodiment run
 * @param tasks the tasks the episodes posed, in the order they were posed
 * @param instruction the instruction given instead of each task's ({@code kiban eval --instruction}); empty if none
 * @param successLow the lower end of the success rate's 95% Wilson interval ({@code successHigh} the upper)
 * @param perTask success by task, where the episodes posed more than one or a named one
 */
public record CardEvaluation(String date, long step, String embodiment, String env, List<String> tasks, int episodes,
        long firstSeed, String execution, int actionSteps, int delaySteps, String instruction, double successRate,
        double successLow, double successHigh, double meanScore, Map<String, TaskResult> perTask) {

    /** One task's share of the episodes. */
    public record TaskResult(int episodes, double successRate, double successLow, double successHigh) {}

    public CardEvaluation {
        tasks = List.copyOf(tasks);
        perTask = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perTask));
    }

    /** The last seed: episode i used {@code firstSeed + i}. */
    public long lastSeed() {
        return firstSeed + episodes - 1;
    }

    ObjectNode toTree() {
        ObjectNode o = Json.object();
        o.put("date", date);
        o.put("step", step);
        if (!embodiment.isEmpty()) {
            o.put("embodiment", embodiment);
        }
        o.put("env", env);
        var t = o.putArray("tasks");
        tasks.forEach(t::add);
        o.put("episodes", episodes);
        o.putArray("seeds").add(firstSeed).add(lastSeed());
        o.put("execution", execution);
        o.put("action_steps", actionSteps);
        o.put("delay_steps", delaySteps);
        if (!instruction.isEmpty()) {
            o.put("instruction", instruction);
        }
        o.put("success_rate", successRate);
        o.putArray("success_rate_ci95").add(successLow).add(successHigh);
        o.put("mean_score", meanScore);
        if (!perTask.isEmpty()) {
            ObjectNode per = o.putObject("per_task");
            perTask.forEach((name, r) -> {
                ObjectNode n = per.putObject(name);
                n.put("episodes", r.episodes()).put("success_rate", r.successRate());
                n.putArray("success_rate_ci95").add(r.successLow()).add(r.successHigh());
            });
        }
        return o;
    }

    /** Reads one evaluation of an earlier card; errors name the card's file and the field. */
    static CardEvaluation read(FieldReader r) {
        List<Double> ci = r.require("success_rate_ci95").asList(e -> e.asDouble(0, 1));
        List<Double> seeds = r.require("seeds").asList(e -> e.asDouble(0, 9.2e18));
        if (ci.size() != 2 || seeds.size() != 2) {
            throw r.invalid("success_rate_ci95 and seeds of two numbers each", r.node().toString());
        }
        Map<String, TaskResult> perTask = r.optMap("per_task", t -> {
            List<Double> c = t.require("success_rate_ci95").asList(e -> e.asDouble(0, 1));
            if (c.size() != 2) {
                throw t.require("success_rate_ci95").invalid("two numbers", t.node().toString());
            }
            return new TaskResult(t.requireInt("episodes", 1, Integer.MAX_VALUE), t.requireDouble("success_rate", 0, 1),
                    c.get(0), c.get(1));
        });
        List<String> tasks = r.requireList("tasks", t -> {
            if (!t.node().isTextual()) {
                throw t.invalid("a task name", FieldReader.describe(t.node()));
            }
            return t.node().asText();
        });
        return new CardEvaluation(r.requireText("date"), (long) r.requireDouble("step", 0, 9.2e18), r.optText("embodiment", ""),
                r.requireText("env"), tasks, r.requireInt("episodes", 1, Integer.MAX_VALUE), seeds.get(0).longValue(),
                r.requireText("execution"), r.requireInt("action_steps", 1, 1 << 16), r.requireInt("delay_steps", 0, 1 << 16),
                r.optText("instruction", ""), r.requireDouble("success_rate", 0, 1), ci.get(0), ci.get(1),
                r.requireDouble("mean_score", -Double.MAX_VALUE, Double.MAX_VALUE), perTask);
    }
}
