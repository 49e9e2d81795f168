/**
 * The RUL networks, each a {@link kiban.policy.nn.ParameterBlock} from a window of normalised
 * cycles {@code (B, window * features)} to the RUL divided by the cap {@code (B, 1)}; their
 * parameters are flat and named, so the policies' training step, EMA and checkpoints serve them.
 */
package kiban.health.rul.network;
