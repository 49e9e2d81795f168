package kiban.health.failures;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import kiban.core.error.UnknownNameException;

/**
 * The five learning problems of the Robot Execution Failures data, each with its file and the class
 * labels that file may hold (as spelled in the files; robotFailureInformation.txt lists them).
 */
public enum LearningProblem {
    LP1("failures in approach to grasp position", List.of("normal", "collision", "fr_collision", "obstruction")),
    LP2("failures in transfer of a part", List.of("normal", "front_col", "back_col", "right_col", "left_col")),
    LP3("position of part after a transfer failure", List.of("ok", "slightly_moved", "moved", "lost")),
    LP4("failures in approach to ungrasp position", List.of("normal", "collision", "obstruction")),
    LP5("failures in motion with part", List.of("normal", "bottom_collision", "bottom_obstruction", "collision_in_part",
            "collision_in_tool"));

    private final String description;
    private final List<String> labels;

    LearningProblem(String description, List<String> labels) {
        this.description = description;
        this.labels = labels;
    }

    /** The name users type and files carry: {@code lp1} to {@code lp5}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String fileName() {
        return id() + ".data";
    }

    public String description() {
        return description;
    }

    /** The class labels, in the order of the data's description; a class's index is its place here. */
    public List<String> labels() {
        return labels;
    }

    /** The problem named {@code id} ({@code lp1}..{@code lp5}, any case). */
    public static LearningProblem of(String id) {
        for (LearningProblem p : values()) {
            if (p.id().equalsIgnoreCase(id)) {
                return p;
            }
        }
        throw new UnknownNameException("learning problem", id, Arrays.stream(values()).map(LearningProblem::id).toList());
    }

    /** {@code all} for every problem, else the one named. */
    public static List<LearningProblem> parse(String idOrAll) {
        return "all".equalsIgnoreCase(idOrAll) ? List.of(values()) : List.of(of(idOrAll));
    }
}
