package kiban.policy.card;

import java.util.List;
import java.util.Locale;
import kiban.core.embodiment.FeatureSpec;
import kiban.policy.data.FeatureCodec;
import kiban.policy.model.PolicyTypes;
import kiban.policy.run.RunKind;
import kiban.policy.run.RunKinds;

/**
 * A card as Markdown, laid out as Hugging Face and LeRobot model cards are: what the model is,
 * what it controls, what it was trained on, how it did, and what it is for.
 */
final class CardMarkdown {

    /** The config fields every card's summary shows; config.json in the run has them all. */
    private static final List<String> CONFIG_SUMMARY = List.of("batch", "learning_rate", "warmup_steps", "ema_max_decay", "seed",
            "observation_steps", "horizon", "action_steps", "normalization", "validation_fraction", "state_features",
            "image_features");

    private CardMarkdown() {}

    static String render(ModelCard c) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(c.name()).append("\n\n");
        md.append("This is ").append(description(c.policy())).append(", for ")
                .append(c.embodiments().isEmpty() ? "an unknown embodiment" : String.join(", ",
                        c.embodiments().stream().map(e -> "`" + e.name() + "`").toList())).append(".\n");
        md.append("This card is written by Kiban (`").append(ModelCards.JSON).append("` holds the same in JSON) when training ends "
                + "and when `kiban eval` evaluates the run.\n\n");
        table(md, List.of("", ""), List.of(
                List.of("policy", c.policy()),
                List.of("parameters", c.parameters().isPresent() ? String.format(Locale.ROOT, "%,d", c.parameters().getAsLong())
                        : ModelCard.UNKNOWN),
                List.of("checkpoint", c.step() == 0 ? "none" : "step " + c.step()),
                List.of("Kiban", c.kiban().version() + ", commit " + c.kiban().describeCommit()),
                List.of("card written", c.written())));
        embodiments(md, c);
        data(md, c);
        training(md, c);
        results(md, c);
        use(md, c);
        if (!c.unknown().isEmpty()) {
            md.append("## What this card does not know\n\n");
            c.unknown().forEach(u -> md.append("- ").append(cell(u)).append('\n'));
            md.append('\n');
        }
        return md.toString();
    }

    private static void embodiments(StringBuilder md, ModelCard c) {
        md.append("## Embodiments\n\n");
        if (c.embodiments().isEmpty()) {
            md.append("Unknown (see below).\n\n");
        }
        for (CardEmbodiment e : c.embodiments()) {
            md.append("### ").append(e.name()).append(e.env().isEmpty() ? "" : " (simulator `" + e.env() + "`)").append("\n\n");
            var m = e.metadata();
            md.append("Reads ").append(m.observationSteps() == 1 ? "the newest observation" : "the last " + m.observationSteps()
                    + " observations").append(" and outputs a chunk of ").append(m.horizon()).append(" actions, of which ")
                    .append(m.actionSteps()).append(" are executed before it is asked again.\n\n");
            List<List<String>> rows = new java.util.ArrayList<>();
            m.observation().forEach(f -> rows.add(feature("state", f, e.normalization().get(FeatureCodec.observationKey(f)))));
            m.action().forEach(f -> rows.add(feature("action", f, e.normalization().get(FeatureCodec.actionKey(f)))));
            m.images().forEach(i -> rows.add(List.of("camera", i.name(), i.height() + "x" + i.width() + "x" + i.channels(),
                    "pixels", "", "")));
            table(md, List.of("", "feature", "elements", "unit", "element names", "normalisation"), rows);
            if (!m.deltaActions().isEmpty()) {
                md.append("Delta actions: ").append(String.join(", ", m.deltaActions().stream()
                        .map(p -> "`" + p.action() + "` as steps from `" + p.observation() + "`").toList())).append(".\n\n");
            }
            if (e.readsInstructions()) {
                md.append("Follows instructions; trained on ").append(e.instructions().size()).append(":\n\n");
            } else {
                md.append("Reads no instruction").append(e.instructions().isEmpty() ? ".\n\n"
                        : "; its data's task:\n\n");
            }
            e.instructions().forEach(i -> md.append("- \"").append(cell(i)).append("\"\n"));
            if (!e.instructions().isEmpty()) {
                md.append('\n');
            }
        }
    }

    private static List<String> feature(String kind, FeatureSpec f, String mode) {
        return List.of(kind, "`" + f.name() + "`", String.valueOf(f.size()), f.unit(), cell(String.join(", ", f.names())),
                mode == null ? ModelCard.UNKNOWN : mode);
    }

    private static void data(StringBuilder md, ModelCard c) {
        md.append("## Training data\n\n");
        if (c.data().isEmpty()) {
            md.append("Unknown (see below).\n\n");
        } else {
            table(md, List.of("dataset", "content hash", "embodiment", "weight", "train episodes", "held-out episodes"),
                    c.data().stream().map(d -> List.of("`" + cell(d.dataset()) + "`", "`" + d.hash() + "`", d.embodiment(),
                            number(d.weight()), String.valueOf(d.trainEpisodes()), String.valueOf(d.validationEpisodes()))).toList());
        }
        if (!c.fineTunedFrom().isEmpty()) {
            md.append("Fine-tuned from `").append(cell(c.fineTunedFrom())).append("`, ")
                    .append(c.freeze().equals("trunk") ? "with its shared trunk frozen (only the embodiments' heads trained)"
                            : "training every parameter").append(".\n\n");
        }
    }

    private static void training(StringBuilder md, ModelCard c) {
        md.append("## Training\n\n");
        List<List<String>> rows = new java.util.ArrayList<>();
        rows.add(List.of("steps", String.valueOf(c.step())));
        rows.add(List.of("final training loss", number(c.finalLoss())));
        rows.add(List.of("validation loss", Double.isNaN(c.validationLoss()) ? "none logged" : number(c.validationLoss())));
        List<String> keys = new java.util.ArrayList<>(CONFIG_SUMMARY);
        keys.addAll(networkFields(c.policy()));
        for (String key : keys) {
            var v = c.config().path(key);
            // An empty list (state_features: all, image_features: none) says nothing a reader needs.
            if (!v.isMissingNode() && !(v.isContainerNode() && v.isEmpty())) {
                rows.add(List.of(key.replace('_', ' '), v.isTextual() ? v.asText() : v.toString()));
            }
        }
        c.system().forEach((k, v) -> rows.add(List.of(k, v)));
        table(md, List.of("", ""), rows);
        md.append("The run's `config.json` holds the whole config, `lineage.json` the data's lineage.\n\n");
    }

    private static void results(StringBuilder md, ModelCard c) {
        md.append("## Evaluation\n\n");
        if (!c.heldOut().isEmpty()) {
            md.append("Held out at the end of training (normalised units; sampled chunks against the recorded ones):\n\n");
            table(md, List.of("embodiment", "action MSE", "flow loss"), c.heldOut().entrySet().stream()
                    .map(e -> List.of(e.getKey(), number(e.getValue().actionMse()), number(e.getValue().flowLoss()))).toList());
        }
        if (c.evaluations().isEmpty()) {
            md.append("Not evaluated in a simulator yet: `kiban eval --checkpoint RUN --env ENV` adds its results here.\n\n");
            return;
        }
        md.append("In simulation (`kiban eval`), each episode a fixed seed:\n\n");
        table(md, List.of("date", "step", "env", "tasks", "episodes", "seeds", "execution", "delay", "success (95% CI)",
                "mean score"), c.evaluations().stream().map(e -> List.of(e.date(), String.valueOf(e.step()),
                        e.env() + (e.embodiment().isEmpty() ? "" : " (" + e.embodiment() + ")"),
                        cell(String.join(", ", e.tasks())) + (e.instruction().isEmpty() ? "" : "; told \"" + cell(e.instruction()) + "\""),
                        String.valueOf(e.episodes()), e.firstSeed() + "-" + e.lastSeed(),
                        e.execution() + ", " + e.actionSteps() + " of each chunk", e.delaySteps() + " steps",
                        String.format(Locale.ROOT, "%.3f (%.3f-%.3f)", e.successRate(), e.successLow(), e.successHigh()),
                        number(e.meanScore()))).toList());
        for (CardEvaluation e : c.evaluations()) {
            if (e.perTask().size() > 1) {
                md.append("Success by task, ").append(e.env()).append(" at step ").append(e.step()).append(", ").append(e.date())
                        .append(":\n\n");
                table(md, List.of("task", "episodes", "success (95% CI)"), e.perTask().entrySet().stream()
                        .map(t -> List.of(cell(t.getKey()), String.valueOf(t.getValue().episodes()), String.format(Locale.ROOT,
                                "%.3f (%.3f-%.3f)", t.getValue().successRate(), t.getValue().successLow(),
                                t.getValue().successHigh()))).toList());
            }
        }
    }

    private static void use(StringBuilder md, ModelCard c) {
        md.append("## Intended use and limits\n\n");
        md.append("- For research and development in Kiban's simulators, and as a starting point for fine-tuning; serve it with "
                + "`kiban serve` or run it with `kiban run`, where every command passes Kiban's safety shield.\n");
        md.append("- It was trained on the demonstrations listed above only: states, embodiments and instructions unlike "
                + "theirs were never trained, and what it does there is unknown.\n");
        if (c.embodiments().stream().anyMatch(CardEmbodiment::readsInstructions)) {
            md.append("- It encodes any instruction, but was trained only on those listed; another wording may or may not "
                    + "be followed.\n");
        }
        md.append("- Success rates come from simulation with the seeds shown; they are no measure of a real machine's "
                + "behaviour, and this card is no safety assessment.\n\n");
    }

    private static void table(StringBuilder md, List<String> header, List<List<String>> rows) {
        md.append('|');
        header.forEach(h -> md.append(' ').append(h).append(" |"));
        md.append("\n|");
        header.forEach(h -> md.append("---|"));
        md.append('\n');
        for (List<String> row : rows) {
            md.append('|');
            row.forEach(v -> md.append(' ').append(v).append(" |"));
            md.append('\n');
        }
        md.append('\n');
    }

    /** Text safe inside a table cell or a list item: pipes escaped, line breaks as spaces. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : ModelCard.UNKNOWN;
    }

    /** What the policy type is, from its registered type or run kind. */
    private static String description(String policy) {
        if (PolicyTypes.registry().has(policy)) {
            return PolicyTypes.registry().get(policy).description();
        }
        return RunKinds.named(policy).map(RunKind::description).orElse("a policy of type " + policy);
    }

    private static List<String> networkFields(String policy) {
        if (PolicyTypes.registry().has(policy)) {
            return PolicyTypes.registry().get(policy).networkFields();
        }
        return RunKinds.named(policy).map(RunKind::networkFields).orElse(List.of());
    }
}
