/**
 * DJL building blocks shared by the policy models: MLPs, blocks with explicitly shaped parameters,
 * multi-head attention from batched matrix products, the act transformer, a small CNN image encoder and the block that conditions a policy head on its
 * features; how many threads libtorch gives a forward pass ({@link kiban.policy.nn.IntraOpThreads}).
 */
package kiban.policy.nn;
