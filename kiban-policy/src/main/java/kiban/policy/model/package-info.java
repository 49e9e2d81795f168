/**
 * The policy networks: behaviour cloning by regression ({@code mlp}) and a flow-matching action
 * head ({@code flow}, pi0-style, about ten Euler steps at inference). Each maps an encoded,
 * normalised observation history to a normalised action chunk.
 */
package kiban.policy.model;
