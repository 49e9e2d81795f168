/**
 * The policy boundary, kept tiny as in openpi: one call, {@link kiban.core.policy.Policy#inferBatch},
 * infers an action chunk for each observation history of a batch (an observation carries the state
 * vector, camera frames for a policy whose metadata lists images, the task's instruction and the
 * embodiment it comes from), and reset. Chunk execution, remoting and recording are wrappers around
 * it, in other modules.
 */
package kiban.core.policy;
