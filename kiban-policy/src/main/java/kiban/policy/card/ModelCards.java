package kiban.policy.card;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.policy.run.RunDirectory;

/**
 * Writes a run's model card, {@value #JSON} and {@value #MARKDOWN}, each replaced atomically.
 * The card describes the run's newest checkpoint as its files tell it, and keeps the evaluations
 * of the card it replaces; an earlier card that cannot be read is kept beside it as
 * {@value #UNREADABLE} rather than lost.
 */
public final class ModelCards {

    public static final String JSON = "model_card.json";
    public static final String MARKDOWN = "MODEL_CARD.md";
    public static final String UNREADABLE = "model_card.json.unreadable";

    private ModelCards() {}

    public static Path json(RunDirectory run) {
        return run.root().resolve(JSON);
    }

    public static Path markdown(RunDirectory run) {
        return run.root().resolve(MARKDOWN);
    }

    /** The card of the run as its files tell it now, with its earlier card's evaluations. */
    public static ModelCard read(RunDirectory run) {
        return new CardReader(run).card();
    }

    /** Writes the card of the run's newest checkpoint (at the end of training, fine-tuning or a resumed run). */
    public static ModelCard write(RunDirectory run) {
        return save(run, read(run));
    }

    /** Adds {@code evaluation} to the run's card and writes it again. */
    public static ModelCard addEvaluation(RunDirectory run, CardEvaluation evaluation) {
        return save(run, read(run).withEvaluation(evaluation));
    }

    private static ModelCard save(RunDirectory run, ModelCard card) {
        if (card.unknown().stream().anyMatch(u -> u.startsWith(CardReader.EARLIER_CARD))) {
            try {
                Files.copy(json(run), run.root().resolve(UNREADABLE), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new KibanException(json(run) + ": cannot keep the unreadable card: " + e.getMessage(), e);
            }
        }
        RunDirectory.writeAtomically(json(run), Json.pretty(card.toTree()));
        RunDirectory.writeAtomically(markdown(run), CardMarkdown.render(card));
        return card;
    }
}
