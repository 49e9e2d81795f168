/**
 * Training: AdamW with decoupled weight decay, warm-up and cosine learning rate, global-norm
 * gradient clipping, EMA weights, explicit seeds and resumable checkpoints. The optimiser is
 * Kiban's own so that its state can be checkpointed and resumed exactly.
 */
package kiban.policy.train;
