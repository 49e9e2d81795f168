/**
 * Model cards: every run folder's {@code model_card.json} (machine-readable, versioned) and
 * {@code MODEL_CARD.md} (for people), written when training or fine-tuning ends and rewritten
 * when {@code kiban eval} adds an evaluation. A card is assembled from the run's own files
 * ({@link kiban.policy.card.ModelCards}); what they do not tell (an older run, a missing
 * file) the card lists as unknown instead of failing.
 */
package kiban.policy.card;
