/**
 * The policy boundary, kept tiny as in openpi: infer an action chunk from an observation history
 * (state vectors, with camera frames for a policy whose metadata lists images), and reset. Chunk execution, remoting and recording are wrappers around it, in other modules.
 */
package kiban.core.policy;
