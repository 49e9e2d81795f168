/**
 * State policies that see: a camera estimator, trained by regression on a recording that labels
 * every frame (a simulator knows the block's pose), stands in for state features a machine has no
 * sensor for, and a state policy already trained reads its estimates
 * ({@link kiban.policy.estimate.EstimatedStatePolicy}, {@code kiban train --policy estimated-state}).
 */
package kiban.policy.estimate;
