/**
 * DJL building blocks shared by the policy models: MLPs, blocks with explicitly shaped parameters,
 * multi-head attention from batched matrix products, the act transformer and a small CNN image encoder.
 */
package kiban.policy.nn;
