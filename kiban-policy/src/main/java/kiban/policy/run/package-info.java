/**
 * The on-disk layout of a training run, its config ({@link kiban.policy.run.TrainConfig}, which
 * training reads and a trained policy is rebuilt from), and loading a trained policy from it.
 *
 * <pre>
 * RUN/
 *   config.json          the resolved training config
 *   policy.json          policy metadata: observation and action features, steps, horizon; for a
 *                        policy that follows instructions, their encoder and the ones it was trained on
 *   normalization.json   normalisers with the statistics they were fitted on
 *   lineage.json         dataset path and content hash, Java and OS versions and the engine
 *   metrics.jsonl, metrics.csv   one row per logged step (loss, lr, grad norm, rate, validation loss)
 *   checkpoints/step-NNNNNNNN/   model.params (DJL), ema.ndlist, optimizer.ndlist, state.json
 *   checkpoints/latest           the name of the newest complete checkpoint
 *   model_card.json, MODEL_CARD.md   the model card ({@link kiban.policy.card.ModelCards})
 * </pre>
 *
 * A checkpoint is written into a temporary folder and renamed into place, and {@code latest} is
 * replaced atomically after it, so a crash never leaves {@code latest} naming a partial checkpoint.
 */
package kiban.policy.run;
