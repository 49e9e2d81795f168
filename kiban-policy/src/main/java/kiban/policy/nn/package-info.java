/**
 * DJL building blocks shared by the policy models: MLPs, blocks with explicitly shaped parameters,
 * multi-head attention from batched matrix products, the act transformer, a small CNN image encoder and the block that conditions a policy head on its
 * features.
 */
package kiban.policy.nn;
