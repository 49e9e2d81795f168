/**
 * Training: AdamW with decoupled weight decay, warm-up and cosine learning rate, global-norm
 * gradient clipping, EMA weights, explicit seeds and resumable checkpoints. The optimiser is
 * Kiban's own so that its state can be checkpointed and resumed exactly; the training step lays
 * all parameters out in one flat buffer ({@code FlatParameters}) so that the optimiser, the EMA
 * and the clipping are a few native ops a step rather than loops over parameters.
 */
package kiban.policy.train;
